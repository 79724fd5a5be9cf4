"""The API operations over the store: what CreateKeyPair and its neighbours answer.

Each operation validates with :mod:`rules`, raises :class:`ApiException` with the API's error,
or returns the response body in the API's own shape (a fresh ``RequestId`` every call). The
TUI, the command line and any server are thin shells over this class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import errors, rules
from .errors import ApiError, ApiException
from .ids import new_key_pair_id, new_request_id, utc_minute
from .keys import GeneratedKey, PublicKey, generate_rsa_key, parse_public_key
from .records import KeyPairRecord, ResourceGroup
from .regions import REGIONS
from .rules import Tag
from .store import KeyPairStore

MAX_DELETE_NAMES = 100
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 10
MAX_GROUP_PAGE_SIZE = 100

Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TagFilter:
    """A DescribeKeyPairs tag filter: the key must be present; the value too, when given."""

    key: str
    value: str | None = None

    def matches(self, tags: Sequence[Tag]) -> bool:
        return any(t.key == self.key and self.value in (None, t.value) for t in tags)


@dataclass(frozen=True, slots=True)
class CreatedKeyPair:
    """A new key pair as CreateKeyPair returns it, plus what the screens show beside it."""

    record: KeyPairRecord
    key: GeneratedKey
    request_id: str

    @property
    def private_key_pem(self) -> str:
        return self.key.private_pem

    @property
    def public_key(self) -> PublicKey:
        return self.key.public_key

    def body(self) -> Body:
        """The response body, field for field as the API reference page lists it."""
        return {
            "PrivateKeyBody": self.key.private_pem,
            "KeyPairName": self.record.key_pair_name,
            "KeyPairId": self.record.key_pair_id,
            "RequestId": self.request_id,
            "KeyPairFingerPrint": self.record.fingerprint,
        }

    def __repr__(self) -> str:
        return f"CreatedKeyPair(record={self.record!r}, request_id={self.request_id!r})"


def _fail(problem: ApiError | None) -> None:
    if problem is not None:
        raise ApiException(problem)


def name_pattern(pattern: str) -> re.Pattern[str]:
    """DescribeKeyPairs' KeyPairName: exact, or with ``*`` standing for any run of characters.

    Use with ``fullmatch``. Each literal between two stars is matched at its leftmost place in an
    atomic group: a plain ``.*a.*a.*b`` backtracks exponentially in the number of stars (a filter
    typed into the form could hang the app), while leftmost is always right for ``*``-only globs.
    """
    parts = [re.escape(part) for part in pattern.split("*")]
    if len(parts) == 1:  # no star: the name exactly
        return re.compile(parts[0], re.DOTALL)
    first, *middle, last = parts
    inner = "".join(f"(?>.*?{part})" for part in middle)
    return re.compile(f"{first}{inner}.*{last}", re.DOTALL)


def _page(number: int | None, size: int | None, max_size: int) -> tuple[int, int]:
    number = 1 if number is None else number
    size = DEFAULT_PAGE_SIZE if size is None else size
    if number < 1:
        raise ApiException(errors.invalid_parameter("PageNumber", "must be 1 or more"))
    if not 1 <= size <= max_size:
        raise ApiException(errors.invalid_parameter("PageSize", f"must be 1 to {max_size}"))
    return number, size


def key_pair_item(record: KeyPairRecord) -> Body:
    """One entry of DescribeKeyPairs' ``KeyPairs.KeyPair``."""
    return {
        "KeyPairName": record.key_pair_name,
        "KeyPairFingerPrint": record.fingerprint,
        "CreationTime": record.creation_time,
        "ResourceGroupId": record.resource_group_id,
        "PublicKey": record.public_key,
        "Tags": {"Tag": [{"TagKey": t.key, "TagValue": t.value} for t in record.tags]},
    }


class KeyPairService:
    """CreateKeyPair and its neighbours, over one store."""

    def __init__(
        self, store: KeyPairStore, generate: Callable[[], GeneratedKey] = generate_rsa_key
    ) -> None:
        self.store = store
        self._generate = generate

    # -- what the screens show beside the API (a remote backend offers the same) --

    is_local = True
    """Calls read and write files on this machine: quick enough to make on a keystroke."""

    @property
    def backend_label(self) -> str:
        """Where the key pairs live, for the screens' header."""
        return f"local store {self.store.home}"

    @property
    def quota(self) -> int:
        return self.store.quota

    def count_key_pairs(self, region_id: str) -> int:
        return self.store.count(region_id)

    def resource_groups(self) -> list[ResourceGroup]:
        return self.store.resource_groups()

    # -- checks the form runs live --

    def check_name(self, region_id: str, name: str | None) -> ApiError | None:
        """The verdict on a name as typed: the rules, then whether the region already has it."""
        problem = rules.check_key_pair_name(name) or rules.check_region_id(region_id)
        if problem or name is None:
            return problem
        if self.store.name_exists(region_id, name):
            return self.store.admission_problem(region_id, name)
        return None

    def check_resource_group(self, resource_group_id: str | None) -> ApiError | None:
        if resource_group_id and self.store.resource_group(resource_group_id) is None:
            return errors.INVALID_RESOURCE_GROUP.at(
                "ResourceGroupId", f"there is no resource group {resource_group_id!r}"
            )
        return None

    def _admit(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        resource_group_id: str | None,
        tags: Sequence[Tag],
    ) -> None:
        _fail(rules.check_create_request(region_id, key_pair_name, tags))
        _fail(self.check_resource_group(resource_group_id))
        assert region_id and key_pair_name  # the rules above refused empty ones
        _fail(self.store.admission_problem(region_id, key_pair_name))

    def _record(
        self,
        region_id: str,
        key_pair_name: str,
        public_key: PublicKey,
        resource_group_id: str | None,
        tags: Sequence[Tag],
    ) -> KeyPairRecord:
        return KeyPairRecord(
            key_pair_id=new_key_pair_id(),
            key_pair_name=key_pair_name,
            region_id=region_id,
            fingerprint=public_key.md5_fingerprint,
            public_key=public_key.line,
            resource_group_id=resource_group_id or self.store.default_resource_group().id,
            creation_time=utc_minute(),
            tags=tuple(tags),
        )

    # -- the API --

    def create_key_pair(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        resource_group_id: str | None = None,
        tags: Sequence[Tag] = (),
    ) -> CreatedKeyPair:
        """CreateKeyPair: check everything, generate (the slow part, outside the lock), store."""
        self._admit(region_id, key_pair_name, resource_group_id, tags)
        assert region_id and key_pair_name
        key = self._generate()
        record = self._record(region_id, key_pair_name, key.public_key, resource_group_id, tags)
        self.store.add(record)  # checks name and quota again, under the lock
        return CreatedKeyPair(record, key, new_request_id())

    def import_key_pair(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        public_key_body: str | None,
        resource_group_id: str | None = None,
        tags: Sequence[Tag] = (),
    ) -> Body:
        """ImportKeyPair: an OpenSSH public key line of a supported type."""
        _fail(rules.check_create_request(region_id, key_pair_name, tags))
        _fail(rules.check_public_key_body(public_key_body))
        assert region_id and key_pair_name and public_key_body
        parsed = parse_public_key(public_key_body)
        if isinstance(parsed, ApiError):
            raise ApiException(parsed)
        self._admit(region_id, key_pair_name, resource_group_id, tags)
        record = self._record(region_id, key_pair_name, parsed, resource_group_id, tags)
        self.store.add(record)
        return {
            "RequestId": new_request_id(),
            "KeyPairName": record.key_pair_name,
            "KeyPairFingerPrint": record.fingerprint,
        }

    def find_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[TagFilter] = (),
    ) -> list[KeyPairRecord]:
        """The region's key pairs that pass every filter given (DescribeKeyPairs without paging)."""
        _fail(rules.check_region_id(region_id))
        assert region_id
        pattern = name_pattern(key_pair_name) if key_pair_name else None
        return [
            record
            for record in self.store.key_pairs(region_id)
            if (pattern is None or pattern.fullmatch(record.key_pair_name))
            and (not fingerprint or record.fingerprint == fingerprint)
            and (not resource_group_id or record.resource_group_id == resource_group_id)
            and all(tag.matches(record.tags) for tag in tags)
        ]

    def describe_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[TagFilter] = (),
        page_number: int | None = None,
        page_size: int | None = None,
    ) -> Body:
        """DescribeKeyPairs: filters, then one page of the matches."""
        _fail(rules.check_region_id(region_id))
        number, size = _page(page_number, page_size, MAX_PAGE_SIZE)
        found = self.find_key_pairs(region_id, key_pair_name, fingerprint, resource_group_id, tags)
        page = found[(number - 1) * size : number * size]
        return {
            "RequestId": new_request_id(),
            "TotalCount": len(found),
            "PageNumber": number,
            "PageSize": size,
            "KeyPairs": {"KeyPair": [key_pair_item(record) for record in page]},
        }

    def delete_key_pairs(self, region_id: str | None, key_pair_names: str | None) -> Body:
        """DeleteKeyPairs: a JSON array of 1-100 names; names that are not there are ignored."""
        _fail(rules.check_region_id(region_id))
        assert region_id
        names = parse_key_pair_names(key_pair_names)
        if isinstance(names, ApiError):
            raise ApiException(names)
        self.store.remove(region_id, names)
        return {"RequestId": new_request_id()}

    def describe_regions(self) -> Body:
        return {
            "RequestId": new_request_id(),
            "Regions": {
                "Region": [
                    {
                        "RegionId": region.region_id,
                        "LocalName": region.local_name,
                        "RegionEndpoint": region.endpoint,
                    }
                    for region in REGIONS
                ]
            },
        }

    def create_resource_group(self, name: str | None, display_name: str | None) -> Body:
        _fail(rules.check_resource_group_name(name))
        _fail(rules.check_resource_group_display_name(display_name))
        assert name and display_name
        group = self.store.add_resource_group(name, display_name)
        return {
            "RequestId": new_request_id(),
            "ResourceGroup": {**group.to_document(), "Status": "OK"},
        }

    def list_resource_groups(
        self, page_number: int | None = None, page_size: int | None = None
    ) -> Body:
        number, size = _page(page_number, page_size, MAX_GROUP_PAGE_SIZE)
        groups = self.store.resource_groups()
        page = groups[(number - 1) * size : number * size]
        return {
            "RequestId": new_request_id(),
            "PageNumber": number,
            "PageSize": size,
            "TotalCount": len(groups),
            "ResourceGroups": {
                "ResourceGroup": [{**group.to_document(), "Status": "OK"} for group in page]
            },
        }


def parse_key_pair_names(value: str | None) -> list[str] | ApiError:
    """DeleteKeyPairs' ``KeyPairNames``: a JSON array of 1 to 100 names."""
    if not value:
        return errors.missing_parameter("KeyPairNames")
    bad = errors.INVALID_KEY_PAIR_NAMES
    try:
        names = json.loads(value)
    except (ValueError, RecursionError):  # not JSON, an integer too long, nesting too deep
        return bad.at("KeyPairNames", 'must be a JSON array of names, such as ["a","b"]')
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        return bad.at("KeyPairNames", 'must be a JSON array of names, such as ["a","b"]')
    if not 1 <= len(names) <= MAX_DELETE_NAMES:
        return bad.at("KeyPairNames", f"must hold 1 to {MAX_DELETE_NAMES} names")
    return names
