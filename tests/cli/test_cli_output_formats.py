"""--output cols= rows= num= (a table as the aliyun CLI prints it) and --cli-query (JMESPath)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import REGION, run_module

LIST = ("DescribeKeyPairs", "--RegionId", REGION)


@pytest.fixture
def fingerprints(cli) -> dict[str, str]:
    made = {}
    for name in ("web-1", "db-primary"):
        body = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", name,
                   "--Tag.1.Key", "env", "--Tag.1.Value", "prod").body
        made[name] = body["KeyPairFingerPrint"]
    return made


def test_a_table_as_aliyun_prints_it(cli, fingerprints: dict[str, str]) -> None:
    out = cli(*LIST, "--output", "cols=KeyPairName,KeyPairFingerPrint",
              "rows=KeyPairs.KeyPair[]").out
    web, db = fingerprints["web-1"], fingerprints["db-primary"]
    # each column as wide as its widest cell plus one space, then "|", the next led by a space
    assert out == (  # in the order they were made, as DescribeKeyPairs lists them
        "KeyPairName | KeyPairFingerPrint\n"
        "----------- | ------------------\n"
        f"web-1       | {web}\n"
        f"db-primary  | {db}\n"
    )


def test_numbered_rows_nested_columns_and_missing_cells(cli, fingerprints) -> None:
    out = cli(*LIST, "--output", "cols=KeyPairName,Tags.Tag[0].TagValue,Nope",
              "rows=KeyPairs.KeyPair[]", "num=true").out.splitlines()
    assert out[0] == "Num | KeyPairName | Tags.Tag[0].TagValue | Nope"
    assert out[1] == "--- | ----------- | -------------------- | ----"
    assert [line.split(" | ")[0].strip() for line in out[2:]] == ["0", "1"]
    assert all(line.endswith("| prod                 | <nil>") for line in out[2:])


def test_rows_that_are_lists_take_named_indexes(cli, fingerprints) -> None:
    out = cli(*LIST, "--output=cols=name:0,fp:1",
              "rows=KeyPairs.KeyPair[?KeyPairName=='web-1'].[KeyPairName,KeyPairFingerPrint]").out
    assert out == f"name  | fp\n----  | --\nweb-1 | {fingerprints['web-1']}\n"


def test_without_rows_the_answer_is_the_one_row(cli) -> None:
    out = cli(*LIST, "--output", "cols=TotalCount,PageSize").out
    assert out == "TotalCount | PageSize\n---------- | --------\n0          | 10\n"


def test_cli_query_filters_the_json(cli, fingerprints) -> None:
    names = cli(*LIST, "--cli-query", "KeyPairs.KeyPair[].KeyPairName").body
    assert sorted(names) == ["db-primary", "web-1"]
    assert cli(*LIST, "--cli-query=TotalCount").body == 2
    assert cli(*LIST, "--cli-query", "Nothing.here").out == "null\n"


def test_cli_query_then_the_table(cli, fingerprints) -> None:
    out = cli(*LIST, "--cli-query", "KeyPairs.KeyPair[?KeyPairName=='web-1']",
              "--output", "cols=KeyPairName").out
    assert out == "KeyPairName\n-----------\nweb-1\n"


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--cli-query", "KeyPairs.KeyPair[?"), "--cli-query: 'KeyPairs.KeyPair[?' is not a"),
        (("--cli-query",), "--cli-query needs a value"),
        (("--output", "rows=KeyPairs.KeyPair[]"), "--output needs cols=A,B"),
        (("--output", "cols=KeyPairName,", "rows=x"), "a column name is empty"),
        (("--output", "cols=Key Pair"), "--output cols: 'Key Pair' is not a JMESPath"),
        (("--output", "cols=A", "rows=[["), "--output rows: '[[' is not a JMESPath"),
        (("--output", "cols=A", "num=yes"), "write num=true or num=false"),
        (("--output", "cols=A", "cols=B"), "cols= is given more than once"),
        (("--output", "json"), "--output needs cols=A,B"),
        (("--pager=yes",), "--pager takes no value"),
    ],
)
def test_a_bad_expression_or_column_is_a_usage_error_and_nothing_is_called(
    cli, home: Path, options: tuple[str, ...], says: str
) -> None:
    message = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1", *options).usage
    assert says in message.splitlines()[0]
    assert not (home / "keypairs").exists()


def test_rows_that_select_no_list_fail_after_the_call(cli, fingerprints) -> None:
    outcome = cli(*LIST, "--output", "cols=A", "rows=KeyPairs")
    assert (outcome.status, outcome.out) == (1, "")
    assert outcome.err == (
        "ecs-keypair: --output rows= must select a list of the answer; it selects an object\n"
    )


def test_a_query_function_given_the_wrong_type_fails_after_the_call(cli) -> None:
    outcome = cli(*LIST, "--cli-query", "length(TotalCount)")
    assert (outcome.status, outcome.out) == (1, "")
    assert outcome.err.startswith("ecs-keypair: --cli-query: ")


def test_errors_stay_the_error_body(cli) -> None:
    error = cli("DescribeKeyPairs", "--RegionId", "mars", "--output", "cols=A").error
    assert error["Code"] == "InvalidRegionId.NotFound"


def test_the_private_key_is_never_filtered_away(cli, backend) -> None:
    outcome = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                  "--cli-query", "KeyPairId")
    body = json.loads(outcome.out)
    assert body["PrivateKeyBody"].startswith("-----BEGIN PRIVATE KEY-----")
    assert outcome.status == 0
    assert "the private key is shown only once" in outcome.err
    kept = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-2",
               "--cli-query", "PrivateKeyBody")
    assert (kept.status, kept.err) == (0, "")
    assert json.loads(kept.out).startswith("-----BEGIN PRIVATE KEY-----")


def test_as_a_real_process(home: Path) -> None:
    run_module("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1").ok()
    outcome = run_module("DescribeKeyPairs", "--output", "cols=KeyPairName",
                         "rows=KeyPairs.KeyPair[]", "--RegionId", REGION)
    assert (outcome.status, outcome.err) == (0, "")
    assert outcome.out == "KeyPairName\n-----------\nweb-1\n"
