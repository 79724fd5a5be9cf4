"""What the instance tests share: public keys made fast, and calls through the action table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from ecs_keypair.contract.actions import ACTIONS, call
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.backend import KeyPairBackend


def public_line() -> str:
    """A new ed25519 public key line: importing it costs no RSA generation."""
    key = Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")


def imported(backend: KeyPairBackend, region: str, name: str) -> str:
    """Import a new key pair ``name``; its public key line."""
    line = public_line()
    backend.import_key_pair(ImportKeyPairRequest(region, name, line))
    return line


def api(backend: KeyPairBackend, action: str, **flat: str) -> dict[str, Any]:
    """The body of ``action`` for the flat request, read by the table as every door reads it."""
    return call(backend, ACTIONS[action], flat).body()


def run(backend: KeyPairBackend, region: str, amount: int = 1, **flat: str) -> list[str]:
    """RunInstances; the new instances' ids. ``flat`` may name another image or type."""
    stock = {"ImageId": "ubuntu_24_04_x64_20G", "InstanceType": "ecs.g7.large"}
    body = api(backend, "RunInstances", RegionId=region, Amount=str(amount), **{**stock, **flat})
    ids: list[str] = body["InstanceIdSets"]["InstanceIdSet"]
    return ids


def described(backend: KeyPairBackend, region: str, **flat: str) -> Mapping[str, Any]:
    """DescribeInstances' instances by id."""
    body = api(backend, "DescribeInstances", RegionId=region, PageSize="100", **flat)
    return {item["InstanceId"]: item for item in body["Instances"]["Instance"]}
