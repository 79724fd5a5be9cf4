"""The one place where the command line gets the service it calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.engine.service import KeyPairService


def make_service(endpoint: str | None = None, profile: str | None = None) -> KeyPairService:
    """The local store in the configured data directory, with the configured quota; or, with
    ``--endpoint``, that endpoint through the official SDK (credentials from ``--profile`` or the
    standard sources), which offers the same methods.

    Imports the engine here, not at module level, so that ``--help`` costs nothing.
    """
    if endpoint:
        from app.remote.service import RemoteKeyPairService

        return RemoteKeyPairService.connect(endpoint, profile)  # type: ignore[return-value]
    from app.engine import settings
    from app.engine.service import KeyPairService
    from app.engine.store import KeyPairStore

    return KeyPairService(KeyPairStore(settings.data_home(), settings.key_pair_quota()))
