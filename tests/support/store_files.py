"""The store's files written by hand, for tests that give the engine damaged or odd ones."""

from __future__ import annotations

import orjson

from tests.support.engine import REGION

MARKER = {"ecs-keypair": {"1": {"kind": "keypairs", "version": 1}}}
GROUPS_MARKER = {"ecs-keypair": {"1": {"kind": "resource-groups", "version": 1}}}


def a_document(**changes: object) -> dict[str, object]:
    """A stored key pair entry that passes every check, with ``changes`` (None drops a field)."""
    document: dict[str, object] = {
        "KeyPairId": "ssh-aaaaaaaaaaaaaaaaaa",
        "KeyPairName": "stored",
        "RegionId": REGION,
        "KeyPairFingerPrint": "00:" * 15 + "00",
        "PublicKey": "ssh-ed25519 AAAA",
        "ResourceGroupId": "rg-aaaaaaaaaaaaaaa",
        "CreationTime": "2026-11-28T02:36Z",
        "Tags": [],
    }
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


def region_file(**tables: object) -> bytes:
    """A region file's bytes: our marker and ``tables``."""
    return orjson.dumps({**MARKER, **tables})
