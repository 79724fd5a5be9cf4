"""The one place where the command line gets the service it calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.engine.service import KeyPairService


def make_service() -> KeyPairService:
    """The local store in the configured data directory, with the configured quota.

    Imports the engine here, not at module level, so that ``--help`` costs nothing.
    """
    from app.engine import settings
    from app.engine.service import KeyPairService
    from app.engine.store import KeyPairStore

    return KeyPairService(KeyPairStore(settings.data_home(), settings.key_pair_quota()))
