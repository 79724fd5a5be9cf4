"""Where the endpoint's credentials come from: the standard sources, read by the official library.

The order follows the ``aliyun`` command line: a profile named with ``--profile`` wins; otherwise
``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (and
``ALIBABA_CLOUD_SECURITY_TOKEN`` when set); otherwise the current profile of
``~/.aliyun/config.json``. The environment is read when the backend is built (the credentials
library reads it once at import), and no cloud metadata service is ever asked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import (
    CLIProfileCredentialsProvider,
    StaticAKCredentialsProvider,
    StaticSTSCredentialsProvider,
)
from alibabacloud_credentials_api import ICredentialsProvider

from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.keys.file_reads import read_small_file

KEY_ID_VARIABLE = "ALIBABA_CLOUD_ACCESS_KEY_ID"
SECRET_VARIABLE = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
TOKEN_VARIABLE = "ALIBABA_CLOUD_SECURITY_TOKEN"

MAX_CONFIG_BYTES = 1024 * 1024  # the aliyun CLI's file: a few profiles, a few KiB


def missing_credentials(detail: str) -> ApiError:
    """The SDK's own code for a client with no usable credentials."""
    return ApiError(
        "InvalidCredentials",
        f"No usable credentials for the endpoint: {detail}. Set {KEY_ID_VARIABLE} and "
        f"{SECRET_VARIABLE}, or name a profile of ~/.aliyun/config.json with --profile.",
        400,
    )


def cli_config_path() -> Path:
    return Path.home() / ".aliyun" / "config.json"


def _provider(profile: str | None) -> ICredentialsProvider:
    if profile:
        return CLIProfileCredentialsProvider(
            profile_name=profile, profile_file=str(cli_config_path())
        )
    key_id, secret = os.environ.get(KEY_ID_VARIABLE), os.environ.get(SECRET_VARIABLE)
    if key_id and secret:
        token = os.environ.get(TOKEN_VARIABLE)
        if token:
            return StaticSTSCredentialsProvider(
                access_key_id=key_id, access_key_secret=secret, security_token=token
            )
        return StaticAKCredentialsProvider(access_key_id=key_id, access_key_secret=secret)
    if cli_config_path().is_file():
        return CLIProfileCredentialsProvider(profile_file=str(cli_config_path()))
    raise ApiException(
        missing_credentials(f"{KEY_ID_VARIABLE} is not set and {cli_config_path()} does not exist")
    )


def credential_client(profile: str | None = None) -> CredentialClient:
    """The official credentials client for ``profile`` (or the default sources, in order)."""
    return CredentialClient(provider=_provider(profile))


def credentials_source(profile: str | None = None) -> str:
    """Whose credentials the calls carry, in the order :func:`credential_client` takes them:
    the profile's name (named, or the aliyun configuration's current one) or ``environment``."""
    if profile:
        return profile
    if os.environ.get(KEY_ID_VARIABLE) and os.environ.get(SECRET_VARIABLE):
        return "environment"
    return _current_profile()


def access_key_id(profile: str | None = None) -> str:
    """The access key id the calls start from, read without asking anyone (no secret): the
    environment's, or the profile's in the aliyun configuration; ``profile NAME`` for a profile
    that names none (a role of the instance) or cannot be read."""
    if not profile and os.environ.get(KEY_ID_VARIABLE) and os.environ.get(SECRET_VARIABLE):
        return os.environ[KEY_ID_VARIABLE]
    name = profile or _current_profile()
    for entry in _profiles():
        if entry.get("name") == name and isinstance(entry.get("access_key_id"), str):
            return str(entry["access_key_id"])
    return f"profile {name}"


def _configuration() -> dict[str, object]:
    """The aliyun configuration, or nothing when it is missing, unreadable or not a regular
    file (the credentials library says what is wrong with it when the backend first signs)."""
    try:
        data = json.loads(read_small_file(cli_config_path(), MAX_CONFIG_BYTES))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _profiles() -> list[dict[str, object]]:
    listed = _configuration().get("profiles")
    if not isinstance(listed, list):
        return []
    return [entry for entry in listed if isinstance(entry, dict)]


def _current_profile() -> str:
    """The ``current`` profile of the aliyun configuration (the aliyun CLI's ``default`` when
    the file names none or cannot be read: the credentials say why when they are asked)."""
    current = _configuration().get("current")
    return current if isinstance(current, str) and current else "default"
