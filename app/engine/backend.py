"""The one contract every backend keeps (the local engine, an ECS endpoint), and the one factory.

The doors (command line, terminal app, ``serve``) hold a :class:`KeyPairBackend` and nothing
more specific: typed requests in (:mod:`requests`), typed results out (:mod:`results`), the
API's errors as :class:`~app.engine.errors.ApiException`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the terminal app's first frame imports this module, not the engine behind it
    from . import requests as rq
    from . import results as rs
    from .errors import ApiError
    from .records import KeyPairRecord, ResourceGroup


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
    def quota(self) -> int: ...

    def count_key_pairs(self, region_id: str) -> int: ...

    def resource_groups(self) -> list[ResourceGroup]: ...

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

    # -- the API: one method per action of app.engine.actions.ACTIONS --

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


def open_backend(endpoint: str | None = None, profile: str | None = None) -> KeyPairBackend:
    """The local store in the configured data directory with the configured quota; or, with an
    endpoint, that endpoint through the official SDK (credentials from ``profile`` or the
    standard sources). The command line, the terminal app and ``serve`` all open it here.

    Imports lazily, so that ``--help`` costs nothing and the local store never loads the SDK.
    Raises ConfigError / StoreError (the store), ApiException (the endpoint, its credentials).
    """
    if endpoint:
        from app.remote.service import RemoteKeyPairService

        return RemoteKeyPairService.connect(endpoint, profile)
    from . import settings

    return _open_store(settings.data_home(), settings.key_pair_quota())


def backend_opener(
    endpoint: str | None = None, profile: str | None = None
) -> Callable[[], KeyPairBackend]:
    """What opens the backend, once what can stop the start has been checked: the terminal app
    calls this before its first frame, and what it returns right after that frame.

    The local store's settings and its data home are checked now, without TinyDB; the store
    (its imports, its files) opens in the call. An endpoint is connected now: its credentials
    are known only through the SDK, and a missing one must stop the start before any screen.
    Raises what :func:`open_backend` raises.
    """
    if endpoint:
        service = open_backend(endpoint, profile)
        return lambda: service
    from . import settings
    from .store_paths import ensure_private_dir

    home, quota = settings.data_home(), settings.key_pair_quota()
    settings.lock_timeout()  # the store reads it too: a bad value stops the start, not later
    ensure_private_dir(home)
    return partial(_open_store, home, quota)


def _open_store(home: Path, quota: int) -> KeyPairBackend:
    from .service import KeyPairService
    from .store import KeyPairStore

    return KeyPairService(KeyPairStore(home, quota))
