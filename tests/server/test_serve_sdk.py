"""The official SDK client against ``serve``: every action, both signatures, every error code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.keys.key_formats import generate_rsa_key

from tests.support.serve import SIGNATURES, RunningServe, refused, running_serve, unique

REGION = "cn-hangzhou"


def create(serve: RunningServe, signature: str | None, name: str, region: str = REGION, **extra):
    request = models.CreateKeyPairRequest(region_id=region, key_pair_name=name, **extra)
    return serve.client(signature=signature).create_key_pair(request)


@pytest.mark.parametrize("signature", SIGNATURES)
def test_create_key_pair_returns_the_api_body_and_stores_the_public_half(
    serve: RunningServe, signature: str | None
) -> None:
    name = unique()
    tags = [
        models.CreateKeyPairRequestTag(key="env", value="prod ü/ä"),
        models.CreateKeyPairRequestTag(key="團隊", value=""),
    ]
    response = create(serve, signature, name, tag=tags)

    body = response.body
    assert response.status_code == 200
    assert body.key_pair_name == name
    assert body.key_pair_id.startswith("ssh-")
    assert body.private_key_body.startswith("-----BEGIN PRIVATE KEY-----")
    [record] = serve.backend().find_key_pairs(REGION, name)
    assert record.fingerprint == body.key_pair_finger_print
    assert [(t.key, t.value) for t in record.tags] == [("env", "prod ü/ä"), ("團隊", "")]
    assert "PRIVATE KEY" not in (serve.home / "keypairs" / f"{REGION}.json").read_text()


@pytest.mark.parametrize("signature", SIGNATURES)
def test_import_key_pair(serve: RunningServe, signature: str | None) -> None:
    name = unique("imported")
    line = generate_rsa_key().public_key.line + " someone@example"
    request = models.ImportKeyPairRequest(
        region_id=REGION, key_pair_name=name, public_key_body=line
    )

    body = serve.client(signature=signature).import_key_pair(request).body

    [record] = serve.backend().find_key_pairs(REGION, name)
    assert (body.key_pair_name, body.key_pair_finger_print) == (name, record.fingerprint)


@pytest.mark.parametrize("signature", SIGNATURES)
def test_describe_key_pairs_filters_and_pages(serve: RunningServe, signature: str | None) -> None:
    prefix = unique("page")
    names = [f"{prefix}-{n}" for n in range(3)]
    tag = models.CreateKeyPairRequestTag(key="team", value=prefix)
    for name in names:
        create(serve, None, name, region="cn-beijing", tag=[tag])
    client = serve.client(signature=signature)

    page = client.describe_key_pairs(
        models.DescribeKeyPairsRequest(
            region_id="cn-beijing",
            key_pair_name=f"{prefix}*",
            tag=[models.DescribeKeyPairsRequestTag(key="team", value=prefix)],
            page_number=2,
            page_size=2,
        )
    ).body

    assert (page.total_count, page.page_number, page.page_size) == (3, 2, 2)
    [item] = page.key_pairs.key_pair
    assert item.key_pair_name == names[2]
    assert [(t.tag_key, t.tag_value) for t in item.tags.tag] == [("team", prefix)]


@pytest.mark.parametrize("signature", SIGNATURES)
def test_delete_key_pairs(serve: RunningServe, signature: str | None) -> None:
    names = [unique("gone"), unique("gone")]
    for name in names:
        create(serve, None, name, region="cn-shanghai")
    request = models.DeleteKeyPairsRequest(
        region_id="cn-shanghai", key_pair_names=json.dumps(names)
    )

    body = serve.client(signature=signature).delete_key_pairs(request).body

    assert body.request_id
    assert serve.backend().find_key_pairs("cn-shanghai", "gone-*") == []


@pytest.mark.parametrize("signature", SIGNATURES)
def test_describe_regions(serve: RunningServe, signature: str | None) -> None:
    body = serve.client(signature=signature).describe_regions(models.DescribeRegionsRequest()).body

    assert [(r.region_id, r.local_name, r.region_endpoint) for r in body.regions.region] == [
        (r.region_id, r.local_name, r.endpoint) for r in REGIONS
    ]


def _tags(*pairs: tuple[str, str]) -> list[models.CreateKeyPairRequestTag]:
    return [models.CreateKeyPairRequestTag(key=k, value=v) for k, v in pairs]


CREATE_ERRORS = [
    pytest.param({"key_pair_name": "1abc"}, "InvalidKeyPairName.Malformed", 400, id="bad-name"),
    pytest.param({"key_pair_name": None}, "MissingParameter", 400, id="no-name"),
    pytest.param({"region_id": "xx-nowhere-1"}, "InvalidRegionId.NotFound", 404, id="bad-region"),
    pytest.param(
        {"resource_group_id": "rg-nosuchgroup12345"},
        "InvalidResourceGroup.NotFound",
        404,
        id="bad-group",
    ),
    pytest.param({"tag": _tags(("aliyun-x", "v"))}, "InvalidTagKey.Malformed", 400, id="tag-key"),
    pytest.param({"tag": _tags(("k", "acs:v"))}, "InvalidTagValue.Malformed", 400, id="tag-value"),
    pytest.param({"tag": _tags(("k", "1"), ("k", "2"))}, "Duplicate.TagKey", 400, id="dup-key"),
    pytest.param(
        {"tag": _tags(*[(f"k{n}", "v") for n in range(21)])}, "QuotaExceed.Tags", 403, id="21-tags"
    ),
]


@pytest.mark.parametrize("signature", SIGNATURES)
@pytest.mark.parametrize(("fields", "code", "status"), CREATE_ERRORS)
def test_create_key_pair_errors_arrive_as_the_sdks_client_error(
    serve: RunningServe, signature: str | None, fields: dict, code: str, status: int
) -> None:
    arguments = {"region_id": REGION, "key_pair_name": unique(), **fields}
    before = serve.backend().count_key_pairs(REGION)

    error = refused(
        lambda: serve.client(signature=signature).create_key_pair(
            models.CreateKeyPairRequest(**arguments)
        )
    )

    assert (error.code, error.status_code) == (code, status)
    assert error.data["HttpStatusCode"] == status and error.data["RequestId"] == error.request_id
    assert serve.backend().count_key_pairs(REGION) == before


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_taken_name_is_key_pair_already_exist(serve: RunningServe, signature: str | None) -> None:
    name = unique()
    create(serve, signature, name, region="cn-qingdao")

    error = refused(lambda: create(serve, signature, name, region="cn-qingdao"))

    assert (error.code, error.status_code) == ("KeyPair.AlreadyExist", 400)


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_full_region_is_quota_exceed(tmp_path: Path, signature: str | None) -> None:
    with running_serve(tmp_path / "data", quota=2) as small:
        for _ in range(2):
            create(small, None, unique())

        error = refused(lambda: create(small, signature, unique()))

        assert (error.code, error.status_code) == ("QuotaExceed.KeyPair", 403)
        assert small.backend().count_key_pairs(REGION) == 2


@pytest.mark.parametrize("signature", SIGNATURES)
def test_neighbour_errors(serve: RunningServe, signature: str | None) -> None:
    client = serve.client(signature=signature)

    bad_key = refused(
        lambda: client.import_key_pair(
            models.ImportKeyPairRequest(
                region_id=REGION, key_pair_name=unique(), public_key_body="ssh-foo AAAA"
            )
        )
    )
    bad_names = refused(
        lambda: client.delete_key_pairs(
            models.DeleteKeyPairsRequest(region_id=REGION, key_pair_names="not json")
        )
    )
    bad_page = refused(
        lambda: client.describe_key_pairs(
            models.DescribeKeyPairsRequest(region_id=REGION, page_size=51)
        )
    )

    assert (bad_key.code, bad_key.status_code) == ("InvalidPublicKeyBody.Malformed", 400)
    assert (bad_names.code, bad_names.status_code) == ("InvalidKeyPairNames.ValueNotSupported", 400)
    assert (bad_page.code, bad_page.status_code) == ("InvalidParameter", 400)
