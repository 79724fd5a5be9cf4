"""Identifiers and timestamps in the shapes the API uses."""

from __future__ import annotations

import secrets
import string
import uuid
from datetime import UTC, datetime

_ID_ALPHABET = string.ascii_lowercase + string.digits


def _random_id(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def new_request_id() -> str:
    """An upper-case UUID, new for every call (errors included)."""
    return str(uuid.uuid4()).upper()


def new_key_pair_id() -> str:
    """``ssh-`` and 18 characters of ``[a-z0-9]``."""
    return _random_id("ssh-", 18)


def new_instance_id() -> str:
    """``i-`` and 20 characters of ``[a-z0-9]``, as ECS instance ids look."""
    return _random_id("i-", 20)


def new_resource_group_id() -> str:
    """``rg-`` and 15 characters of ``[a-z0-9]``, as Resource Manager's IDs look."""
    return _random_id("rg-", 15)


def utc_minute(now: datetime | None = None) -> str:
    """UTC ISO 8601 to the minute, as ECS writes ``CreationTime``: ``2026-11-28T02:36Z``."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def utc_second(now: datetime | None = None) -> str:
    """UTC ISO 8601 to the second, as Resource Manager writes ``CreateDate``."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
