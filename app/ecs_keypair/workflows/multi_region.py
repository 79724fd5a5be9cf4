"""One public key in many regions: ImportKeyPair region by region, each region's own answer.

ECS key pairs live in one region each, so a key used everywhere is imported everywhere. In each
region the outcome is one of:

* ``Imported``: ImportKeyPair succeeded (its answer is kept);
* ``AlreadyThere``: a key pair of that name with the same fingerprint is there already (success);
* ``Conflict``: a key pair of that name holds another key; it is left untouched;
* ``Failed``: any other refusal (``QuotaExceed.KeyPair`` for a full region, a bad region, …).

Works on any :class:`KeyPairBackend`: the local store or an endpoint. On an endpoint the regions
are called in parallel (:mod:`ecs_keypair.workflows.each_region`), each answer reported in the
regions' order as on the local store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ecs_keypair.contract import errors
from ecs_keypair.contract.api_requests import (
    DeleteKeyPairsRequest,
    ImportKeyPairRequest,
)
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import new_request_id
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.contract.regions import host_id
from ecs_keypair.keys.material import parse_public_key
from ecs_keypair.workflows.each_region import each_region

Body = dict[str, Any]
Outcome = Literal["Imported", "AlreadyThere", "Conflict", "Failed"]
ALL_REGIONS = "all"
MAX_REGIONS = 100


@dataclass(frozen=True, slots=True)
class RegionResult:
    """What one region answered."""

    region_id: str
    outcome: Outcome
    response: Body | None = None
    error: ApiError | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("Imported", "AlreadyThere")

    def body(self) -> Body:
        """One region's entry in the command line's answer: the response, or the error body."""
        entry: Body = {"RegionId": self.region_id, "Outcome": self.outcome}
        if self.response is not None:
            entry["Response"] = self.response
        if self.error is not None:
            entry["Error"] = self.error.body(new_request_id(), host_id(self.region_id))
        return entry


def region_ids(backend: KeyPairBackend, spec: str | None, exclude: Sequence[str] = ()) -> list[str]:
    """``R1,R2,…`` in the order given without repeats, or ``all`` (every region the backend
    offers: :meth:`KeyPairBackend.regions`); ``exclude`` is left out (the region a key pair is
    copied from)."""
    text = (spec or "").strip()
    if not text:
        raise ApiException(errors.missing_parameter("RegionId"))
    if text == ALL_REGIONS:
        wanted = [region.region_id for region in backend.regions()]
    else:
        wanted = [part.strip() for part in text.split(",")]
    if any(not region for region in wanted):
        raise ApiException(
            errors.invalid_parameter("RegionId", "an empty region in the list (R1,R2,… or all)")
        )
    chosen = [region for region in dict.fromkeys(wanted) if region not in exclude]
    if not chosen:
        raise ApiException(errors.invalid_parameter("RegionId", "no region is left to import into"))
    if len(chosen) > MAX_REGIONS:
        raise ApiException(errors.invalid_parameter("RegionId", f"at most {MAX_REGIONS} regions"))
    return chosen


def import_public_key(
    backend: KeyPairBackend, region_id: str, key_pair_name: str, public_key: PublicKey
) -> RegionResult:
    """ImportKeyPair in one region; a name already there is judged by its fingerprint."""
    try:
        request = ImportKeyPairRequest(region_id, key_pair_name, public_key.line)
        response = backend.import_key_pair(request).body()
    except ApiException as exc:
        if exc.error.code != errors.KEY_PAIR_ALREADY_EXIST.code:
            return RegionResult(region_id, "Failed", error=exc.error)
        return _judge_existing(backend, region_id, key_pair_name, public_key, exc.error)
    return RegionResult(region_id, "Imported", response=response)


def _judge_existing(
    backend: KeyPairBackend,
    region_id: str,
    key_pair_name: str,
    public_key: PublicKey,
    refusal: ApiError,
) -> RegionResult:
    try:
        existing = backend.find_key_pairs(region_id, key_pair_name=key_pair_name)
    except ApiException:
        return RegionResult(region_id, "Conflict", error=refusal)
    same = [record for record in existing if record.key_pair_name == key_pair_name]
    if same and same[0].fingerprint == public_key.md5_fingerprint:
        return RegionResult(
            region_id,
            "AlreadyThere",
            response={"KeyPairName": key_pair_name, "KeyPairFingerPrint": same[0].fingerprint},
        )
    return RegionResult(region_id, "Conflict", error=refusal)


def import_into_regions(
    backend: KeyPairBackend, key_pair_name: str, public_key: PublicKey, regions: Sequence[str]
) -> list[RegionResult]:
    """:func:`import_public_key` in each region, in order; one region's failure stops nothing."""

    def into(region: str) -> RegionResult:
        return import_public_key(backend, region, key_pair_name, public_key)

    return each_region(backend, regions, into)


def where_taken(
    backend: KeyPairBackend, key_pair_name: str, regions: Sequence[str]
) -> dict[str, RegionResult]:
    """The regions that could not take a new key under this name: ``Conflict`` where the name
    is taken (by any key: a key not made yet is in no region), ``Failed`` where the region
    could not be asked. Regions that can take it are left out."""

    def blocking(region: str) -> RegionResult | None:
        try:
            found = backend.find_key_pairs(region, key_pair_name=key_pair_name)
        except ApiException as exc:
            return RegionResult(region, "Failed", error=exc.error)
        if any(record.key_pair_name == key_pair_name for record in found):
            taken = errors.KEY_PAIR_ALREADY_EXIST.at(
                "KeyPairName", f"a key pair named {key_pair_name} is already in {region}"
            )
            return RegionResult(region, "Conflict", error=taken)
        return None

    answers = each_region(backend, regions, blocking)
    return {answer.region_id: answer for answer in answers if answer is not None}


def stored_public_key(backend: KeyPairBackend, region_id: str, key_pair_name: str) -> PublicKey:
    """The public key of a key pair as its region keeps it (``InvalidKeyPairName.NotFound``)."""
    found = [
        record
        for record in backend.find_key_pairs(
            region_id, key_pair_name=key_pair_name, include_public_key=True
        )
        if record.key_pair_name == key_pair_name
    ]
    if not found or not found[0].public_key:
        raise ApiException(
            errors.KEY_PAIR_NOT_FOUND.at(
                "KeyPairName", f"there is no key pair {key_pair_name!r} in {region_id}"
            )
        )
    parsed = parse_public_key(found[0].public_key)
    if isinstance(parsed, ApiError):
        raise ApiException(parsed)
    return parsed


def copy_key_pair(
    backend: KeyPairBackend, key_pair_name: str, from_region: str, to_regions: Sequence[str]
) -> list[RegionResult]:
    """Import the stored public key of ``key_pair_name`` in ``from_region`` into each region."""
    public_key = stored_public_key(backend, from_region, key_pair_name)
    return import_into_regions(backend, key_pair_name, public_key, to_regions)


def find_everywhere(
    backend: KeyPairBackend, key_pair_name: str | None = None, fingerprint: str | None = None
) -> tuple[list[KeyPairRecord], list[RegionResult]]:
    """Across every region: the key pairs of this name and/or this MD5 fingerprint, and the
    regions that could not be asked (each with its error), so a partial answer says so."""
    if not key_pair_name and not fingerprint:
        raise ApiException(errors.missing_parameter("KeyPairName"))

    def in_region(region: str) -> list[KeyPairRecord] | RegionResult:
        try:
            return [
                record
                for record in backend.find_key_pairs(region, key_pair_name, fingerprint)
                if key_pair_name in (None, record.key_pair_name)
            ]
        except ApiException as exc:
            return RegionResult(region, "Failed", error=exc.error)

    answers = each_region(backend, region_ids(backend, ALL_REGIONS), in_region)
    found = [record for answer in answers if isinstance(answer, list) for record in answer]
    unanswered = [answer for answer in answers if isinstance(answer, RegionResult)]
    return found, unanswered


def undo_create(backend: KeyPairBackend, region_id: str, key_pair_name: str) -> None:
    """Delete a key pair just made whose private key could not be delivered."""
    backend.delete_key_pairs(DeleteKeyPairsRequest(region_id, (key_pair_name,)))
