"""Where the data lives and the limits in force, read once from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_QUOTA = 500
HOME_VARIABLE = "ECS_KEYPAIR_HOME"
QUOTA_VARIABLE = "ECS_KEYPAIR_QUOTA"
DEFAULT_INSTANCE_QUOTA = 100
INSTANCE_QUOTA_VARIABLE = "ECS_KEYPAIR_INSTANCE_QUOTA"
LOCK_TIMEOUT_VARIABLE = "ECS_KEYPAIR_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_SECONDS = 10.0


class ConfigError(Exception):
    """A setting from the environment that cannot be used; the message says which and why."""


def data_home() -> Path:
    """``$ECS_KEYPAIR_HOME`` if set, else the platform's user data directory."""
    configured = os.environ.get(HOME_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path  # only needed when no home is configured

    return user_data_path("ecs-keypair", appauthor=False)


def _configured(variable: str) -> str | None:
    """The variable's value, or None when it is unset or empty (an empty setting means the
    default)."""
    return os.environ.get(variable) or None


def _count(variable: str, default: int, what: str) -> int:
    """A whole number of ``what`` from ``variable``, or ``default`` when unset."""
    configured = _configured(variable)
    if configured is None:
        return default
    try:
        count = int(configured)
    except ValueError:
        raise ConfigError(f"{variable}={configured!r} is not a whole number of {what}") from None
    if count < 0:
        raise ConfigError(f"{variable}={configured!r} must not be negative")
    return count


def key_pair_quota() -> int:
    """Key pairs per region: 500, as ECS grants, unless ``$ECS_KEYPAIR_QUOTA`` raises or
    lowers it."""
    return _count(QUOTA_VARIABLE, DEFAULT_QUOTA, "key pairs per region")


def instance_quota() -> int:
    """Instances per region: 100 unless ``$ECS_KEYPAIR_INSTANCE_QUOTA`` says otherwise (the
    cloud's quotas vary by account and type; this bounds what a region's file holds)."""
    return _count(INSTANCE_QUOTA_VARIABLE, DEFAULT_INSTANCE_QUOTA, "instances per region")


def lock_timeout() -> float:
    """Seconds a writer waits for another process' lock: 10 unless ``$ECS_KEYPAIR_LOCK_TIMEOUT``."""
    configured = _configured(LOCK_TIMEOUT_VARIABLE)
    if configured is None:
        return DEFAULT_LOCK_TIMEOUT_SECONDS
    try:
        seconds = float(configured)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:  # also refuses nan and inf
        raise ConfigError(
            f"{LOCK_TIMEOUT_VARIABLE}={configured!r} must be a number of seconds from 0 to 3600"
        )
    return seconds
