"""CreateKeyPair from the command line: the body on stdout, every error code on stderr."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from alibabacloud_ecs20140526.models import CreateKeyPairResponseBody
from ecs_keypair.contract.regions import host_id

from tests.support.cli import REGION
from tests.support.engine import CREATE_KEY_PAIR_FIELDS

UUID_UPPER = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
MD5 = re.compile(r"([0-9a-f]{2}:){15}[0-9a-f]{2}")


def create(cli, name: str = "web-1", *extra: str):
    return cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", name, *extra)


def test_create_prints_the_api_body(cli) -> None:
    outcome = create(cli)
    body = outcome.body
    assert list(body) == CREATE_KEY_PAIR_FIELDS
    assert body["KeyPairName"] == "web-1"
    assert re.fullmatch(r"ssh-[a-z0-9]{18}", body["KeyPairId"])
    assert UUID_UPPER.fullmatch(body["RequestId"])
    assert MD5.fullmatch(body["KeyPairFingerPrint"])
    assert body["PrivateKeyBody"].startswith("-----BEGIN PRIVATE KEY-----\n")
    assert body["PrivateKeyBody"].endswith("-----END PRIVATE KEY-----\n")
    assert outcome.out == json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def test_the_body_loads_into_the_official_sdk_model_unchanged(cli) -> None:
    body = create(cli).body
    model = CreateKeyPairResponseBody().from_map(body)
    assert model.key_pair_name == "web-1"
    assert model.to_map() == body


def test_equals_form_and_tags_in_n_order(cli) -> None:
    create(
        cli,
        "tagged",
        "--Tag.2.Key=team",
        "--Tag.2.Value=ops",
        "--Tag.1.Key",
        "env",
        "--Tag.1.Value=prod",
        "--Tag.3.Key",
        "blank",
    ).ok()
    listed = cli("DescribeKeyPairs", f"--RegionId={REGION}").body
    tags = listed["KeyPairs"]["KeyPair"][0]["Tags"]["Tag"]
    assert tags == [
        {"TagKey": "env", "TagValue": "prod"},
        {"TagKey": "team", "TagValue": "ops"},
        {"TagKey": "blank", "TagValue": ""},
    ]


def test_twenty_tags_are_accepted(cli) -> None:
    tags = [arg for n in range(1, 21) for arg in (f"--Tag.{n}.Key", f"k{n}")]
    assert create(cli, "twenty", *tags).body["KeyPairName"] == "twenty"


def test_unicode_name_is_printed_as_itself(cli) -> None:
    outcome = create(cli, "密钥-1")
    assert outcome.body["KeyPairName"] == "密钥-1"
    assert '"KeyPairName": "密钥-1"' in outcome.out


def test_resource_group_is_kept(cli) -> None:
    group = cli("CreateResourceGroup", "--Name", "web", "--DisplayName", "Web").body
    group_id = group["ResourceGroup"]["Id"]
    create(cli, "grouped", "--ResourceGroupId", group_id).ok()
    listed = cli("DescribeKeyPairs", "--RegionId", REGION).body["KeyPairs"]["KeyPair"]
    assert [item["ResourceGroupId"] for item in listed] == [group_id]


TWENTY_ONE_TAGS = tuple(arg for n in range(1, 22) for arg in (f"--Tag.{n}.Key", f"k{n}"))

REFUSED = [
    ("1abc", (), "InvalidKeyPairName.Malformed", 400),
    ("a", (), "InvalidKeyPairName.Malformed", 400),
    ("has space", (), "InvalidKeyPairName.Malformed", 400),
    ("web-1", ("--Tag.1.Key", "a", "--Tag.2.Key", "a"), "Duplicate.TagKey", 400),
    ("web-1", ("--Tag.1.Key", "aliyun-x"), "InvalidTagKey.Malformed", 400),
    ("web-1", ("--Tag.1.Value", "orphan"), "InvalidTagKey.Malformed", 400),
    ("web-1", ("--Tag.1.Key", "k", "--Tag.1.Value", "acs:x"), "InvalidTagValue.Malformed", 400),
    ("web-1", TWENTY_ONE_TAGS, "QuotaExceed.Tags", 403),
    ("web-1", ("--Tag.21.Key", "k"), "QuotaExceed.Tags", 403),
    ("web-1", ("--ResourceGroupId", "rg-nosuchgroup00000"), "InvalidResourceGroup.NotFound", 404),
]


@pytest.mark.parametrize(("name", "extra", "code", "status"), REFUSED)
def test_refused_create_prints_the_error_body(cli, name, extra, code, status) -> None:
    error = create(cli, name, *extra).error
    assert list(error) == ["RequestId", "HostId", "Code", "Message", "HttpStatusCode"]
    assert error["Code"] == code
    assert error["HttpStatusCode"] == status
    assert error["HostId"] == "ecs.cn-hangzhou.aliyuncs.com"
    assert UUID_UPPER.fullmatch(error["RequestId"])
    assert cli("DescribeKeyPairs", "--RegionId", REGION).body["TotalCount"] == 0


def test_quota_exceed_tags_names_the_limit(cli) -> None:
    error = create(cli, "web-1", *TWENTY_ONE_TAGS).error
    assert error["Message"] == "The number of specified tags exceeds the upper limit 20."


def test_unknown_region(cli) -> None:
    error = cli("CreateKeyPair", "--RegionId", "mars-1", "--KeyPairName", "web-1").error
    assert (error["Code"], error["HttpStatusCode"]) == ("InvalidRegionId.NotFound", 404)
    assert error["HostId"] == host_id(None) == "ecs.aliyuncs.com"


def test_empty_name_is_the_apis_missing_parameter(cli) -> None:
    error = create(cli, "").error
    assert (error["Code"], error["HttpStatusCode"]) == ("MissingParameter", 400)


def test_same_name_twice(cli) -> None:
    create(cli).ok()
    error = create(cli).error
    assert (error["Code"], error["Message"], error["HttpStatusCode"]) == (
        "KeyPair.AlreadyExist",
        "The key pair already exist.",
        400,
    )
    assert cli("CreateKeyPair", "--RegionId", "cn-beijing", "--KeyPairName", "web-1").status == 0


def test_quota(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_QUOTA", "1")
    create(cli, "first").ok()
    error = create(cli, "second").error
    assert (error["Code"], error["Message"], error["HttpStatusCode"]) == (
        "QuotaExceed.KeyPair",
        "The key pair quota exceeds.",
        403,
    )


def test_no_private_key_under_the_data_directory(cli, home: Path) -> None:
    for name in ("alpha", "beta", "gamma"):
        assert "PRIVATE KEY" in create(cli, name).body["PrivateKeyBody"]
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name == f"{REGION}.json" for path in files)
    for path in files:
        assert b"PRIVATE KEY" not in path.read_bytes(), path
