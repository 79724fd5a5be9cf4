"""TagResources, UntagResources, ListTagResources and JoinResourceGroup from the command line."""

from __future__ import annotations

import pytest

from tests.support.cli import REGION
from tests.support.engine import PUBLIC_LINE

KEYPAIR = ("--RegionId", REGION, "--ResourceType", "keypair")


@pytest.fixture
def made(cli) -> None:
    """web-1 tagged env=prod, web-2 untagged."""
    for name in ("web-1", "web-2"):
        cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", name).ok()
    cli(
        "TagResources",
        *KEYPAIR,
        "--ResourceId.1",
        "web-1",
        "--Tag.1.Key",
        "env",
        "--Tag.1.Value",
        "prod",
    ).ok()


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
        ("web-1", "env", "dev"),  # a key it had: the new value
        ("web-1", "team", "ops"),
        ("web-2", "env", "dev"),  # in order of key, whatever the order they were given in
        ("web-2", "team", "ops"),
    ]
    described = cli("DescribeKeyPairs", "--RegionId", REGION, "--KeyPairName", "web-1").body
    assert described["KeyPairs"]["KeyPair"][0]["Tags"]["Tag"] == [
        {"TagKey": "env", "TagValue": "dev"},  # in its place
        {"TagKey": "team", "TagValue": "ops"},
    ]
    listed = cli("ListTagResources", *KEYPAIR, "--ResourceId.1", "web-2").body
    assert listed["TagResources"]["TagResource"][0] == {
        "ResourceId": "web-2",
        "ResourceType": "keypair",
        "TagKey": "env",
        "TagValue": "dev",
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
    ).ok()
    cli("UntagResources", *KEYPAIR, "--ResourceId.1", "web-2", "--All", "true").ok()
    assert tag_list(cli) == [("web-1", "team", "ops")]
    described = cli("DescribeKeyPairs", "--RegionId", REGION, "--KeyPairName", "web-1").body
    assert described["KeyPairs"]["KeyPair"][0]["Tags"]["Tag"] == [
        {"TagKey": "team", "TagValue": "ops"}
    ]


def test_list_tag_resources_pages(cli, made) -> None:
    tags = [arg for n in range(1, 6) for arg in (f"--Tag.{n}.Key", f"k{n}")]
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-2", *tags).ok()
    first = cli("ListTagResources", *KEYPAIR, "--MaxResults", "4").body
    assert len(first["TagResources"]["TagResource"]) == 4
    rest = cli("ListTagResources", *KEYPAIR, "--NextToken", first["NextToken"]).body
    assert "NextToken" not in rest
    everything = first["TagResources"]["TagResource"] + rest["TagResources"]["TagResource"]
    assert len(everything) == 6
    assert code(cli("ListTagResources", *KEYPAIR, "--NextToken", "nope")) == (
        "InvalidNextToken",
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
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-1", *nineteen).ok()  # 20 with env
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
    ).ok()  # a key it has: still 20
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


TEN_KEYS = [f"k{n}" for n in range(10)]


@pytest.fixture
def thirty(cli) -> None:
    """web-1, web-2 and web-3 (imported: no key generation), ten tags each."""
    for name in ("web-1", "web-2", "web-3"):
        cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", name,
            "--PublicKeyBody", PUBLIC_LINE).ok()
    tags = [arg for n, key in enumerate(TEN_KEYS, 1) for arg in (f"--Tag.{n}.Key", key)]
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-1", "--ResourceId.2", "web-2",
        "--ResourceId.3", "web-3", *tags).ok()


def _page(cli, *args: str) -> tuple[list[tuple[str, str]], str | None]:
    body = cli("ListTagResources", *KEYPAIR, "--MaxResults", "15", *args).body
    items = [(item["ResourceId"], item["TagKey"]) for item in body["TagResources"]["TagResource"]]
    return items, body.get("NextToken")


def test_untagging_between_pages_skips_no_tag_still_there(cli, thirty) -> None:
    first, token = _page(cli)
    assert first == [("web-1", key) for key in TEN_KEYS] + [("web-2", key) for key in TEN_KEYS[:5]]
    cli("UntagResources", *KEYPAIR, "--ResourceId.1", "web-1", "--All", "true").ok()
    assert token is not None
    second, token = _page(cli, "--NextToken", token)
    assert second == [("web-2", key) for key in TEN_KEYS[5:]] + [("web-3", key) for key in TEN_KEYS]
    assert token is None


def test_a_tag_added_before_the_cursor_repeats_nothing(cli, thirty) -> None:
    first, token = _page(cli)
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-1", "--Tag.1.Key", "a-new").ok()
    assert token is not None
    second, _ = _page(cli, "--NextToken", token)
    assert second[0] == ("web-2", "k5") and not set(first) & set(second)


def test_a_token_whose_key_pair_is_gone_goes_on_after_it(cli, thirty) -> None:
    _, token = _page(cli)  # ends inside web-2
    cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", '["web-2"]').ok()
    assert token is not None
    second, token = _page(cli, "--NextToken", token)
    assert second == [("web-3", key) for key in TEN_KEYS] and token is None


def test_pages_are_in_order_of_resource_then_tag_key(cli, thirty) -> None:
    cli("TagResources", *KEYPAIR, "--ResourceId.1", "web-2", "--Tag.1.Key", "a-new").ok()
    listed = cli("ListTagResources", *KEYPAIR, "--MaxResults", "7", "--pager").body
    items = [(item["ResourceId"], item["TagKey"]) for item in listed["TagResources"]["TagResource"]]
    assert items == sorted(items) and len(items) == 31


@pytest.mark.parametrize(
    "token",
    [
        "nope",
        "15",
        "bm9wZQ",  # base64 of "nope"
        "W10",  # base64 of "[]"
        "WyJ3ZWItMSIsIDFd",  # base64 of '["web-1", 1]'
        "WyJ3ZWItMSIsImsxIiwieCJd",  # base64 of '["web-1","k1","x"]'
        "eyJhIjogMX0",  # base64 of '{"a": 1}'
        "/w",  # base64 of one byte that is no text
        "WyJ3ZWItMSIsImsxIl0=",  # padded: not what this backend gives
        pytest.param("W" * 5000, id="long"),
        pytest.param("é", id="not-ascii"),
    ],
)
def test_a_forged_token_is_invalid_next_token(cli, thirty, token: str) -> None:
    error = cli("ListTagResources", *KEYPAIR, "--NextToken", token).error
    assert (error["Code"], error["HttpStatusCode"]) == ("InvalidNextToken", 400)
    assert error["Message"] == "The NextToken is invalid."
