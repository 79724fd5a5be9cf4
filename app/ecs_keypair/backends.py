"""The one factory that opens a backend: the local store, or an ECS endpoint through the
official SDK. It sits above both, so that neither knows of the other."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypedDict

from ecs_keypair.contract.backend import KeyPairBackend


class Target(TypedDict, total=False):
    """Where the calls go, as :func:`open_backend` takes it (the command line's ``--endpoint``,
    ``--profile`` and ``--cloud``); empty: the local store."""

    endpoint: str
    profile: str
    cloud: bool


def open_backend(
    endpoint: str | None = None, profile: str | None = None, cloud: bool = False
) -> KeyPairBackend:
    """The local store in the configured data directory with the configured quota; with
    ``cloud``, Alibaba Cloud (each region at its own endpoint, its region list kept in the data
    directory); with an endpoint, that endpoint
    for every region. Either remote one goes through the official SDK, with credentials from
    ``profile`` or the standard sources, its key pairs mirrored in the data directory
    (:mod:`ecs_keypair.mirrored`). The command line, the terminal app and ``serve`` all open it
    here.

    Imports lazily, so that ``--help`` costs nothing and the local store never loads the SDK.
    Raises ConfigError / StoreError (the store), ApiException (the endpoint, its credentials),
    EndpointsSettingError (``ECS_KEYPAIR_ENDPOINTS``, on the cloud).
    """
    from ecs_keypair.store import settings

    if cloud or endpoint:
        from ecs_keypair.mirrored import MirroredBackend
        from ecs_keypair.remote.backend import RemoteBackend
        from ecs_keypair.remote.credentials import access_key_id
        from ecs_keypair.store.mirror import Mirror

        remote = (
            RemoteBackend.connect_cloud(profile, settings.data_home())
            if cloud
            else RemoteBackend.connect(endpoint or "", profile)
        )
        mirror = Mirror(settings.data_home(), remote.routes.place, access_key_id(profile))
        return MirroredBackend(remote, mirror)
    return _open_store(settings.data_home(), settings.key_pair_quota())


def backend_opener(
    endpoint: str | None = None, profile: str | None = None, cloud: bool = False
) -> Callable[[], KeyPairBackend]:
    """What opens the backend, once what can stop the start has been checked: the terminal app
    calls this before its first frame, and what it returns right after that frame.

    The local store's settings and its data home are checked now, without TinyDB; the store
    (its imports, its files) opens in the call. An endpoint is connected now: its credentials
    are known only through the SDK, and a missing one must stop the start before any screen (so
    is the cloud).
    Raises what :func:`open_backend` raises.
    """
    if cloud or endpoint:
        backend = open_backend(endpoint, profile, cloud)
        return lambda: backend
    from ecs_keypair.store import settings
    from ecs_keypair.store.store_paths import ensure_private_dir

    home, quota = settings.data_home(), settings.key_pair_quota()
    settings.lock_timeout()  # the store reads it too: a bad value stops the start, not later
    ensure_private_dir(home)
    return partial(_open_store, home, quota)


def _open_store(home: Path, quota: int) -> KeyPairBackend:
    from ecs_keypair.store.local_backend import LocalBackend
    from ecs_keypair.store.store import KeyPairStore

    return LocalBackend(KeyPairStore(home, quota))
