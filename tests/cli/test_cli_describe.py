"""DescribeKeyPairs from the command line: filters and paging as the API does them."""

from __future__ import annotations

import pytest

from tests.support.cli import REGION
from tests.support.engine import DESCRIBE_KEY_PAIRS_FIELDS, key_pair_item_fields


@pytest.fixture
def stored(cli) -> dict[str, str]:
    """Four key pairs in the region (one in a group of its own), one elsewhere; name -> MD5."""
    group = cli("CreateResourceGroup", "--Name", "web", "--DisplayName", "Web").body
    group_id = group["ResourceGroup"]["Id"]
    made = {
        "web-1": ("--Tag.1.Key", "env", "--Tag.1.Value", "prod"),
        "web-2": ("--Tag.1.Key", "env", "--Tag.1.Value", "dev", "--ResourceGroupId", group_id),
        "db-1": ("--Tag.1.Key", "env", "--Tag.1.Value", "prod", "--Tag.2.Key", "team"),
        "xweb": (),
    }
    fingerprints = {"group": group_id}
    for name, extra in made.items():
        body = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", name, *extra).body
        fingerprints[name] = body["KeyPairFingerPrint"]
    cli("CreateKeyPair", "--RegionId", "cn-beijing", "--KeyPairName", "web-9").ok()
    return fingerprints


def names(cli, *args: str) -> list[str]:
    body = cli("DescribeKeyPairs", "--RegionId", REGION, *args).body
    return [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]]


def test_body_shape(cli, stored) -> None:
    body = cli("DescribeKeyPairs", "--RegionId", REGION, "--KeyPairName", "web-1").body
    assert list(body) == DESCRIBE_KEY_PAIRS_FIELDS
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    (item,) = body["KeyPairs"]["KeyPair"]
    assert list(item) == key_pair_item_fields()
    assert item["KeyPairFingerPrint"] == stored["web-1"]
    assert item["Tags"] == {"Tag": [{"TagKey": "env", "TagValue": "prod"}]}


@pytest.mark.parametrize(("value", "shown"), [("true", True), ("True", True), ("false", False)])
def test_the_public_key_only_when_asked_for(cli, stored, value: str, shown: bool) -> None:
    args = ("--KeyPairName", "web-1", "--IncludePublicKey", value)
    (item,) = cli("DescribeKeyPairs", "--RegionId", REGION, *args).body["KeyPairs"]["KeyPair"]
    assert ("PublicKey" in item) == shown
    if shown:
        assert list(item)[4:] == ["PublicKey", "Tags"]
        assert item["PublicKey"].startswith("ssh-rsa AAAA")


def test_include_public_key_is_true_or_false(cli) -> None:
    message = cli("DescribeKeyPairs", "--RegionId", REGION, "--IncludePublicKey", "yes").usage
    assert "--IncludePublicKey must be true or false, not 'yes'" in message


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("web-1", ["web-1"]),
        ("web*", ["web-1", "web-2"]),
        ("*-1", ["web-1", "db-1"]),
        ("*web*", ["web-1", "web-2", "xweb"]),
        ("*", ["web-1", "web-2", "db-1", "xweb"]),
        ("web", []),
        ("web-?", []),
    ],
)
def test_name_wildcards(cli, stored, pattern: str, expected: list[str]) -> None:
    assert names(cli, "--KeyPairName", pattern) == expected


def test_fingerprint_filter(cli, stored) -> None:
    assert names(cli, "--KeyPairFingerPrint", stored["db-1"]) == ["db-1"]
    assert names(cli, "--KeyPairFingerPrint", "00:" * 15 + "00") == []


def test_resource_group_filter(cli, stored) -> None:
    assert names(cli, "--ResourceGroupId", stored["group"]) == ["web-2"]


def test_tag_filters(cli, stored) -> None:
    assert names(cli, "--Tag.1.Key", "env") == ["web-1", "web-2", "db-1"]
    assert names(cli, "--Tag.1.Key", "env", "--Tag.1.Value", "prod") == ["web-1", "db-1"]
    assert names(cli, "--Tag.1.Key", "env", "--Tag.2.Key", "team") == ["db-1"]
    assert names(cli, "--Tag.1.Key", "env", "--Tag.1.Value", "test") == []
    assert names(cli, "--Tag.1.Key", "team", "--Tag.1.Value", "") == ["db-1"]


def test_tag_value_without_key_is_missing_parameter(cli, stored) -> None:
    error = cli("DescribeKeyPairs", "--RegionId", REGION, "--Tag.1.Value", "prod").error
    assert (error["Code"], error["HttpStatusCode"]) == ("MissingParameter", 400)
    assert '"Tag.1.Key"' in error["Message"]


def test_tag_number_over_twenty(cli, stored) -> None:
    error = cli("DescribeKeyPairs", "--RegionId", REGION, "--Tag.21.Key", "env").error
    assert (error["Code"], error["HttpStatusCode"]) == ("QuotaExceed.Tags", 403)


def test_paging(cli, stored) -> None:
    first = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageSize", "3").body
    second = cli(
        "DescribeKeyPairs", "--RegionId", REGION, "--PageSize=3", "--PageNumber=2"
    ).body
    beyond = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageSize", "3", "--PageNumber", "9")
    assert [first[k] for k in ("TotalCount", "PageNumber", "PageSize")] == [4, 1, 3]
    assert [i["KeyPairName"] for i in first["KeyPairs"]["KeyPair"]] == ["web-1", "web-2", "db-1"]
    assert [i["KeyPairName"] for i in second["KeyPairs"]["KeyPair"]] == ["xweb"]
    assert beyond.body["KeyPairs"]["KeyPair"] == []
    assert names(cli, "--PageSize", "1") == ["web-1"]
    assert len(names(cli, "--PageSize", "50")) == 4


@pytest.mark.parametrize(
    ("option", "value"),
    [("PageSize", "0"), ("PageSize", "51"), ("PageSize", "-1"), ("PageNumber", "0")],
)
def test_paging_bounds(cli, option: str, value: str) -> None:
    error = cli("DescribeKeyPairs", "--RegionId", REGION, f"--{option}", value).error
    assert (error["Code"], error["HttpStatusCode"]) == ("InvalidParameter", 400)
    assert f'"{option}"' in error["Message"]


@pytest.mark.parametrize("value", ["ten", "1.5", "", " 3", "1_0", "+2"])
def test_paging_needs_a_whole_number(cli, value: str) -> None:
    message = cli("DescribeKeyPairs", "--RegionId", REGION, f"--PageSize={value}").usage
    assert f"--PageSize must be a whole number, not {value!r}" in message


def test_region_is_required_and_checked(cli) -> None:
    assert "missing required parameter --RegionId" in cli("DescribeKeyPairs").usage
    error = cli("DescribeKeyPairs", "--RegionId", "cn-nowhere").error
    assert (error["Code"], error["HttpStatusCode"]) == ("InvalidRegionId.NotFound", 404)


def test_an_empty_region_lists_nothing(cli) -> None:
    body = cli("DescribeKeyPairs", "--RegionId", "eu-west-1").body
    assert body["TotalCount"] == 0
    assert body["KeyPairs"] == {"KeyPair": []}
