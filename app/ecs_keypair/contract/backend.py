"""The one contract every backend keeps (the local store, an ECS endpoint).

The doors (command line, terminal app, ``serve``) hold a :class:`KeyPairBackend` and nothing
more specific: typed requests in (:mod:`requests`), typed results out (:mod:`results`), the
API's errors as :class:`~ecs_keypair.contract.errors.ApiException`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the terminal app's first frame imports this module, not the engine behind it
    from ecs_keypair.contract import api_requests as rq
    from ecs_keypair.contract import instance_requests as iq
    from ecs_keypair.contract import instance_results as ir
    from ecs_keypair.contract import results as rs
    from ecs_keypair.contract.errors import ApiError
    from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
    from ecs_keypair.contract.regions import Region


KeySpec = tuple[str, int | None]
"""A key type to make and its size in bits (``None``: the type's one size), as ``("rsa", 3072)``."""


class KeyPairBackend(Protocol):
    """Where key pairs live, and every action on them."""

    # -- what the screens show beside the API --

    @property
    def is_local(self) -> bool:
        """True: calls read and write files on this machine, quick enough for a keystroke.
        False: any call may wait on the network (never on a UI's event loop)."""
        ...

    @property
    def backend_label(self) -> str:
        """Where the key pairs live, for the screens' header."""
        ...

    @property
    def header_names_region(self) -> bool:
        """True on the cloud, where each region is an endpoint of its own: the screens' header
        names the region shown after :attr:`backend_label`."""
        ...

    @property
    def quota(self) -> int: ...

    def regions(self, refresh: bool = True) -> tuple[Region, ...]:
        """The regions to offer and to accept: the form's list, the pickers, ``--RegionId all``
        and the live region check. The built-in list on the local store; on an endpoint what its
        DescribeRegions answers (on the cloud kept a day in the data home).

        ``refresh=False`` never waits: what is known now (a list read before, the cached one,
        else the built-in list), for what is drawn or checked on a UI's event loop. Otherwise a
        list older than it may be is asked again, which may wait on the network; a failure
        falls back to what is known. Never raises."""
        ...

    @property
    def proposed_key_type(self) -> KeySpec:
        """What a key made here starts as: a type this backend's ImportKeyPair documents."""
        ...

    def count_key_pairs(self, region_id: str) -> int: ...

    def resource_groups(self) -> list[ResourceGroup]: ...

    def stop_waiting(self) -> None:
        """``serve`` is stopping: a call waiting on this machine (for a lock), now or later,
        answers ``ServiceUnavailable`` at once. This backend's waits only."""
        ...

    # -- checks the form runs live --

    def check_name(self, region_id: str, name: str | None) -> ApiError | None: ...

    def check_resource_group(self, resource_group_id: str | None) -> ApiError | None: ...

    def find_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[rq.TagFilter] = (),
        include_public_key: bool = False,
    ) -> list[KeyPairRecord]:
        """Every match of DescribeKeyPairs' filters, all pages."""
        ...

    # -- the API: one method per action of ecs_keypair.contract.actions.ACTIONS --

    def create_key_pair(self, request: rq.CreateKeyPairRequest) -> rs.CreatedKeyPair: ...

    def import_key_pair(self, request: rq.ImportKeyPairRequest) -> rs.ImportedKeyPair: ...

    def describe_key_pairs(self, request: rq.DescribeKeyPairsRequest) -> rs.KeyPairPage: ...

    def delete_key_pairs(self, request: rq.DeleteKeyPairsRequest) -> rs.Acknowledged: ...

    def describe_regions(self, request: rq.DescribeRegionsRequest) -> rs.RegionList: ...

    def create_resource_group(
        self, request: rq.CreateResourceGroupRequest
    ) -> rs.CreatedResourceGroup: ...

    def list_resource_groups(
        self, request: rq.ListResourceGroupsRequest
    ) -> rs.ResourceGroupPage: ...

    def tag_resources(self, request: rq.TagResourcesRequest) -> rs.Acknowledged: ...

    def untag_resources(self, request: rq.UntagResourcesRequest) -> rs.Acknowledged: ...

    def list_tag_resources(self, request: rq.ListTagResourcesRequest) -> rs.TagResourcePage: ...

    def join_resource_group(self, request: rq.JoinResourceGroupRequest) -> rs.Acknowledged: ...

    # -- instances, as much as key pairs need --

    def run_instances(self, request: iq.RunInstancesRequest) -> ir.LaunchedInstances: ...

    def describe_instances(self, request: iq.DescribeInstancesRequest) -> ir.InstancePage: ...

    def start_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged: ...

    def stop_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged: ...

    def reboot_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged: ...

    def delete_instance(self, request: iq.DeleteInstanceRequest) -> rs.Acknowledged: ...

    def attach_key_pair(self, request: iq.KeyPairInstancesRequest) -> ir.KeyPairInstances: ...

    def detach_key_pair(self, request: iq.KeyPairInstancesRequest) -> ir.KeyPairInstances: ...


@runtime_checkable
class MirrorStatus(Protocol):
    """A backend that answers a listing from its mirror while the endpoint cannot be reached
    (:mod:`ecs_keypair.mirrored`); the screens say so with :meth:`offline_note`."""

    def offline_note(self, region_id: str) -> str | None:
        """``as of 14:02, cn-hangzhou unreachable`` when the region's last listing came from the
        mirror, None when it came from the endpoint."""
        ...


@runtime_checkable
class KeyInEffectStatus(Protocol):
    """A backend that can tell which key pair is in effect on its instances (the local store
    keeps it). The API cannot: DescribeInstances shows the bound key pair only, so a key attached
    but not yet in effect looks the same there as one in effect."""

    def keys_in_effect(self, region_id: str) -> Mapping[str, str | None]:
        """Each instance of the region by id: the name of the key pair in effect, None for
        none."""
        ...
