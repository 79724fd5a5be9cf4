"""Command lines that cannot become a call: one clear line, a pointer to --help, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import REGION

CREATE = ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1")

USAGE_ERRORS = [
    # (arguments, what the message says, the command whose --help it points to)
    (("Foo",), "unknown command 'Foo'", None),
    (("createkeypair",), "did you mean CreateKeyPair?", None),
    (("DescribeKeyPair", "--RegionId", REGION), "did you mean DescribeKeyPairs?", None),
    (("--RegionId", REGION), "--RegionId is not a command", None),
    (("CreateKeyPair",), "missing required parameter --RegionId: give --RegionId", "CreateKeyPair"),
    (
        ("CreateKeyPair", "--RegionId", REGION),
        "missing required parameter --KeyPairName",
        "CreateKeyPair",
    ),
    ((*CREATE, "--Color", "red"), "unknown option --Color for CreateKeyPair", "CreateKeyPair"),
    ((*CREATE, "--resourcegroupid", "rg-1"), "did you mean --ResourceGroupId?", "CreateKeyPair"),
    (
        (*CREATE, "--Tag.1.key", "env"),
        "--Tag.1.key: not an entry of Tag, which are written --Tag.N.Key or --Tag.N.Value",
        "CreateKeyPair",
    ),
    ((*CREATE, "--tag.1.key", "env"), "did you mean --Tag.1.Key?", "CreateKeyPair"),
    ((*CREATE, "--KeyPairNme=x"), "did you mean --KeyPairName?", "CreateKeyPair"),
    ((*CREATE, "--PageSize", "5"), "unknown option --PageSize for CreateKeyPair", "CreateKeyPair"),
    (
        ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName"),
        "--KeyPairName needs a value",
        "CreateKeyPair",
    ),
    (
        ("CreateKeyPair", "--RegionId", "--KeyPairName", "web-1"),
        "--RegionId needs a value",
        "CreateKeyPair",
    ),
    ((*CREATE, "--RegionId", "cn-beijing"), "--RegionId is given more than once", "CreateKeyPair"),
    ((*CREATE, "extra"), "unexpected argument 'extra'", "CreateKeyPair"),
    ((*CREATE, "-RegionId", REGION), "unknown option -RegionId", "CreateKeyPair"),
    ((*CREATE, "--Tag.0.Key", "env"), "N in Tag.N.Key is a whole number from 1", "CreateKeyPair"),
    ((*CREATE, "--Tag.01.Key", "env"), "without leading zeros", "CreateKeyPair"),
    ((*CREATE, "--Tag.1.Name", "env"), "--Tag.1.Name: not an entry of Tag", "CreateKeyPair"),
    (
        ("DeleteKeyPairs", "--RegionId", REGION, "--Tag.1.Key", "a"),
        "unknown option --Tag.1.Key",
        "DeleteKeyPairs",
    ),
    (
        ("DescribeRegions", "--RegionId", REGION),
        "DescribeRegions takes no parameters",
        "DescribeRegions",
    ),
    (
        ("ListResourceGroups", "--PageNumber", "one"),
        "--PageNumber must be a whole number",
        "ListResourceGroups",
    ),
]


@pytest.mark.parametrize(("args", "says", "help_command"), USAGE_ERRORS)
def test_usage_error(cli, home: Path, args, says: str, help_command: str | None) -> None:
    message = cli(*args).usage
    first, pointer = message.splitlines()
    assert first.startswith("ecs-keypair: ")
    assert says in first
    assert pointer == f"Try 'ecs-keypair {help_command + ' ' if help_command else ''}--help'."
    assert not (home / "keypairs" / f"{REGION}.json").exists()


def test_a_value_that_looks_like_an_option_goes_after_equals(cli) -> None:
    message = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "--x").usage
    assert "write --KeyPairName=VALUE" in message
    error = cli("CreateKeyPair", f"--RegionId={REGION}", "--KeyPairName=--x").error
    assert error["Code"] == "InvalidKeyPairName.Malformed"


def test_values_may_start_with_a_dash(cli) -> None:
    error = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "-x").error
    assert error["Code"] == "InvalidKeyPairName.Malformed"
    error = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageNumber", "-1").error
    assert error["Code"] == "InvalidParameter"


def test_equals_inside_a_value_is_kept(cli) -> None:
    body = cli(*CREATE, "--Tag.1.Key=a=b", "--Tag.1.Value==").body
    listed = cli("DescribeKeyPairs", "--RegionId", REGION).body["KeyPairs"]["KeyPair"]
    assert body["KeyPairName"] == "web-1"
    assert listed[0]["Tags"]["Tag"] == [{"TagKey": "a=b", "TagValue": "="}]


def test_a_huge_tag_number_is_the_apis_tag_limit(cli) -> None:
    error = cli(*CREATE, f"--Tag.{'9' * 40}.Key", "k").error
    assert error["Code"] == "QuotaExceed.Tags"
