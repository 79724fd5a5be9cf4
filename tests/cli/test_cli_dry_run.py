"""--cli-dry-run: the request that would be sent is printed, and nothing is called."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import REGION


def test_the_request_is_printed_and_nothing_is_called(cli, home: Path) -> None:
    body = cli("CreateKeyPair", "--KeyPairName", "web-1", "--Tag.1.Key", "env",
               "--Tag.1.Value", "prod", "--region", "cn-beijing", "--cli-dry-run").body
    assert body == {
        "style": "RPC",
        "endpoint": f"local store {home}",
        "action": "CreateKeyPair",
        "version": "2014-05-26",
        "query": {
            "KeyPairName": "web-1",
            "RegionId": "cn-beijing",
            "Tag.1.Key": "env",
            "Tag.1.Value": "prod",
        },
    }
    assert not home.exists()  # the store was not even opened


def test_values_are_not_judged_and_the_pager_does_not_run(cli, home: Path) -> None:
    body = cli("DescribeKeyPairs", "--RegionId", "mars", "--PageSize", "999", "--pager",
               "--cli-dry-run").body
    assert body["query"] == {"PageSize": "999", "RegionId": "mars"}
    assert not home.exists()


def test_the_dry_run_can_be_queried(cli) -> None:
    assert cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", '["a"]',
               "--cli-dry-run", "--cli-query", "query.KeyPairNames").body == '["a"]'


def test_the_command_line_is_still_checked(cli) -> None:
    assert "missing required parameter --KeyPairName" in cli(
        "CreateKeyPair", "--RegionId", REGION, "--cli-dry-run"
    ).usage
    assert "--cli-dry-run takes no value" in cli("DescribeRegions", "--cli-dry-run=1").usage


def test_a_key_delivery_does_not_mix_with_a_dry_run_or_a_filter(cli, home: Path, tmp_path) -> None:
    for option in ("--cli-dry-run", "--cli-query=KeyPairId", "--output=cols=KeyPairId"):
        message = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                      "--save", str(tmp_path / "web-1.pem"), option).usage
        assert "--save and --add-to-agent print their own answer" in message
    assert not home.exists() and not (tmp_path / "web-1.pem").exists()


def test_a_key_delivery_takes_the_region_like_any_command(cli, tmp_path, backend) -> None:
    cli("CreateKeyPair", "--region", "cn-beijing", "--KeyPairName", "web-1",
        "--save", str(tmp_path / "web-1.pem")).ok()
    assert [r.key_pair_name for r in backend.find_key_pairs("cn-beijing")] == ["web-1"]
