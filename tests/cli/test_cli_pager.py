"""--pager: every page fetched and the lists merged, as the aliyun CLI merges them."""

from __future__ import annotations

import pytest
from ecs_keypair.cli.command_view import Paging
from ecs_keypair.cli.pager import MAX_PAGES, every_page
from ecs_keypair.contract.errors import ApiException

from tests.support.cli import REGION


@pytest.fixture
def seven(cli) -> list[str]:
    names = [f"web-{n}" for n in range(1, 8)]
    for name in names:
        cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", name, "--PublicKeyBody",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")
    return names


def test_every_page_of_describe_key_pairs_merged(cli, seven: list[str]) -> None:
    body = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageSize", "3", "--pager").body
    # the merged answer is the list alone, under its own path, as the aliyun CLI prints it
    assert list(body) == ["KeyPairs"] and list(body["KeyPairs"]) == ["KeyPair"]
    assert [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]] == seven


def test_the_pager_starts_at_the_page_given_and_keeps_the_filters(cli, seven) -> None:
    body = cli("DescribeKeyPairs", "--pager", "--RegionId", REGION, "--PageSize", "2",
               "--PageNumber", "2", "--KeyPairName", "web-*").body
    assert [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]] == seven[2:]


def test_pager_with_a_table(cli, seven) -> None:
    out = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageSize", "1", "--pager",
              "--output", "cols=KeyPairName", "rows=KeyPairs.KeyPair[]").out
    assert out.splitlines()[2:] == seven


def test_list_resource_groups_pages_too(cli) -> None:
    for n in range(3):
        cli("CreateResourceGroup", "--Name", f"group-{n}", "--DisplayName", f"Group {n}").ok()
    body = cli("ListResourceGroups", "--PageSize", "1", "--pager").body
    assert len(body["ResourceGroups"]["ResourceGroup"]) == 4  # with the default group


def test_list_tag_resources_follows_next_token(cli, seven: list[str]) -> None:
    for name in seven:
        cli("TagResources", "--RegionId", REGION, "--ResourceType", "keypair",
            "--ResourceId.1", name, "--Tag.1.Key", "env", "--Tag.1.Value", "prod",
            "--Tag.2.Key", "team", "--Tag.2.Value", "web").ok()
    first = cli("ListTagResources", "--RegionId", REGION, "--ResourceType", "keypair",
                "--MaxResults", "3").body
    assert first["NextToken"]  # one page is not all of them
    body = cli("ListTagResources", "--RegionId", REGION, "--ResourceType", "keypair",
               "--MaxResults", "3", "--pager").body
    merged = body["TagResources"]["TagResource"]
    assert list(body) == ["TagResources"]
    assert sorted((item["ResourceId"], item["TagKey"]) for item in merged) == sorted(
        (name, key) for name in seven for key in ("env", "team")
    )


def test_a_command_that_does_not_page_is_a_usage_error(cli, home) -> None:
    message = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "a", "--pager").usage
    assert "--pager: CreateKeyPair is not paged (these are: DescribeKeyPairs, " in message
    assert not (home / "keypairs").exists()


def test_an_error_on_any_page_is_the_error_body(cli) -> None:
    error = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageSize", "99", "--pager").error
    assert error["Code"] == "InvalidParameter"


def _token_pages(pages: list[list[str]]):
    """A next-token command's answers: page i holds ``pages[i]`` and the token of page i + 1."""
    asked: list[dict[str, str]] = []

    def call(values: dict[str, str]) -> dict:
        asked.append(values)
        index = int(values.get("NextToken", "t0")[1:])
        token = f"t{index + 1}" if index + 1 < len(pages) else ""
        items = [{"ResourceId": item} for item in pages[index]]
        return {"RequestId": "R", "NextToken": token, "TagResources": {"TagResource": items}}

    return call, asked


def test_next_token_pages_follow_the_token_until_it_is_empty() -> None:
    call, asked = _token_pages([["a", "b"], ["c"], ["d"]])
    body = every_page(Paging.NEXT_TOKEN, call)
    assert body == {"TagResources": {"TagResource": [{"ResourceId": x} for x in "abcd"]}}
    assert asked == [{}, {"NextToken": "t1"}, {"NextToken": "t2"}]


def test_pages_that_never_end_stop_at_the_bound() -> None:
    calls = []

    def endless(values: dict[str, str]) -> dict:
        calls.append(values)
        return {"NextToken": "again", "TagResources": {"TagResource": [{"ResourceId": "x"}]}}

    with pytest.raises(ApiException) as raised:
        every_page(Paging.NEXT_TOKEN, endless)
    assert raised.value.error.code == "SDK.InvalidResponse"
    assert f"after {MAX_PAGES} pages" in raised.value.error.message
    assert len(calls) == MAX_PAGES


def test_a_total_that_lies_stops_at_the_first_empty_page() -> None:
    def lying(values: dict[str, str]) -> dict:
        number = int(values.get("PageNumber", "1"))
        items = [{"KeyPairName": "only"}] if number == 1 else []
        return {"PageNumber": number, "PageSize": 1, "TotalCount": 10**9,
                "KeyPairs": {"KeyPair": items}}

    merged = every_page(Paging.PAGE_NUMBER, lying)
    assert merged == {"KeyPairs": {"KeyPair": [{"KeyPairName": "only"}]}}


def test_exactly_the_bound_of_pages_is_still_merged() -> None:
    call, asked = _token_pages([[f"r{n}"] for n in range(MAX_PAGES)])
    body = every_page(Paging.NEXT_TOKEN, call)
    assert len(body["TagResources"]["TagResource"]) == len(asked) == MAX_PAGES
