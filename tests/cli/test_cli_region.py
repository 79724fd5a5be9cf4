"""Where a command's RegionId comes from when --RegionId is not given: --region, then
ALIBABA_CLOUD_REGION_ID, then the region_id of the aliyun profile in use; --RegionId wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import REGION


def write_aliyun_config(user_home: Path, current: str, **regions: str) -> Path:
    """An aliyun CLI configuration with one AK profile per ``name=region_id``."""
    path = user_home / ".aliyun" / "config.json"
    path.parent.mkdir(exist_ok=True)
    profiles = [
        {"name": name, "mode": "AK", "access_key_id": "id", "access_key_secret": "secret",
         "region_id": region}
        for name, region in regions.items()
    ]
    path.write_text(json.dumps({"current": current, "profiles": profiles}))
    return path


def described_region(cli, *args: str) -> str:
    """The region DescribeKeyPairs ran in: the one whose key pair it lists."""
    listed = cli("DescribeKeyPairs", *args).body["KeyPairs"]["KeyPair"]
    return listed[0]["KeyPairName"].removeprefix("in-") if listed else "(none)"


def region_sent(cli, *args: str) -> str:
    """The RegionId DescribeKeyPairs would send (``--profile`` means the cloud: nothing is
    called, the dry run says what would be)."""
    return cli("DescribeKeyPairs", "--cli-dry-run", *args).body["query"]["RegionId"]


@pytest.fixture
def one_per_region(cli) -> None:
    for region in ("cn-hangzhou", "cn-beijing", "cn-shanghai", "eu-west-1"):
        cli("CreateKeyPair", "--RegionId", region, "--KeyPairName", f"in-{region}").ok()


@pytest.mark.usefixtures("one_per_region")
def test_each_way_in_order(cli, no_default_region: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_aliyun_config(no_default_region, "default", default="cn-shanghai", work="eu-west-1")
    assert described_region(cli) == "cn-shanghai"  # the file's current profile
    assert region_sent(cli, "--profile", "work") == "eu-west-1"  # the profile named
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "cn-beijing")
    assert region_sent(cli, "--profile", "work") == "cn-beijing"  # the variable first
    assert described_region(cli, "--region", "cn-hangzhou") == "cn-hangzhou"  # the option first
    assert described_region(cli, "--region=eu-west-1") == "eu-west-1"
    # --RegionId wins over all three, wherever --region stands
    assert described_region(cli, "--region", "cn-hangzhou", "--RegionId", "cn-shanghai") == (
        "cn-shanghai"
    )
    assert described_region(cli, "--RegionId=cn-beijing", "--region", "eu-west-1") == "cn-beijing"


def test_a_created_key_pair_lands_in_the_resolved_region(cli, backend) -> None:
    cli("CreateKeyPair", "--KeyPairName", "web-1", "--region", "cn-beijing").ok()
    assert [r.key_pair_name for r in backend.find_key_pairs("cn-beijing")] == ["web-1"]
    assert backend.find_key_pairs(REGION) == []


def test_commands_without_a_region_ignore_it(cli) -> None:
    assert cli("DescribeRegions", "--region", "cn-beijing").body["Regions"]["Region"]


@pytest.mark.parametrize(
    ("config", "profile", "why"),
    [
        (None, None, "config.json does not exist"),
        ('{"current": "default", "profiles": []}', None, "has no profile 'default'"),
        ('{"current": "a", "profiles": [{"name": "a"}]}', None, "profile 'a' of"),
        ('{"current": "a", "profiles": [{"name": "a", "region_id": "x"}]}', "b", "no profile 'b'"),
        ("{not json", None, "cannot be read (JSONDecodeError)"),
        ("[1, 2]", None, "is not the aliyun CLI's configuration"),
    ],
)
def test_no_region_anywhere_is_a_usage_error_naming_the_three_ways(
    cli, home: Path, no_default_region: Path, config: str | None, profile: str | None, why: str
) -> None:
    if config is not None:
        (no_default_region / ".aliyun").mkdir()
        (no_default_region / ".aliyun" / "config.json").write_text(config)
    args = ("--profile", profile) if profile else ()
    message = cli("CreateKeyPair", "--KeyPairName", "web-1", *args).usage
    first, pointer = message.splitlines()
    assert "missing required parameter --RegionId" in first
    for way in ("--region", "ALIBABA_CLOUD_REGION_ID", "region_id in the aliyun profile", why):
        assert way in first
    assert pointer == "Try 'ecs-keypair CreateKeyPair --help'."
    assert not (home / "keypairs").exists()  # nothing was called


def test_a_region_option_needs_a_value_and_a_command(cli) -> None:
    assert "--region needs a value" in cli("DescribeKeyPairs", "--region").usage
    assert "--region needs a value" in cli("DescribeKeyPairs", "--region=").usage
    assert "--region goes with a command" in cli("--region", "cn-beijing").usage
    assert "more than once" in cli("DescribeKeyPairs", "--region=a", "--region=b").usage


def test_help_needs_no_region(cli) -> None:
    assert cli("DescribeKeyPairs", "--help").out.startswith("Usage: ecs-keypair DescribeKeyPairs")


def test_a_region_that_is_not_one_is_the_apis_answer(cli) -> None:
    assert cli("DescribeKeyPairs", "--region", "mars").error["Code"] == "InvalidRegionId.NotFound"
