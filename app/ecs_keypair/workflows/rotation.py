"""Rotation in one step: every instance that holds key pair OLD moved to key pair NEW.

In order: NEW is made and its private key delivered (unless NEW exists already: a rerun uses it
and makes nothing, as said below); every instance bound to OLD, and every one bound to NEW whose
key in effect may not be NEW yet, gets NEW attached; each running one is rebooted when asked;
each is checked through DescribeInstances; OLD is deleted when asked and only once no instance
holds it.

**Bound is not in effect.** An attached key pair takes effect at the instance's next reboot (or
start), and the API shows only the bound one. A backend that keeps the key in effect says so
(:class:`~ecs_keypair.contract.backend.KeyInEffectStatus`, the local store) and the check reads
it. Through an endpoint it cannot be seen: an instance counts as moved when it is bound to NEW
and this run rebooted it after the attach (the API's rule). So a rerun there cannot tell an
instance already bound to NEW that was rebooted since from one that was not: it reboots the
running ones when asked, and otherwise says it cannot tell.

**A NEW that exists is used only when it is this machine's.** Attached, a key pair whose private
key nobody here holds locks every instance out; so an existing NEW is refused unless the door's
record says this machine saved its key (``held_here``, by MD5 fingerprint: a rerun after a run
that saved it) or the user says it is theirs (``use_existing``).

Works on any :class:`KeyPairBackend`; errors of the whole run raise ApiException before anything
is attached (an error about NEW's name names ``NewKeyPairName``), and each instance's failure is
its own result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ecs_keypair.contract import errors, rules
from ecs_keypair.contract.api_requests import DeleteKeyPairsRequest
from ecs_keypair.contract.backend import KeyInEffectStatus, KeyPairBackend, KeySpec
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import new_request_id
from ecs_keypair.contract.instance_requests import (
    DescribeInstancesRequest,
    InstanceRequest,
    KeyPairInstancesRequest,
)
from ecs_keypair.contract.instances import RUNNING, STOPPED, InstanceRecord
from ecs_keypair.contract.regions import host_id
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.workflows.instance_pages import listed_instances
from ecs_keypair.workflows.key_workflows import (
    AgentRequest,
    Delivered,
    create_and_deliver,
    make_key_here,
)

Body = dict[str, Any]
Outcome = Literal["Moved", "Attached", "Failed"]
NewOutcome = Literal["Created", "MadeHere", "AlreadyThere"]
OldOutcome = Literal["Deleted", "Kept", "AlreadyGone"]
ATTACH_BATCH = 50  # AttachKeyPair's InstanceIds holds at most 50
LIST_PAGE = 100  # DescribeInstances' InstanceIds hold at most 100
MOST_PAGES = 1_000  # 100,000 instances, far past a region's quota: a bound, not a limit


@dataclass(frozen=True, slots=True)
class InstanceRotation:
    """One instance: ``Moved`` (NEW bound and in effect), ``Attached`` (NEW bound, in effect at
    its next reboot or start, or not known to be) or ``Failed``; ``note`` says which."""

    instance_id: str
    outcome: Outcome
    note: str
    error: ApiError | None = None

    @property
    def moved(self) -> bool:
        return self.outcome == "Moved"

    def body(self, region_id: str) -> Body:
        entry: Body = {"InstanceId": self.instance_id, "Outcome": self.outcome, "Note": self.note}
        if self.error is not None:
            entry["Error"] = self.error.body(new_request_id(), host_id(region_id))
        return entry


@dataclass(frozen=True, slots=True)
class NewKeyPair:
    """How NEW came to be. ``detail`` is the public part of its making (never the private key);
    ``delivered`` where the private key went (None: made by an earlier run)."""

    key_pair_name: str
    outcome: NewOutcome
    fingerprint: str
    delivered: Delivered | None = None
    detail: Body = field(default_factory=dict)

    def body(self) -> Body:
        return {
            "KeyPairName": self.key_pair_name,
            "Outcome": self.outcome,
            "KeyPairFingerPrint": self.fingerprint,
            **self.detail,
        }


@dataclass(frozen=True, slots=True)
class OldKeyPair:
    """What became of OLD: ``asked`` whether deleting it was asked for; ``reason`` why it was
    kept."""

    key_pair_name: str
    outcome: OldOutcome
    asked: bool
    reason: str = ""
    error: ApiError | None = None

    @property
    def refused(self) -> bool:
        """Asked to go, and still there."""
        return self.asked and self.outcome == "Kept"

    def body(self, region_id: str) -> Body:
        entry: Body = {"KeyPairName": self.key_pair_name, "Outcome": self.outcome}
        if self.reason:
            entry["Reason"] = self.reason
        if self.error is not None:
            entry["Error"] = self.error.body(new_request_id(), host_id(region_id))
        return entry


@dataclass(frozen=True, slots=True)
class Rotation:
    """The whole run: NEW, each instance's result, OLD. ``in_effect_seen``: the backend showed
    the key in effect (else moved means bound and rebooted by this run)."""

    region_id: str
    new: NewKeyPair
    instances: tuple[InstanceRotation, ...]
    old: OldKeyPair
    in_effect_seen: bool

    @property
    def ok(self) -> bool:
        """Every instance moved, and OLD is gone if that was asked."""
        return all(result.moved for result in self.instances) and not self.old.refused

    @property
    def agent_error(self) -> ApiError | None:
        return self.new.delivered.agent_error if self.new.delivered else None

    def body(self) -> Body:
        moved = sum(result.moved for result in self.instances)
        return {
            "RegionId": self.region_id,
            "KeyPairName": self.old.key_pair_name,
            "NewKeyPairName": self.new.key_pair_name,
            "NewKeyPair": self.new.body(),
            "InEffect": "Seen" if self.in_effect_seen else "NotShownByTheApi",
            "Instances": [result.body(self.region_id) for result in self.instances],
            "Moved": moved,
            "NotMoved": len(self.instances) - moved,
            "OldKeyPair": self.old.body(self.region_id),
        }


def rotate_key_pair(
    backend: KeyPairBackend,
    region_id: str | None,
    old_name: str | None,
    new_name: str | None,
    *,
    made_here: KeySpec | None,
    save: SaveRequest | None,
    agent: AgentRequest | None,
    reboot: bool,
    delete_old: bool,
    use_existing: bool = False,
    held_here: Callable[[str], bool] | None = None,
    undone: Callable[[str], object] | None = None,
) -> Rotation:
    """Move every instance from ``old_name`` to ``new_name``; see the module docstring.

    NEW is made by ECS (CreateKeyPair, undone when its private key cannot be delivered) or,
    with ``made_here`` (a key type and size), on this machine and imported. A NEW that exists
    already is used when ``held_here`` (asked with its MD5 fingerprint; None: no record) says
    this machine holds its private key, or with ``use_existing``; otherwise refused before
    anything changes. ``undone`` is told NEW's name when it was deleted again on the way out of
    an interruption.
    """
    region, old, new = _checked(region_id, old_name, new_name)
    old_there = _fingerprint(backend, region, old) is not None
    new_key = _existing_new(backend, region, new)
    if new_key is not None and not use_existing:
        if held_here is None or not held_here(new_key.fingerprint):
            raise ApiException(_not_held_here(new, region))
    if new_key is None:
        if not old_there:
            raise ApiException(_no_key_pair(old, region))
        try:
            new_key = _make_new(backend, region, new, made_here, save, agent, undone)
        except ApiException as exc:
            raise ApiException(_about_new(exc.error)) from None
    in_effect = _in_effect(backend, region)
    bound_old = _bound_to(backend, region, old)
    bound_new = [
        record
        for record in _bound_to(backend, region, new)
        if in_effect is None or in_effect.get(record.instance_id) != new
    ]
    attempts = _attach(backend, region, new, [record.instance_id for record in bound_old])
    candidates = [*bound_old, *bound_new]
    rebooted: set[str] = set()
    for record in candidates if reboot else ():
        if record.status == RUNNING and attempts.get(record.instance_id) is None:
            failure = _reboot(backend, region, record.instance_id)
            if failure is None:
                rebooted.add(record.instance_id)
            else:
                attempts[record.instance_id] = failure
    in_effect = _in_effect(backend, region)
    results = _checked_instances(
        backend,
        region,
        new,
        candidates,
        attempts,
        rebooted,
        in_effect,
        {record.instance_id for record in bound_new},
    )
    old_key = _settle_old(backend, region, old, old_there, delete_old, results)
    return Rotation(region, new_key, results, old_key, in_effect is not None)


def _checked(
    region_id: str | None, old_name: str | None, new_name: str | None
) -> tuple[str, str, str]:
    """The region and both names, judged before anything is made."""
    problem = rules.check_region_id(region_id)
    if not old_name:
        problem = problem or errors.missing_parameter("KeyPairName")
    if not new_name:
        problem = problem or errors.missing_parameter("NewKeyPairName")
    new_problem = rules.check_key_pair_name(new_name)
    problem = problem or (_about_new(new_problem) if new_problem else None)
    if problem is None and old_name == new_name:
        problem = errors.invalid_parameter(
            "NewKeyPairName", "must name another key pair than KeyPairName"
        )
    if problem is not None:
        raise ApiException(problem)
    assert region_id and old_name and new_name
    return region_id, old_name, new_name


def _about_new(error: ApiError) -> ApiError:
    """An error about NEW's name, which the engine's checks and CreateKeyPair call
    ``KeyPairName``, named as this run's parameter for it."""
    return error.at("NewKeyPairName") if error.field == "KeyPairName" else error


def _not_held_here(name: str, region_id: str) -> ApiError:
    return errors.KEY_PAIR_ALREADY_EXIST.at(
        "NewKeyPairName",
        f"{name} exists in {region_id} and this machine has no record of holding its private "
        "key: attached, it could lock every instance out; nothing was changed. Use it only if "
        "you hold its key (--use-existing), or name a new key pair",
    )


def _no_key_pair(name: str, region_id: str) -> ApiError:
    return errors.KEY_PAIR_NOT_FOUND.at(
        "KeyPairName", f"there is no key pair {name!r} in {region_id}: nothing to rotate"
    )


def _fingerprint(backend: KeyPairBackend, region_id: str, name: str) -> str | None:
    """The key pair's MD5 fingerprint, None when the region has no key pair of that name."""
    for record in backend.find_key_pairs(region_id, key_pair_name=name):
        if record.key_pair_name == name:
            return record.fingerprint
    return None


def _existing_new(backend: KeyPairBackend, region_id: str, name: str) -> NewKeyPair | None:
    fingerprint = _fingerprint(backend, region_id, name)
    return None if fingerprint is None else NewKeyPair(name, "AlreadyThere", fingerprint)


def _make_new(
    backend: KeyPairBackend,
    region_id: str,
    name: str,
    made_here: KeySpec | None,
    save: SaveRequest | None,
    agent: AgentRequest | None,
    undone: Callable[[str], object] | None,
) -> NewKeyPair:
    """NEW made and its private key delivered; a key that would go nowhere is not made."""
    if save is None and agent is None:
        raise ApiException(
            errors.invalid_parameter(
                "NewKeyPairName",
                f"{name} is made by this rotation: its private key must be saved or added to "
                "the agent",
            )
        )
    if made_here is None:
        created = create_and_deliver(backend, region_id, name, None, (), save, agent, undone)
        fingerprint = str(created.response["KeyPairFingerPrint"])
        return NewKeyPair(name, "Created", fingerprint, created.delivered, created.body())
    key_type, bits = made_here
    made = make_key_here(backend, name, region_id, key_type, bits, save, agent)
    [imported] = made.results
    if not imported.ok:
        assert imported.error is not None
        raise ApiException(imported.error)
    detail = made.body()
    del detail["Regions"]
    return NewKeyPair(
        name, "MadeHere", made.public_key.md5_fingerprint, made.delivered, detail
    )


def _in_effect(backend: KeyPairBackend, region_id: str) -> Mapping[str, str | None] | None:
    """The key pair in effect on each instance, when the backend can tell; else None."""
    if isinstance(backend, KeyInEffectStatus):
        return backend.keys_in_effect(region_id)
    return None


def _pages(backend: KeyPairBackend, request: DescribeInstancesRequest) -> Iterator[InstanceRecord]:
    """Every instance DescribeInstances lists for ``request``, page by page (by token)."""
    records, _ = listed_instances(backend, request, MOST_PAGES)
    return iter(records)


def _bound_to(backend: KeyPairBackend, region_id: str, name: str) -> list[InstanceRecord]:
    """The instances the key pair ``name`` is bound to, all pages."""
    request = DescribeInstancesRequest(region_id, key_pair_name=name)
    return [record for record in _pages(backend, request) if record.key_pair_name == name]


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _attach(
    backend: KeyPairBackend, region_id: str, name: str, instance_ids: Sequence[str]
) -> dict[str, ApiError | None]:
    """AttachKeyPair, 50 instances a call; each instance's error (None: attached). A call
    refused whole is the error of each of its instances."""
    outcomes: dict[str, ApiError | None] = {}
    for batch in _batches(instance_ids, ATTACH_BATCH):
        try:
            answer = backend.attach_key_pair(KeyPairInstancesRequest(region_id, name, tuple(batch)))
        except ApiException as exc:
            outcomes.update((instance_id, exc.error) for instance_id in batch)
            continue
        outcomes.update((outcome.instance_id, outcome.error) for outcome in answer.outcomes)
        for instance_id in batch:  # an instance the answer leaves out was not attached
            outcomes.setdefault(instance_id, errors.INSTANCE_NOT_FOUND)
    return outcomes


def _reboot(backend: KeyPairBackend, region_id: str, instance_id: str) -> ApiError | None:
    try:
        backend.reboot_instance(InstanceRequest(instance_id, region_id))
    except ApiException as exc:
        return exc.error
    return None


def _checked_instances(
    backend: KeyPairBackend,
    region_id: str,
    new: str,
    candidates: Sequence[InstanceRecord],
    attempts: Mapping[str, ApiError | None],
    rebooted: set[str],
    in_effect: Mapping[str, str | None] | None,
    bound_before: set[str],
) -> tuple[InstanceRotation, ...]:
    """Each candidate's result, read back through DescribeInstances after the attach and
    reboots (``attempts``: the error of each instance's attach or reboot)."""
    ids = [record.instance_id for record in candidates]
    now: dict[str, InstanceRecord] = {}
    for batch in _batches(ids, LIST_PAGE):
        request = DescribeInstancesRequest(region_id, instance_ids=tuple(batch))
        now.update((record.instance_id, record) for record in _pages(backend, request))
    return tuple(
        _result(
            instance_id,
            new,
            attempts.get(instance_id),
            now.get(instance_id),
            instance_id in rebooted,
            in_effect,
            instance_id in bound_before,
        )
        for instance_id in ids
    )


def _result(
    instance_id: str,
    new: str,
    failure: ApiError | None,
    record: InstanceRecord | None,
    rebooted: bool,
    in_effect: Mapping[str, str | None] | None,
    bound_before: bool,
) -> InstanceRotation:
    """What one instance holds now, judged as the module docstring says."""
    if failure is not None:
        return InstanceRotation(instance_id, "Failed", f"not moved: {failure.line}", failure)
    if record is None:
        gone = errors.INSTANCE_NOT_FOUND
        return InstanceRotation(instance_id, "Failed", "gone while it was moved", gone)
    if record.key_pair_name != new:
        bound = record.key_pair_name or "no key pair"
        return InstanceRotation(instance_id, "Failed", f"bound to {bound} now, not {new}")
    if in_effect is not None:
        if in_effect.get(instance_id) == new:
            return InstanceRotation(instance_id, "Moved", f"{new} bound and in effect")
        return InstanceRotation(instance_id, "Attached", _takes_effect(record, new))
    if rebooted:
        return InstanceRotation(
            instance_id, "Moved", f"{new} bound, and in effect since this run rebooted it"
        )
    note = _takes_effect(record, new)
    if bound_before:
        note += "; the API does not show whether it is already: reboot it to be sure"
    return InstanceRotation(instance_id, "Attached", note)


def _takes_effect(record: InstanceRecord, new: str) -> str:
    if record.status == STOPPED:
        return f"{new} bound; it takes effect when the instance is started"
    if record.status == RUNNING:
        return f"{new} bound; it takes effect when the instance is rebooted"
    return f"{new} bound; the instance is {record.status}"


def _settle_old(
    backend: KeyPairBackend,
    region_id: str,
    old: str,
    there: bool,
    asked: bool,
    results: Sequence[InstanceRotation],
) -> OldKeyPair:
    """Delete OLD when asked and no instance holds it: bound (read again now) or, where the
    backend tells, in effect."""
    if not there:
        return OldKeyPair(old, "AlreadyGone", asked)
    if not asked:
        return OldKeyPair(old, "Kept", asked, "not asked to delete it")
    waiting = [result.instance_id for result in results if not result.moved]
    if waiting:
        return OldKeyPair(old, "Kept", asked, _held(waiting, "has not moved", "have not moved"))
    in_effect = _in_effect(backend, region_id) or {}
    holding = [record.instance_id for record in _bound_to(backend, region_id, old)]
    holding += [instance for instance, name in in_effect.items() if name == old]
    if holding:
        return OldKeyPair(old, "Kept", asked, _held(holding, "still holds it", "still hold it"))
    try:
        backend.delete_key_pairs(DeleteKeyPairsRequest(region_id, (old,)))
    except ApiException as exc:
        return OldKeyPair(old, "Kept", asked, "DeleteKeyPairs refused it", exc.error)
    return OldKeyPair(old, "Deleted", asked)


def _held(instance_ids: Sequence[str], one: str, many: str) -> str:
    """``1 instance has not moved: i-1``, ``2 instances have not moved: i-1, i-2``: ``one`` and
    ``many`` are the verb for each number."""
    ids = list(dict.fromkeys(instance_ids))
    if len(ids) == 1:
        return f"1 instance {one}: {ids[0]}"
    return f"{len(ids)} instances {many}: {', '.join(ids)}"
