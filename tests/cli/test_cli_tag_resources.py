"""TagResources, UntagResources, ListTagResources and JoinResourceGroup from the command line."""

from __future__ import annotations

import pytest
from tests.support.cli import REGION

KEYPAIR = ("--RegionId", REGION, "--ResourceType", "keypair")


@pytest.fixture
def made(cli) -> None:
    """web-1 tagged env=prod, web-2 untagged."""
    for name in ("web-1", "web-2"):
        cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", name).body
    cli(
        "TagResources",
        *KEYPAIR,
        "--ResourceId.1",
        "web-1",
        "--Tag.1.Key",
        "env",
        "--Tag.1.Value",
        "prod",
    ).body


def tag_list(cli, *args: str) -> list[tuple[str, str, str]]:
    body = cli("ListTagResources", *KEYPAIR, *args).body
    return [
        (item["ResourceId"], item["TagKey"], item["TagValue"])
        for item in body["TagResources"]["TagResource"]
    ]


def code(outcome) -> tuple[str, int]:
    error = outcome.error
    return error["Code"], error["HttpStatusCode"]


def test_tag_list_untag(cli, made) -> None:
    body = cli(
        "TagResources",
        *KEYPAIR,
        "--ResourceId.1",
        "web-1",
        "--ResourceId.2",
        "web-2",
        "--Tag.1.Key",
        "team",
        "--Tag.1.Value",
        "ops",
        "--Tag.2.Key",
        "env",
        "--Tag.2.Value",
        "dev",
    ).body
    assert list(body) == ["RequestId"]
    assert tag_list(cli) == [
        ("web-1", "env", "dev"),  # a key it had: the new value, in its place
        ("web-1", "team", "ops"),
        ("web-2", "team", "ops"),
        ("web-2", "env", "dev"),
    ]
    listed = cli("ListTagResources", *KEYPAIR, "--ResourceId.1", "web-2").body
    assert listed["TagResources"]["TagResource"][0] == {
        "ResourceId": "web-2",
        "ResourceType": "keypair",
        "TagKey": "team",
        "TagValue": "ops",
    }
    assert tag_list(
        cli, "--Tag.1.Key", "env", "--Tag.1.Value", "dev", "--ResourceId.1", "web-1"
    ) == [("web-1", "env", "dev"), ("web-1", "team", "ops")]
    cli(
        "UntagResources",
        *KEYPAIR,
        "--ResourceId.1",
        "web-1",
        "--TagKey.1",
        "env",
        "--TagKey.2",
        "not-there",
    ).body
    cli("UntagResources", *KEYPAIR, "--ResourceId.1", "web-2", "--All", "true").body
    assert tag_list(cli) == [("web-1", "team", "ops")]
    described = cli("DescribeKeyPairs", "--RegionId", REGION, "--KeyPairName", "web-1").body
    assert described["KeyPairs"]["KeyPair"][0]["Tags"]["Tag"] == [
        {"TagKey": "team", "TagValue": "ops"}
    ]


def test_list_tag_resources_pages(cli, made) -> None:
    tags = [arg for n in range(1, 6) for arg in (f"--Tag.{n}.Key", f"k{n}")]
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-2", *tags).body
    first = cli("ListTagResources", *KEYPAIR, "--MaxResults", "4").body
    assert len(first["TagResources"]["TagResource"]) == 4
    rest = cli("ListTagResources", *KEYPAIR, "--NextToken", first["NextToken"]).body
    assert "NextToken" not in rest
    everything = first["TagResources"]["TagResource"] + rest["TagResources"]["TagResource"]
    assert len(everything) == 6
    assert code(cli("ListTagResources", *KEYPAIR, "--NextToken", "nope")) == (
        "InvalidParameter",
        400,
    )
    assert code(cli("ListTagResources", *KEYPAIR, "--MaxResults", "51")) == (
        "InvalidParameter",
        400,
    )


def test_join_resource_group_moves_the_key_pair(cli, made) -> None:
    group = cli("CreateResourceGroup", "--Name", "ops", "--DisplayName", "Ops").body
    group_id = group["ResourceGroup"]["Id"]
    body = cli(
        "JoinResourceGroup", *KEYPAIR, "--ResourceId", "web-1", "--ResourceGroupId", group_id
    ).body
    assert list(body) == ["RequestId"]
    listed = cli("DescribeKeyPairs", "--RegionId", REGION, "--ResourceGroupId", group_id).body
    assert [k["KeyPairName"] for k in listed["KeyPairs"]["KeyPair"]] == ["web-1"]
    assert code(
        cli(
            "JoinResourceGroup",
            *KEYPAIR,
            "--ResourceId",
            "web-1",
            "--ResourceGroupId",
            "rg-nosuchgroup00000",
        )
    ) == ("InvalidResourceGroup.NotFound", 404)
    assert code(
        cli("JoinResourceGroup", *KEYPAIR, "--ResourceId", "gone", "--ResourceGroupId", group_id)
    ) == ("InvalidResourceId.NotFound", 404)


def twenty_one(option: str = "Tag") -> list[str]:
    return [arg for n in range(1, 22) for arg in (f"--{option}.{n}.Key", f"k{n}")]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--ResourceId.1", "gone", "--Tag.1.Key", "a"), ("InvalidResourceId.NotFound", 404)),
        (
            ("--ResourceId.1", "web-1", "--ResourceId.2", "gone", "--Tag.1.Key", "a"),
            ("InvalidResourceId.NotFound", 404),
        ),
        (("--ResourceId.51", "web-1", "--Tag.1.Key", "a"), ("NumberExceed.ResourceIds", 400)),
        (("--ResourceId.1", "web-1", *twenty_one()), ("NumberExceed.Tags", 400)),
        (("--ResourceId.1", "web-1", "--Tag.21.Key", "a"), ("NumberExceed.Tags", 400)),
        (("--ResourceId.1", "web-1", "--Tag.1.Key", "aliyun-x"), ("InvalidTagKey.Malformed", 400)),
        (
            ("--ResourceId.1", "web-1", "--Tag.1.Key", "a", "--Tag.1.Value", "acs:x"),
            ("InvalidTagValue.Malformed", 400),
        ),
        (
            ("--ResourceId.1", "web-1", "--Tag.1.Key", "a", "--Tag.2.Key", "a"),
            ("Duplicate.TagKey", 400),
        ),
        (("--ResourceId.1", "web-1", "--Tag.1.Key", ""), ("InvalidTagKey.Malformed", 400)),
    ],
)
def test_tag_resources_refusals_change_nothing(cli, made, args, expected) -> None:
    assert code(cli("TagResources", *KEYPAIR, *args)) == expected
    assert tag_list(cli) == [("web-1", "env", "prod")]


def test_a_key_pair_holds_at_most_twenty_tags(cli, made) -> None:
    nineteen = [arg for n in range(1, 20) for arg in (f"--Tag.{n}.Key", f"k{n}")]
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-1", *nineteen).body  # 20 with env
    more = ("--ResourceId.1", "web-1", "--Tag.1.Key", "one-more")
    assert code(cli("TagResources", *KEYPAIR, *more)) == ("QuotaExceed.Tags", 403)
    cli(
        "TagResources",
        *KEYPAIR,
        "--ResourceId.1",
        "web-1",
        "--Tag.1.Key",
        "k1",
        "--Tag.1.Value",
        "changed",
    ).body  # a key it has: still 20
    assert len(tag_list(cli, "--ResourceId.1", "web-1")) == 20


@pytest.mark.parametrize("action", ["TagResources", "UntagResources", "ListTagResources"])
def test_a_resource_type_other_than_keypair_is_not_found(cli, made, action: str) -> None:
    args = (
        "--RegionId",
        REGION,
        "--ResourceType",
        "instance",
        "--ResourceId.1",
        "web-1",
        "--Tag.1.Key",
        "a",
    )
    if action == "UntagResources":
        args = args[:-2] + ("--TagKey.1", "a")
    assert code(cli(action, *args)) == ("InvalidResourceType.NotFound", 404)


def test_usage_errors_of_the_lists(cli) -> None:
    message = cli("TagResources", *KEYPAIR, "--Tag.1.Key", "a").usage
    assert "missing required parameter --ResourceId.N" in message
    message = cli("UntagResources", *KEYPAIR, "--ResourceId.01", "web-1").usage
    assert "N in ResourceId.N is a whole number from 1, without leading zeros" in message
    message = cli("UntagResources", *KEYPAIR, "--resourceid.1", "web-1").usage
    assert "did you mean --ResourceId.1?" in message
    message = cli("UntagResources", *KEYPAIR, "--ResourceId.1", "web-1", "--All", "1").usage
    assert "--All must be true or false, not '1'" in message
