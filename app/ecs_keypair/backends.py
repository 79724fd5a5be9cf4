"""The one factory that opens a backend: the local store, or an ECS endpoint through the
official SDK. It sits above both, so that neither knows of the other."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ecs_keypair.contract.backend import KeyPairBackend


def open_backend(endpoint: str | None = None, profile: str | None = None) -> KeyPairBackend:
    """The local store in the configured data directory with the configured quota; or, with an
    endpoint, that endpoint through the official SDK (credentials from ``profile`` or the
    standard sources), its key pairs mirrored in the data directory (:mod:`ecs_keypair.mirrored`).
    The command line, the terminal app and ``serve`` all open it here.

    Imports lazily, so that ``--help`` costs nothing and the local store never loads the SDK.
    Raises ConfigError / StoreError (the store), ApiException (the endpoint, its credentials).
    """
    from ecs_keypair.store import settings

    if endpoint:
        from ecs_keypair.mirrored import MirroredBackend
        from ecs_keypair.remote.account import access_key_id
        from ecs_keypair.remote.backend import RemoteBackend
        from ecs_keypair.store.mirror import Mirror

        remote = RemoteBackend.connect(endpoint, profile)
        mirror = Mirror(settings.data_home(), remote.endpoint.host, access_key_id(profile))
        return MirroredBackend(remote, mirror)
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
        backend = open_backend(endpoint, profile)
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
