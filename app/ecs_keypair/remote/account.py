"""Whose key pairs an endpoint answers with: the AccessKeyId the backend signs with.

Read from the same sources as :mod:`ecs_keypair.remote.credentials`, in the same order, without
asking any service (a profile that assumes a role names its own AccessKeyId in the file), so
that the mirror of an endpoint's key pairs is found again while the endpoint cannot be reached.
"""

from __future__ import annotations

import json
import os
import stat

from ecs_keypair.remote.credentials import KEY_ID_VARIABLE, SECRET_VARIABLE, cli_config_path

MAX_CONFIG_BYTES = 1024 * 1024  # the aliyun CLI's file: a few profiles, a few KiB


def access_key_id(profile: str | None = None) -> str:
    """The AccessKeyId of ``--profile``, else of the environment, else of the current profile;
    ``profile NAME`` when the file names none (a profile of another kind)."""
    if not profile:
        key_id = os.environ.get(KEY_ID_VARIABLE)
        if key_id and os.environ.get(SECRET_VARIABLE):
            return key_id
    config = _config()
    name = profile or str(config.get("current") or "default")
    profiles = config.get("profiles")
    for entry in profiles if isinstance(profiles, list) else []:
        if isinstance(entry, dict) and entry.get("name") == name:
            key_id = entry.get("access_key_id")
            if isinstance(key_id, str) and key_id:
                return key_id
    return f"profile {name}"


def _config() -> dict[str, object]:
    """``~/.aliyun/config.json`` as JSON, or nothing (the credentials library says what is
    wrong with it when the backend first signs a call)."""
    try:  # never waits on a FIFO, never reads more than a config file holds
        fd = os.open(cli_config_path(), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return {}
        raw = os.read(fd, MAX_CONFIG_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_CONFIG_BYTES else None
    except (OSError, ValueError):
        return {}
    finally:
        os.close(fd)
    return data if isinstance(data, dict) else {}
