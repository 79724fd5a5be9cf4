"""What several engine test files share: the API's exact wording, shapes, and small helpers."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ecs_keypair.contract.errors import ApiError, ApiException

REGION = "cn-hangzhou"
OTHER_REGION = "cn-beijing"
# An ed25519 public key line, for tests that import a key pair of no key in particular: importing
# it costs no key generation.
PUBLIC_LINE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOGj3xkiwPBuJLHbb1VPm0QJZ0YLJsiw7mkTS7bg2kgg"

# The error table of CreateKeyPair.txt and the spec README, written out here on purpose: the
# tests compare the engine against the documents, not against the engine's own constants.
MESSAGES = {
    "InvalidKeyPairName.Malformed": "Specified Key Pair name is not valid.",
    "KeyPair.AlreadyExist": "The key pair already exist.",
    "Duplicate.TagKey": "The Tag.N.Key contain duplicate key.",
    "InvalidTagKey.Malformed": "The specified Tag.n.Key is not valid.",
    "InvalidTagValue.Malformed": "The specified Tag.n.Value is not valid.",
    "QuotaExceed.KeyPair": "The key pair quota exceeds.",
    "QuotaExceed.Tags": "The number of specified tags exceeds the upper limit 20.",
    "InvalidRegionId.NotFound": "The RegionId provided does not exist in our records.",
    "InvalidResourceGroup.NotFound": "The ResourceGroup provided does not exist in our records.",
    "InvalidPublicKeyBody.Malformed": "The PublicKeyBody format is not supported.",
}
STATUSES = {
    "InvalidKeyPairName.Malformed": 400,
    "KeyPair.AlreadyExist": 400,
    "Duplicate.TagKey": 400,
    "InvalidTagKey.Malformed": 400,
    "InvalidTagValue.Malformed": 400,
    "QuotaExceed.KeyPair": 403,
    "QuotaExceed.Tags": 403,
    "InvalidRegionId.NotFound": 404,
    "InvalidResourceGroup.NotFound": 404,
    "InvalidPublicKeyBody.Malformed": 400,
    "InvalidKeyPairNames.ValueNotSupported": 400,
    "MissingParameter": 400,
    "InvalidParameter": 400,
    "EntityAlreadyExists.ResourceGroup": 409,
}

REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
KEY_PAIR_ID = re.compile(r"^ssh-[a-z0-9]{18}$")
RESOURCE_GROUP_ID = re.compile(r"^rg-[a-z0-9]{15}$")
CREATION_TIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\dZ$"
)
MD5_FINGERPRINT = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){15}$")

# The answers' fields in the documents' order, written out from the spec (not from the engine).
CREATE_KEY_PAIR_FIELDS = [
    "PrivateKeyBody",
    "KeyPairName",
    "KeyPairId",
    "RequestId",
    "KeyPairFingerPrint",
]
DESCRIBE_KEY_PAIRS_FIELDS = ["RequestId", "TotalCount", "PageNumber", "PageSize", "KeyPairs"]


def key_pair_item_fields(*, public_key: bool = False) -> list[str]:
    """The fields of one DescribeKeyPairs item; PublicKey only when IncludePublicKey asked."""
    fields = ["KeyPairName", "KeyPairFingerPrint", "CreationTime", "ResourceGroupId", "Tags"]
    if public_key:
        fields.insert(-1, "PublicKey")
    return fields


def assert_api_error(error: ApiError | None, code: str, field: str | None = None) -> ApiError:
    """The error is the documented one: code, the table's message if any, status, field."""
    assert error is not None, f"expected {code}, got no error"
    assert error.code == code, error
    if code in MESSAGES:
        assert error.message == MESSAGES[code]
    assert error.status == STATUSES[code]
    if field is not None:
        assert error.field == field
    assert error.reason, "every error says why in plain words"
    return error


def code_of(error: ApiError | None) -> str | None:
    """A verdict's code (None: no problem), to compare with the code expected in one line."""
    return None if error is None else error.code


def api_error_of(call: Callable[[], Any]) -> ApiError:
    """Run a backend call that must fail with an API error; return that error."""
    with pytest.raises(ApiException) as caught:
        call()
    return caught.value.error


_HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@contextmanager
def lock_held_elsewhere(home: Path, name: str = ".lock") -> Iterator[Path]:
    """Another process holds the lock file ``name`` of ``home`` (the store's ``.lock`` unless
    told, or ``nonces/.lock``) until the block ends; yields the lock's path."""
    lock = home / name
    lock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield lock
    finally:
        holder.kill()
        holder.wait(timeout=30)
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()
