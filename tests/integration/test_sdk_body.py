"""The official SDK agrees with our bodies: each loads into its response model and comes back equal.

``from_map`` keeps only the fields the SDK knows, with the shapes it expects, so ``to_map()``
returning the same dict proves our field names and nesting are the API's. The bodies are taken
from the engine and from the real command line's stdout.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_ecs20140526 import models
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    DeleteKeyPairsRequest,
    DescribeKeyPairsRequest,
    DescribeRegionsRequest,
    ImportKeyPairRequest,
)
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

from tests.support.cli import Outcome
from tests.support.tools import run_cli

REGION = "cn-hangzhou"
ERROR_FIELDS = {"RequestId", "HostId", "Code", "Message", "HttpStatusCode"}

Bodies = dict[str, dict[str, Any]]


def _ed25519_line() -> str:
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    openssh = public.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return openssh.decode("ascii") + " me@laptop"


def _engine_bodies(home: Path) -> Bodies:
    backend = LocalBackend(KeyPairStore(home))
    group = backend.resource_groups()[0].id
    created = backend.create_key_pair(
        CreateKeyPairRequest(REGION, "sdk-made", group, (Tag("env", "prod"), Tag("team")))
    )
    return {
        "CreateKeyPair": created.body(),
        "ImportKeyPair": backend.import_key_pair(
            ImportKeyPairRequest(REGION, "sdk-imported", _ed25519_line())
        ).body(),
        "DescribeKeyPairs": backend.describe_key_pairs(
            DescribeKeyPairsRequest(REGION, "sdk-*", page_size=50)
        ).body(),
        "DeleteKeyPairs": backend.delete_key_pairs(
            DeleteKeyPairsRequest(REGION, ("sdk-imported",))
        ).body(),
        "DescribeRegions": backend.describe_regions(DescribeRegionsRequest()).body(),
    }


def _cli_bodies(home: Path) -> Bodies:
    def call(*args: str) -> dict[str, Any]:
        return run_cli(home, *args).body

    region = ("--RegionId", REGION)
    tags = ("--Tag.1.Key", "env", "--Tag.1.Value", "prod", "--Tag.2.Key", "team")
    return {
        "CreateKeyPair": call("CreateKeyPair", *region, "--KeyPairName", "sdk-made", *tags),
        "ImportKeyPair": call(
            "ImportKeyPair", *region, "--KeyPairName", "sdk-imported",
            "--PublicKeyBody", _ed25519_line(),
        ),
        "DescribeKeyPairs": call(
            "DescribeKeyPairs", *region, "--KeyPairName", "sdk-*", "--PageSize", "50"
        ),
        "DeleteKeyPairs": call("DeleteKeyPairs", *region, "--KeyPairNames", '["sdk-imported"]'),
        "DescribeRegions": call("DescribeRegions"),
    }


@pytest.fixture(scope="module", params=["engine", "cli"])
def bodies(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Bodies:
    """Every success body, made once per source (the CLI runs as five real processes)."""
    home = tmp_path_factory.mktemp(f"sdk-{request.param}")
    make = _engine_bodies if request.param == "engine" else _cli_bodies
    return make(home)


MODELS: dict[str, Callable[[], Any]] = {
    "CreateKeyPair": models.CreateKeyPairResponseBody,
    "ImportKeyPair": models.ImportKeyPairResponseBody,
    "DescribeKeyPairs": models.DescribeKeyPairsResponseBody,
    "DeleteKeyPairs": models.DeleteKeyPairsResponseBody,
    "DescribeRegions": models.DescribeRegionsResponseBody,
}


@pytest.mark.parametrize("action", list(MODELS))
def test_body_loads_into_the_sdk_model_unchanged(bodies: Bodies, action: str) -> None:
    body = bodies[action]
    model = MODELS[action]().from_map(body)
    model.validate()
    assert model.to_map() == body
    assert uuid.UUID(body["RequestId"]) and body["RequestId"] == body["RequestId"].upper()


def test_bodies_hold_what_was_asked(bodies: Bodies) -> None:
    created = models.CreateKeyPairResponseBody().from_map(bodies["CreateKeyPair"])
    assert created.key_pair_name == "sdk-made"
    assert re.fullmatch(r"ssh-[a-z0-9]{18}", created.key_pair_id)
    assert re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", created.key_pair_finger_print)
    assert created.private_key_body.startswith("-----BEGIN PRIVATE KEY-----")

    listed = models.DescribeKeyPairsResponseBody().from_map(bodies["DescribeKeyPairs"])
    assert listed.total_count == 2
    names = [pair.key_pair_name for pair in listed.key_pairs.key_pair]
    assert names == ["sdk-made", "sdk-imported"]
    made = listed.key_pairs.key_pair[0]
    assert made.key_pair_finger_print == created.key_pair_finger_print
    tags = [(tag.tag_key, tag.tag_value) for tag in made.tags.tag]
    assert tags == [("env", "prod"), ("team", "")]
    assert made.resource_group_id.startswith("rg-")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", made.creation_time)

    regions = models.DescribeRegionsResponseBody().from_map(bodies["DescribeRegions"])
    assert len(regions.regions.region) == 27
    assert all(
        region.region_endpoint == f"ecs.{region.region_id}.aliyuncs.com"
        for region in regions.regions.region
    )


# -- error bodies --

FAILING_CALLS = [
    pytest.param(
        ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "1-starts-with-a-digit"),
        "InvalidKeyPairName.Malformed", 400, id="malformed-name",
    ),
    pytest.param(
        ("CreateKeyPair", "--RegionId", "xx-nowhere-1", "--KeyPairName", "fine"),
        "InvalidRegionId.NotFound", 404, id="unknown-region",
    ),
    pytest.param(
        ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "fine",
         "--Tag.1.Key", "acs:reserved", "--Tag.1.Value", "v"),
        "InvalidTagKey.Malformed", 400, id="reserved-tag-key",
    ),
    pytest.param(
        ("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "fine",
         "--PublicKeyBody", "ssh-foo AAAA"),
        "InvalidPublicKeyBody.Malformed", 400, id="bad-public-key",
    ),
    pytest.param(
        ("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", "not-json"),
        "InvalidKeyPairNames.ValueNotSupported", 400, id="bad-names",
    ),
]


def _check_error_body(body: dict[str, Any], code: str, status: int) -> None:
    assert set(body) == ERROR_FIELDS
    assert (body["Code"], body["HttpStatusCode"]) == (code, status)
    assert body["Message"] and body["HostId"]
    assert uuid.UUID(body["RequestId"]) and body["RequestId"] == body["RequestId"].upper()


@pytest.mark.parametrize(("args", "code", "status"), FAILING_CALLS)
def test_cli_error_body(
    cli: Callable[..., Outcome], args: tuple[str, ...], code: str, status: int
) -> None:
    result = cli(*args)
    _check_error_body(result.error, code, status)


def test_cli_error_bodies_for_store_refusals(
    cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_QUOTA", "1")
    create = ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName")
    cli(*create, "first").ok()
    _check_error_body(cli(*create, "first").error, "KeyPair.AlreadyExist", 400)
    _check_error_body(cli(*create, "second").error, "QuotaExceed.KeyPair", 403)


def test_engine_error_body(backend: LocalBackend) -> None:
    with pytest.raises(ApiException) as raised:
        backend.create_key_pair(CreateKeyPairRequest(REGION, "has space"))
    body = raised.value.error.body(str(uuid.uuid4()).upper(), f"ecs.{REGION}.aliyuncs.com")
    _check_error_body(body, "InvalidKeyPairName.Malformed", 400)
