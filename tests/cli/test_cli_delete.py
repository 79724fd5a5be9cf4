"""DeleteKeyPairs from the command line: a JSON array of names."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import REGION


def listed(cli) -> list[str]:
    body = cli("DescribeKeyPairs", "--RegionId", REGION, "--PageSize", "50").body
    return [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]]


@pytest.fixture
def three(cli) -> None:
    for name in ("a1", "b2", "c3"):
        cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", name).ok()


def test_delete(cli, three) -> None:
    body = cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", '["a1","c3"]').body
    assert list(body) == ["RequestId"]
    assert listed(cli) == ["b2"]


def test_names_that_are_not_there_are_ignored(cli, three) -> None:
    cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames=[\"b2\", \"nope\"]").ok()
    assert listed(cli) == ["a1", "c3"]


def test_names_in_single_quotes_are_read_as_the_gateway_reads_them(cli, three) -> None:
    """footmark sends a Python list's text; the cloud's gateway deletes those key pairs."""
    cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", str(["a1", "c3"])).ok()
    assert listed(cli) == ["b2"]


def test_delete_is_per_region(cli, three) -> None:
    cli("DeleteKeyPairs", "--RegionId", "cn-beijing", "--KeyPairNames", '["a1"]').ok()
    assert listed(cli) == ["a1", "b2", "c3"]


@pytest.mark.parametrize(
    "value",
    [
        *("a1", '["a1"', "[]", '"a1"', '{"a1": 1}', "[1]", '[""]', json.dumps(["n"] * 101)),
        *("['a1',]", "['a1'", "[a1]", "['\\x61\\x31']", "[\"a\\'1\"]", "['']"),
    ],
)
def test_bad_names(cli, three, value: str) -> None:
    error = cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", value).error
    assert (error["Code"], error["Message"], error["HttpStatusCode"]) == (
        "InvalidKeyPairNames.ValueNotSupported",
        "The specified parameter KeyPairNames is not supported.",
        400,
    )
    assert listed(cli) == ["a1", "b2", "c3"]


def test_a_hundred_names_are_accepted(cli, three) -> None:
    names = ["a1", *(f"n{i}" for i in range(99))]
    cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", json.dumps(names)).ok()
    assert listed(cli) == ["b2", "c3"]


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("cc-1", """'["cc-1"]'"""),
        ("cc-1,cc-2", """'["cc-1","cc-2"]'"""),
        ("cc-1 cc-2", """'["cc-1","cc-2"]'"""),
        ("[cc-1]", """'["cc-1"]'"""),  # --KeyPairNames ["cc-1"]: the shell took the quotes
        ('["cc-1"', """'["cc-1"]'"""),
        ('"cc-1"', """'["cc-1"]'"""),  # a JSON string, not an array
        ("it's", """'["it'"'"'s"]'"""),  # quoted for the shell, as it would be typed
        ('["cc-1", "cc-2"', """'["cc-1","cc-2"]'"""),  # quoted names, each kept whole
    ],
)
def test_a_value_that_is_no_json_array_gets_the_line_that_was_meant(
    cli, three, value: str, meant: str
) -> None:
    """The API's body stays as the cloud answers it; the line after it says a JSON array is
    wanted and shows the option written as one, with the names given."""
    outcome = cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", value)
    assert outcome.error["Code"] == "InvalidKeyPairNames.ValueNotSupported"
    assert outcome.reason == (
        f"ecs-keypair: KeyPairNames: must be a JSON array, such as --KeyPairNames {meant}\n"
    )
    assert listed(cli) == ["a1", "b2", "c3"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("[1]", 'must be a JSON array of names, such as ["a","b"]'),
        ('{"a1": 1}', 'must be a JSON array of names, such as ["a","b"]'),
        (json.dumps(["n"] * 101), "must hold 1 to 100 names"),
        # single-quoted strings are read as the gateway reads them: the count is what is wrong
        ("[" + ",".join(f"'k{n}'" for n in range(101)) + "]", "must hold 1 to 100 names"),
        # a quoted name holding a raw tab: no example that would split it into two names
        ("['a\t1']", 'must be a JSON array of names, such as ["a","b"]'),
        ('["a b", "c"', 'must be a JSON array of names, such as ["a","b"]'),
    ],
)
def test_a_json_value_keeps_the_reason_it_breaks(cli, value: str, reason: str) -> None:
    """JSON that is not a list of names: no example is made up from it."""
    outcome = cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", value)
    assert outcome.error["Code"] == "InvalidKeyPairNames.ValueNotSupported"
    assert outcome.reason == f"ecs-keypair: KeyPairNames: {reason}\n"


def test_a_reason_already_in_the_message_is_not_said_twice(cli) -> None:
    outcome = cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", "")
    assert outcome.error["Code"] == "MissingParameter" and outcome.reason == ""


def test_empty_names_is_the_apis_missing_parameter(cli) -> None:
    error = cli("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", "").error
    assert (error["Code"], error["HttpStatusCode"]) == ("MissingParameter", 400)


def test_names_are_required(cli) -> None:
    assert "--KeyPairNames" in cli("DeleteKeyPairs", "--RegionId", REGION).usage
