"""An endpoint's backend with its key pairs mirrored in the data directory.

:class:`MirroredBackend` wraps any remote :class:`~ecs_keypair.contract.backend.KeyPairBackend`
(one endpoint, or the cloud's endpoint per region) and keeps
:class:`~ecs_keypair.store.mirror.Mirror` up to date with what its answers say: a whole listing
of a region replaces that region, a page of one adds its rows, and creating, importing,
deleting, tagging and moving key pairs adjust them. The endpoint stays the authority:

* the name check on every keystroke reads the mirror only, once this process has listed the
  region (its first check lists it); CreateKeyPair's own answer is still the final word;
* when the endpoint cannot be reached (refused, no answer in time), a listing answers the
  mirror's rows and :meth:`MirroredBackend.offline_note` says how old they are, while creating,
  importing, deleting and tagging fail saying that they need the endpoint.

The API's own answers (``DescribeKeyPairs`` on the command line, through ``--pager`` too) are
never answered from the mirror: a script cannot tell an old answer from a new one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar

from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract import errors, rules
from ecs_keypair.contract import instance_requests as iq
from ecs_keypair.contract import instance_results as ir
from ecs_keypair.contract import results as rs
from ecs_keypair.contract.backend import KeyPairBackend, KeySpec
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import utc_minute, utc_second
from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
from ecs_keypair.contract.regions import Region
from ecs_keypair.contract.rules import Tag
from ecs_keypair.remote.sdk_errors import TIMEOUT, UNREACHABLE_CODES
from ecs_keypair.store.listing import matching
from ecs_keypair.store.mirror import Mirror
from ecs_keypair.store.store_paths import StoreError

RETRY_SECONDS = 30.0
"""After a listing for the name check got no answer, how long the check keeps to the mirror
before it asks the endpoint again: an endpoint that is down must not cost a timeout a key."""

_T = TypeVar("_T")


def unreachable(error: ApiError) -> bool:
    """Whether the call got no answer at all (as opposed to the endpoint refusing it)."""
    return error.code in UNREACHABLE_CODES


def needs_endpoint(doing: str, error: ApiError) -> ApiError:
    """The error of a change tried while the endpoint cannot be reached: it keeps the code and
    status, and says plainly that the change needs the endpoint (the mirror is for reading)."""
    why = error.message[:1].lower() + error.message[1:]
    unknown = (
        " Whether it was made is not known until the region is listed again."
        if error.code == TIMEOUT
        else ""
    )
    message = (
        f"{doing.capitalize()} needs the endpoint, and it cannot be reached now: {why}{unknown} "
        "Its mirrored key pairs can be read, not changed."
    )
    return replace(error, message=message, reason=f"{doing} needs the endpoint: {why}")


def shown_time(listed_at: str, now: datetime | None = None) -> str:
    """A listing's time in local time: ``14:02`` today, ``May 01 14:02`` another day."""
    try:
        when = datetime.strptime(listed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone()
    except ValueError:
        return listed_at
    today = (now or datetime.now(UTC)).astimezone().date()
    return when.strftime("%H:%M" if when.date() == today else "%b %d %H:%M")


def _tagged(tags: Sequence[Tag]) -> Callable[[KeyPairRecord], KeyPairRecord]:
    def change(record: KeyPairRecord) -> KeyPairRecord:
        merged = {tag.key: tag for tag in record.tags} | {tag.key: tag for tag in tags}
        return replace(record, tags=tuple(merged.values()))

    return change


def _untagged(keys: Sequence[str], every: bool) -> Callable[[KeyPairRecord], KeyPairRecord]:
    doomed = set(keys)

    def change(record: KeyPairRecord) -> KeyPairRecord:
        kept = () if every and not doomed else tuple(t for t in record.tags if t.key not in doomed)
        return replace(record, tags=kept)

    return change


@dataclass(frozen=True, slots=True)
class SyncedRegion:
    """A region listed whole into the mirror: how many key pairs it holds, and what was wrong
    with the mirror's file of it that the listing replaced (None: nothing)."""

    key_pairs: int
    replaced: str | None


class MirroredBackend:
    """A remote backend whose answers keep a mirror; see the module docstring."""

    def __init__(
        self, remote: KeyPairBackend, mirror: Mirror, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.remote = remote
        self.mirror = mirror
        self._clock = clock
        self._lock = threading.Lock()
        self._listed: set[str] = set()  # listed whole by this process: the mirror is current
        self._failed: dict[str, tuple[float, ApiError]] = {}  # the last listing that failed
        self._offline: dict[str, str] = {}  # answered from the mirror: when it was listed

    # -- what the screens show beside the API --

    @property
    def is_local(self) -> bool:
        return self.remote.is_local

    @property
    def backend_label(self) -> str:
        return self.remote.backend_label

    @property
    def quota(self) -> int:
        return self.remote.quota

    @property
    def proposed_key_type(self) -> KeySpec:
        return self.remote.proposed_key_type

    @property
    def header_names_region(self) -> bool:
        return self.remote.header_names_region

    def regions(self, refresh: bool = True) -> tuple[Region, ...]:
        return self.remote.regions(refresh)

    def count_key_pairs(self, region_id: str) -> int:
        return len(self._names(region_id))

    def resource_groups(self) -> list[ResourceGroup]:
        return self.remote.resource_groups()

    def stop_waiting(self) -> None:
        self.mirror.stop_waiting()
        self.remote.stop_waiting()

    def offline_note(self, region_id: str) -> str | None:
        """``as of 14:02, cn-hangzhou unreachable`` when the region's last listing was answered
        from the mirror; None when the endpoint answered it."""
        with self._lock:
            listed_at = self._offline.get(region_id)
        if listed_at is None:
            return None
        return f"as of {shown_time(listed_at)}, {region_id} unreachable"

    # -- checks the form runs live --

    def check_name(self, region_id: str, name: str | None) -> ApiError | None:
        known = [region.region_id for region in self.remote.regions(refresh=False)]
        return rules.check_name_against(region_id, name, known, self._names)

    def check_resource_group(self, resource_group_id: str | None) -> ApiError | None:
        return self.remote.check_resource_group(resource_group_id)

    def _names(self, region_id: str) -> frozenset[str]:
        """The region's names from the mirror, the region listed first unless this process has
        listed it (or tried to, less than :data:`RETRY_SECONDS` ago)."""
        with self._lock:
            listed = region_id in self._listed
            failed = self._failed.get(region_id)
        if not listed:
            if failed is None or self._clock() - failed[0] >= RETRY_SECONDS:
                try:
                    self.find_key_pairs(region_id)  # the endpoint, else the mirror
                except ApiException as exc:
                    with self._lock:
                        self._failed[region_id] = (self._clock(), exc.error)
                    raise
            elif self.mirror.region(region_id).listed_at is None:
                raise ApiException(failed[1])  # never listed: the mirror knows nothing
        return self.mirror.names(region_id)

    # -- listing --

    def find_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[rq.TagFilter] = (),
        include_public_key: bool = False,
    ) -> list[KeyPairRecord]:
        """The endpoint's answer, kept in the mirror; while it cannot be reached, the mirror's
        rows (of a region it has listed before; it keeps no public key)."""
        try:
            found = self.remote.find_key_pairs(
                region_id, key_pair_name, fingerprint, resource_group_id, tags, include_public_key
            )
        except ApiException as exc:
            if region_id is None or include_public_key or not unreachable(exc.error):
                raise
            mirrored = self.mirror.region(region_id)
            if mirrored.listed_at is None:
                raise
            with self._lock:
                self._offline[region_id] = mirrored.listed_at
                self._failed[region_id] = (self._clock(), exc.error)
            return matching(mirrored.rows, key_pair_name, fingerprint, resource_group_id, tags)
        if region_id:
            if key_pair_name or fingerprint or resource_group_id or tags:
                self._keep(region_id, lambda: self.mirror.put(found))
            else:
                self._keep(region_id, lambda: self._listed_whole(region_id, found))
        return found

    def sync(self, region_id: str) -> SyncedRegion:
        """List the region whole on the endpoint into the mirror, over a region file that
        could not be read. Raises what the endpoint answered, or StoreError when the mirror
        cannot be written."""
        found = self.remote.find_key_pairs(region_id)
        replaced = self._listed_whole(region_id, found)
        return SyncedRegion(len(found), replaced)

    def _listed_whole(self, region_id: str, found: Sequence[KeyPairRecord]) -> str | None:
        """The mirror's region replaced by a whole listing; what was wrong with the file it
        replaced, if anything."""
        replaced = self.mirror.replace_region(region_id, found, utc_second())
        with self._lock:
            self._listed.add(region_id)
            self._offline.pop(region_id, None)
            self._failed.pop(region_id, None)
        return replaced

    def _keep(self, region_id: str, write: Callable[[], object]) -> None:
        """Write to the mirror after the endpoint has answered. The answer stands whatever
        happens here (a new key pair's private key must reach its owner): a mirror that cannot
        be written is listed again by the next name check."""
        try:
            write()
        except (StoreError, ApiException, OSError):
            self._forget(region_id)

    def _forget(self, region_id: str) -> None:
        with self._lock:
            self._listed.discard(region_id)
            self._failed.pop(region_id, None)

    # -- the API --

    def _change(self, doing: str, region_id: str | None, call: Callable[[], _T]) -> _T:
        """A change on the endpoint: its answer, or its error, said plainly when the endpoint
        cannot be reached. A name the mirror missed, or a change whose outcome is unknown,
        makes the next name check list the region again."""
        try:
            return call()
        except ApiException as exc:
            if exc.error.code in (TIMEOUT, errors.KEY_PAIR_ALREADY_EXIST.code) and region_id:
                self._forget(region_id)
            if unreachable(exc.error):
                raise ApiException(needs_endpoint(doing, exc.error)) from None
            raise

    def create_key_pair(self, request: rq.CreateKeyPairRequest) -> rs.CreatedKeyPair:
        region_id = request.region_id or ""
        created = self._change(
            "creating a key pair", region_id, lambda: self.remote.create_key_pair(request)
        )
        self._keep(region_id, lambda: self.mirror.put([created.record]))
        return created

    def import_key_pair(self, request: rq.ImportKeyPairRequest) -> rs.ImportedKeyPair:
        region_id = request.region_id or ""
        imported = self._change(
            "importing a key pair", region_id, lambda: self.remote.import_key_pair(request)
        )
        record = KeyPairRecord(
            key_pair_id="",
            key_pair_name=imported.key_pair_name or request.key_pair_name or "",
            region_id=region_id,
            fingerprint=imported.fingerprint,
            public_key="",
            resource_group_id=request.resource_group_id or "",
            creation_time=utc_minute(),  # ImportKeyPair does not return it; now, to the minute
            tags=tuple(request.tags),
        )
        self._keep(region_id, lambda: self.mirror.put([record]))
        return imported

    def describe_key_pairs(self, request: rq.DescribeKeyPairsRequest) -> rs.KeyPairPage:
        page = self.remote.describe_key_pairs(request)
        region_id = request.region_id
        if region_id and page.key_pairs:
            self._keep(region_id, lambda: self.mirror.put(page.key_pairs))
        return page

    def delete_key_pairs(self, request: rq.DeleteKeyPairsRequest) -> rs.Acknowledged:
        region_id = request.region_id or ""
        done = self._change(
            "deleting key pairs", region_id, lambda: self.remote.delete_key_pairs(request)
        )
        self._keep(region_id, lambda: self.mirror.remove(region_id, request.key_pair_names or ()))
        return done

    def describe_regions(self, request: rq.DescribeRegionsRequest) -> rs.RegionList:
        return self.remote.describe_regions(request)

    def create_resource_group(
        self, request: rq.CreateResourceGroupRequest
    ) -> rs.CreatedResourceGroup:
        return self.remote.create_resource_group(request)

    def list_resource_groups(self, request: rq.ListResourceGroupsRequest) -> rs.ResourceGroupPage:
        return self.remote.list_resource_groups(request)

    def tag_resources(self, request: rq.TagResourcesRequest) -> rs.Acknowledged:
        return self._changed(
            "tagging key pairs",
            request.region_id,
            request.resource_ids,
            lambda: self.remote.tag_resources(request),
            _tagged(request.tags),
        )

    def untag_resources(self, request: rq.UntagResourcesRequest) -> rs.Acknowledged:
        return self._changed(
            "untagging key pairs",
            request.region_id,
            request.resource_ids,
            lambda: self.remote.untag_resources(request),
            _untagged(request.tag_keys, bool(request.all)),
        )

    def list_tag_resources(self, request: rq.ListTagResourcesRequest) -> rs.TagResourcePage:
        return self.remote.list_tag_resources(request)

    def join_resource_group(self, request: rq.JoinResourceGroupRequest) -> rs.Acknowledged:
        group = request.resource_group_id or ""
        return self._changed(
            "moving a key pair to another resource group",
            request.region_id,
            (request.resource_id or "",),
            lambda: self.remote.join_resource_group(request),
            lambda record: replace(record, resource_group_id=group),
        )

    # -- instances: the endpoint's alone (the mirror keeps key pairs) --

    def run_instances(self, request: iq.RunInstancesRequest) -> ir.LaunchedInstances:
        return self.remote.run_instances(request)

    def describe_instances(self, request: iq.DescribeInstancesRequest) -> ir.InstancePage:
        return self.remote.describe_instances(request)

    def start_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged:
        return self.remote.start_instance(request)

    def stop_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged:
        return self.remote.stop_instance(request)

    def reboot_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged:
        return self.remote.reboot_instance(request)

    def delete_instance(self, request: iq.DeleteInstanceRequest) -> rs.Acknowledged:
        return self.remote.delete_instance(request)

    def attach_key_pair(self, request: iq.KeyPairInstancesRequest) -> ir.KeyPairInstances:
        return self.remote.attach_key_pair(request)

    def detach_key_pair(self, request: iq.KeyPairInstancesRequest) -> ir.KeyPairInstances:
        return self.remote.detach_key_pair(request)

    def _changed(
        self,
        doing: str,
        region_id: str | None,
        names: Sequence[str],
        call: Callable[[], rs.Acknowledged],
        change: Callable[[KeyPairRecord], KeyPairRecord],
    ) -> rs.Acknowledged:
        """A change of existing key pairs on the endpoint, then the same change in the mirror."""
        done = self._change(doing, region_id, call)
        if region_id:
            self._keep(region_id, lambda: self.mirror.change(region_id, names, change))
        return done
