"""The instance actions over the local store: RunInstances and its neighbours, AttachKeyPair and
DetachKeyPair. :class:`~ecs_keypair.store.local_backend.LocalBackend` inherits them.

Status changes complete at once (``Running`` or ``Stopped``). The key pair bound to an instance
takes effect when it is started or rebooted (see :mod:`ecs_keypair.contract.instances`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ecs_keypair.contract import errors, instance_rules, rules
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import new_instance_id, new_request_id, utc_minute
from ecs_keypair.contract.instance_results import (
    InstanceOutcome,
    InstancePage,
    KeyPairInstances,
    LaunchedInstances,
)
from ecs_keypair.contract.instances import RUNNING, STOPPED, BoundKey, InstanceRecord
from ecs_keypair.contract.page_tokens import cursor_of, token_after
from ecs_keypair.contract.results import Acknowledged
from ecs_keypair.store.instance_store import Changes, listing_order
from ecs_keypair.store.listing import DEFAULT_PAGE_SIZE, NamePattern, page_bounds
from ecs_keypair.store.store import KeyPairStore

if TYPE_CHECKING:  # loaded with the instance actions (contract/actions.py)
    from ecs_keypair.contract.instance_requests import (
        DeleteInstanceRequest,
        DescribeInstancesRequest,
        InstanceRequest,
        KeyPairInstancesRequest,
        RunInstancesRequest,
    )

MAX_INSTANCE_PAGE_SIZE = 100

Instances = Mapping[str, InstanceRecord]
Transition = Callable[[InstanceRecord], InstanceRecord | None]
Binding = Callable[[InstanceRecord, BoundKey], InstanceRecord]


def _fail(problem: ApiError | None) -> None:
    if problem is not None:
        raise ApiException(problem)


def _required(value: str | None, name: str) -> str:
    if not value:
        raise ApiException(errors.missing_parameter(name))
    return value


def _not_found(instance_id: str, region_id: str | None = None) -> ApiException:
    return ApiException(instance_rules.instance_not_found(instance_id, region_id))


def _wrong_status(record: InstanceRecord, needed: str) -> ApiException:
    return ApiException(
        errors.INCORRECT_INSTANCE_STATUS.at(
            "InstanceId", f"{record.instance_id} is {record.status}, not {needed}"
        )
    )


class LocalInstanceActions:
    """The instance actions; the class that inherits them holds the store as ``store``."""

    store: KeyPairStore

    def _key_pair(self, region_id: str, name: str) -> BoundKey | None:
        for record in self.store.key_pairs(region_id):
            if record.key_pair_name == name:
                return BoundKey(record.key_pair_name, record.public_key)
        return None

    def keys_in_effect(self, region_id: str) -> dict[str, str | None]:
        """The key pair in effect on each instance of the region (see
        :class:`~ecs_keypair.contract.backend.KeyInEffectStatus`)."""
        return {
            record.instance_id: record.in_effect.key_pair_name if record.in_effect else None
            for record in self.store.instances.instances(region_id)
        }

    def run_instances(self, request: RunInstancesRequest) -> LaunchedInstances:
        """RunInstances: ``Amount`` instances, running at once, the key pair (if any) bound
        and in effect; the region's quota and the key pair checked under the lock."""
        _fail(rules.check_region_id(request.region_id))
        region_id = _required(request.region_id, "RegionId")
        _fail(instance_rules.check_image_id(request.image_id))
        _fail(instance_rules.check_instance_type(request.instance_type))
        image_id, instance_type = request.image_id or "", request.instance_type or ""
        _fail(instance_rules.check_amount(request.amount))
        _fail(instance_rules.check_instance_name(request.instance_name))
        amount = 1 if request.amount is None else request.amount
        instances = self.store.instances

        def launch(current: Instances) -> tuple[Changes, tuple[str, ...]]:
            if len(current) + amount > instances.quota:
                raise ApiException(
                    errors.QUOTA_EXCEED_INSTANCES.at(
                        "Amount",
                        f"{region_id} holds {len(current)} of its quota of {instances.quota} "
                        "instances",
                    )
                )
            key = None
            if request.key_pair_name:
                key = self._key_pair(region_id, request.key_pair_name)
                if key is None:
                    raise ApiException(
                        errors.RUN_KEY_PAIR_NOT_FOUND.at(
                            "KeyPairName",
                            f"there is no key pair {request.key_pair_name!r} in {region_id}",
                        )
                    )
            if request.dry_run:
                raise ApiException(errors.DRY_RUN_OPERATION)
            now = utc_minute()
            made = [new_instance_id() for _ in range(amount)]
            changes: Changes = {
                instance_id: InstanceRecord(
                    instance_id=instance_id,
                    instance_name=request.instance_name or instance_id,
                    region_id=region_id,
                    image_id=image_id,
                    instance_type=instance_type,
                    status=RUNNING,
                    creation_time=now,
                    bound=key,
                    in_effect=key,
                )
                for instance_id in made
            }
            return changes, tuple(made)

        made = instances.transact(region_id, launch)
        return LaunchedInstances(made, new_request_id())

    def describe_instances(self, request: DescribeInstancesRequest) -> InstancePage:
        """DescribeInstances: filters, then a page by number, or by token when ``MaxResults`` or
        ``NextToken`` is given. The token names the last instance given (its creation time and
        id, the order of the list): instances made or released between pages skip nothing still
        there and repeat nothing."""
        _fail(rules.check_region_id(request.region_id))
        _fail(instance_rules.check_status(request.status))
        assert request.region_id
        by_token = request.max_results is not None or bool(request.next_token)
        if by_token:
            size = DEFAULT_PAGE_SIZE if request.max_results is None else request.max_results
            if not 1 <= size <= MAX_INSTANCE_PAGE_SIZE:
                raise ApiException(
                    errors.invalid_parameter("MaxResults", f"must be 1 to {MAX_INSTANCE_PAGE_SIZE}")
                )
            after = cursor_of(request.next_token) if request.next_token else None
        else:
            number, size = page_bounds(
                request.page_number, request.page_size, MAX_INSTANCE_PAGE_SIZE
            )
        name = request.instance_name
        if name is not None and len(name) > instance_rules.INSTANCE_NAME_MAX_LENGTH:
            raise ApiException(
                errors.invalid_parameter(
                    "InstanceName",
                    f"is at most {instance_rules.INSTANCE_NAME_MAX_LENGTH} characters long",
                )
            )
        if request.dry_run:
            raise ApiException(errors.DRY_RUN_OPERATION)
        pattern = NamePattern(tuple(name.split("*"))) if name else None
        wanted = None if request.instance_ids is None else set(request.instance_ids)
        stored = sorted(self.store.instances.instances(request.region_id), key=listing_order)
        found = [
            record
            for record in stored
            if (wanted is None or record.instance_id in wanted)
            and (not request.key_pair_name or record.key_pair_name == request.key_pair_name)
            and (pattern is None or pattern.matches(record.instance_name))
            and (not request.status or record.status == request.status)
        ]
        if by_token:
            if after is not None:
                found = [record for record in found if listing_order(record) > after]
            page = tuple(found[:size])
            token = token_after(listing_order(page[-1])) if len(found) > size else None
            return InstancePage(page, new_request_id(), by_token=True, next_token=token)
        page = tuple(found[(number - 1) * size : number * size])
        return InstancePage(page, new_request_id(), len(found), number, size)

    def _change_one(
        self, request: InstanceRequest | DeleteInstanceRequest, change: Transition
    ) -> Acknowledged:
        """Apply ``change`` to the request's instance (None: release it), found in its region
        or, as the cloud takes no region, in any region; a dry run stops short of writing."""
        instance_id, region_id = request.instance_id, request.region_id
        instance_id = _required(instance_id, "InstanceId")
        if region_id is not None:
            _fail(rules.check_region_id(region_id))
        region = region_id or self.store.instances.region_of(instance_id)
        if region is None:
            raise _not_found(instance_id)

        def apply(current: Instances) -> tuple[Changes, None]:
            record = current.get(instance_id)
            if record is None:
                raise _not_found(instance_id, region_id)
            changed = change(record)
            if request.dry_run:
                raise ApiException(errors.DRY_RUN_OPERATION)
            return {instance_id: changed}, None

        self.store.instances.transact(region, apply)
        return Acknowledged(new_request_id())

    def start_instance(self, request: InstanceRequest) -> Acknowledged:
        """StartInstance: a stopped instance runs, with its bound key pair in effect."""

        def start(record: InstanceRecord) -> InstanceRecord:
            if record.status != STOPPED:
                raise _wrong_status(record, STOPPED)
            return record.booted()

        return self._change_one(request, start)

    def stop_instance(self, request: InstanceRequest) -> Acknowledged:
        def stop(record: InstanceRecord) -> InstanceRecord:
            if record.status != RUNNING:
                raise _wrong_status(record, RUNNING)
            return record.with_status(STOPPED)

        return self._change_one(request, stop)

    def reboot_instance(self, request: InstanceRequest) -> Acknowledged:
        """RebootInstance: a running instance restarts with its bound key pair in effect."""

        def reboot(record: InstanceRecord) -> InstanceRecord:
            if record.status != RUNNING:
                raise _wrong_status(record, RUNNING)
            return record.booted()

        return self._change_one(request, reboot)

    def delete_instance(self, request: DeleteInstanceRequest) -> Acknowledged:
        """DeleteInstance: a stopped instance, or with ``Force`` one in any status."""

        def release(record: InstanceRecord) -> None:
            if record.status != STOPPED and not request.force:
                raise _wrong_status(record, STOPPED)
            return None

        return self._change_one(request, release)

    def _key_pair_instances(
        self, request: KeyPairInstancesRequest, bind: Binding
    ) -> KeyPairInstances:
        """AttachKeyPair and DetachKeyPair: the request's problems are its error; each
        instance's own is its outcome, and the others go on."""
        _fail(rules.check_region_id(request.region_id))
        region_id = _required(request.region_id, "RegionId")
        name = _required(request.key_pair_name, "KeyPairName")
        if request.instance_ids is None:
            raise ApiException(errors.missing_parameter("InstanceIds"))
        ids: Sequence[str] = request.instance_ids

        def work(current: Instances) -> tuple[Changes, tuple[InstanceOutcome, ...]]:
            key = self._key_pair(region_id, name)
            if key is None:
                raise ApiException(
                    errors.ATTACH_KEY_PAIR_NOT_FOUND.at(
                        "KeyPairName", f"there is no key pair {name!r} in {region_id}"
                    )
                )
            changes: Changes = {}
            outcomes = []
            for instance_id in ids:
                record = changes.get(instance_id) or current.get(instance_id)
                if record is None:
                    outcomes.append(InstanceOutcome(instance_id, errors.INSTANCE_NOT_FOUND))
                elif record.status not in (RUNNING, STOPPED):
                    outcomes.append(InstanceOutcome(instance_id, errors.INCORRECT_INSTANCE_STATUS))
                else:
                    changes[instance_id] = bind(record, key)
                    outcomes.append(InstanceOutcome(instance_id))
            return changes, tuple(outcomes)

        outcomes = self.store.instances.transact(region_id, work)
        return KeyPairInstances(name, outcomes, new_request_id())

    def attach_key_pair(self, request: KeyPairInstancesRequest) -> KeyPairInstances:
        """AttachKeyPair: binds the key pair, replacing the instance's; in effect at the next
        start or reboot."""
        return self._key_pair_instances(request, lambda record, key: record.bind(key))

    def detach_key_pair(self, request: KeyPairInstancesRequest) -> KeyPairInstances:
        """DetachKeyPair: unbinds the key pair from the instances it is bound to; an instance
        bound to another one (or none) is left as it is, and counts as done."""

        def unbind(record: InstanceRecord, key: BoundKey) -> InstanceRecord:
            return record.bind(None) if record.key_pair_name == key.key_pair_name else record

        return self._key_pair_instances(request, unbind)
