"""--output and --cli-query on the local key commands (keygen, copy, fingerprint, match): the
same options, read and printed by the same code as for the API's commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import REGION, run_module

OTHER = "cn-beijing"
BAD_QUERY = "Regions[?"


@pytest.fixture
def laptop(cli, tmp_path: Path) -> dict[str, object]:
    """A key made here as ``laptop`` in REGION, saved in tmp_path/ssh; keygen's answer."""
    return cli("keygen", "--KeyPairName", "laptop", "--RegionId", REGION,
               "--save", str(tmp_path / "ssh" / "laptop")).body


def _names(cli, region: str) -> list[str]:
    listed = cli("DescribeKeyPairs", "--RegionId", region).body
    return [item["KeyPairName"] for item in listed["KeyPairs"]["KeyPair"]]


def test_keygen_query_and_table(cli, tmp_path: Path) -> None:
    outcomes = cli("keygen", "--KeyPairName", "laptop", "--RegionId", f"{REGION},{OTHER}",
                   "--save", str(tmp_path / "a"), "--cli-query", "Regions[].Outcome").body
    assert outcomes == ["Imported", "Imported"]
    table = cli("keygen", "--KeyPairName", "desk", "--RegionId", REGION,
                "--save", str(tmp_path / "b"),
                "--output", "cols=RegionId,Outcome", "rows=Regions[]", "num=true")
    assert (table.status, table.err) == (0, "")
    assert table.out == (
        "Num | RegionId    | Outcome\n"
        "--- | --------    | -------\n"
        "0   | cn-hangzhou | Imported\n"
    )


def test_copy_query_and_table(cli, laptop) -> None:
    copied = cli("copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to", OTHER,
                 "--cli-query", "Regions[].[RegionId,Outcome]").body
    assert copied == [[OTHER, "Imported"]]
    table = cli("--output", "cols=RegionId,Outcome", "rows=Regions[]",
                "copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to", OTHER)
    assert (table.status, table.err) == (0, "")
    assert table.out == "RegionId   | Outcome\n--------   | -------\ncn-beijing | AlreadyThere\n"


def test_copy_keeps_its_exit_status_under_a_query(cli, laptop, tmp_path: Path) -> None:
    assert cli("keygen", "--KeyPairName", "laptop", "--RegionId", OTHER,
               "--save", str(tmp_path / "other")).body
    outcome = cli("copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to", OTHER,
                  "--cli-query", "Regions[0].Outcome")
    assert (outcome.status, outcome.out, outcome.err) == (1, '"Conflict"\n', "")


def test_fingerprint_query_and_table(cli, laptop, tmp_path: Path) -> None:
    key = str(tmp_path / "ssh" / "laptop")
    assert cli("fingerprint", key, "--cli-query", "KeyPairFingerPrint").body == (
        laptop["KeyPairFingerPrint"]
    )
    table = cli("fingerprint", "--output", "cols=KeyType,Format", key)
    assert (table.status, table.err) == (0, "")
    assert table.out == "KeyType     | Format\n-------     | ------\nssh-ed25519 | openssh\n"


def test_match_query_and_table(cli, laptop, tmp_path: Path) -> None:
    folder = str(tmp_path / "ssh")
    files = cli("match", "--RegionId", REGION, "--dir", folder,
                "--cli-query", "KeyPairs[?KeyPairName=='laptop'].Files[].Path | []").body
    assert files == [f"{folder}/laptop", f"{folder}/laptop.pub"]
    table = cli("match", "--RegionId", REGION, "--dir", folder,
                "--output=cols=KeyPairName,PrivateKeyOnThisMachine", "rows=KeyPairs[]")
    assert (table.status, table.err) == (0, "")
    assert table.out == (
        "KeyPairName | PrivateKeyOnThisMachine\n"
        "----------- | -----------------------\n"
        "laptop      | true\n"
    )


def _key_commands(tmp_path: Path) -> dict[str, tuple[str, ...]]:
    return {
        "keygen": ("keygen", "--KeyPairName", "made", "--RegionId", REGION,
                   "--save", str(tmp_path / "made")),
        "copy": ("copy", "--KeyPairName", "laptop", "--RegionId", REGION, "--to", OTHER),
        "fingerprint": ("fingerprint", str(tmp_path / "ssh" / "laptop")),
        "match": ("match", "--RegionId", REGION, "--dir", str(tmp_path / "ssh")),
    }


@pytest.mark.parametrize("command", ["keygen", "copy", "fingerprint", "match"])
@pytest.mark.parametrize(
    "options",
    [
        ("--cli-query", BAD_QUERY),
        ("--cli-query",),
        ("--output", "cols=A", "num=yes"),
        ("--output", "rows=Regions[]"),
    ],
)
def test_a_bad_query_or_table_is_the_same_usage_error_as_for_an_api_call(
    cli, laptop, tmp_path: Path, command: str, options: tuple[str, ...]
) -> None:
    api = cli("DescribeKeyPairs", "--RegionId", REGION, *options).usage
    usage = cli(*_key_commands(tmp_path)[command], *options).usage
    assert usage == api
    assert not (tmp_path / "made").exists()  # nothing was done
    assert _names(cli, OTHER) == [] and _names(cli, REGION) == ["laptop"]


@pytest.mark.parametrize("command", ["keygen", "copy", "fingerprint", "match"])
def test_what_fails_only_on_the_answer_is_one_line_as_for_an_api_call(
    cli, laptop, tmp_path: Path, command: str
) -> None:
    outcome = cli(*_key_commands(tmp_path)[command], "--cli-query", "length(@.Nothing)")
    assert (outcome.status, outcome.out) == (1, "")
    assert outcome.err.startswith("ecs-keypair: --cli-query: ") and outcome.err.count("\n") == 1


@pytest.mark.parametrize("option", ["--pager", "--cli-dry-run", "--region=cn-hangzhou"])
def test_the_other_aliyun_options_are_refused_by_the_key_commands(
    cli, laptop, tmp_path: Path, option: str
) -> None:
    for command, line in _key_commands(tmp_path).items():
        usage = cli(*line, option).usage
        name = option.partition("=")[0]
        assert usage == (
            f"ecs-keypair: {name} is not taken by {command}: of the aliyun CLI's options it "
            f"takes --output and --cli-query\nTry 'ecs-keypair {command} --help'.\n"
        )
    assert not (tmp_path / "made").exists()


@pytest.mark.parametrize("command", ["keygen", "copy", "fingerprint", "match"])
def test_the_help_of_each_key_command_names_both(cli, command: str) -> None:
    help_text = cli(command, "--help").out
    assert "--output cols=A,B [rows=JMESPATH] [num=true]" in help_text
    assert "--cli-query JMESPATH" in help_text


def test_as_a_real_process(home: Path, tmp_path: Path) -> None:
    made = run_module("keygen", "--KeyPairName", "proc-1", "--RegionId", REGION,
                      "--save", str(tmp_path / "proc-1"), "--cli-query", "KeyPairFingerPrint")
    fingerprint = json.loads(made.out)
    printed = run_module("fingerprint", str(tmp_path / "proc-1"),
                         "--output", "cols=KeyPairFingerPrint")
    assert (printed.status, printed.err) == (0, "")
    assert printed.out.splitlines()[2] == fingerprint
