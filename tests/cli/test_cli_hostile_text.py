"""Hostile text from the store or an endpoint never reaches the terminal raw: the very bytes the
command line writes (JSON, --output tables, --cli-query, messages on stderr) hold no control,
bidi or invisible character, and the JSON still reads back the same values."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

import pytest
from ecs_keypair.cli.output import deliver
from ecs_keypair.contract.rules import Tag
from ecs_keypair.exit_codes import EXIT_FAILED
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.cli import REGION, run_module_bytes
from tests.support.hostile import (
    HOSTILE_GROUP_DISPLAY_NAME,
    HOSTILE_NAME,
    HOSTILE_TAGS,
    TAGGED,
    raw_controls,
    store_hostile_key_pairs,
)
from tests.support.serve import RunningServe, running_serve

DESCRIBE = ("DescribeKeyPairs", "--RegionId", REGION)
LIST_TAGS = ("ListTagResources", "--RegionId", REGION, "--ResourceType", "keypair")


@pytest.fixture
def hostile_store(backend: LocalBackend) -> LocalBackend:
    store_hostile_key_pairs(backend)
    return backend


@pytest.fixture(scope="module")
def hostile_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServe]:
    with running_serve(tmp_path_factory.mktemp("serve") / "data") as running:
        store_hostile_key_pairs(running.backend())
        yield running


@pytest.fixture(params=["local", "endpoint"])
def door(
    request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, ...]:
    """The options that reach the hostile key pairs: the local store, or serve over one."""
    if request.param == "local":
        store_hostile_key_pairs(request.getfixturevalue("backend"))
        return ()
    running: RunningServe = request.getfixturevalue("hostile_serve")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", running.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", running.key.secret)
    return ("--endpoint", f"http://{running.endpoint}")


def printed(*args: str) -> bytes:
    """What a successful command wrote on stdout, after checking that stderr is empty."""
    status, out, err = run_module_bytes(*args)
    assert (status, err) == (0, b""), err
    return out


def tags_of(body: dict) -> list[Tag]:
    item = next(each for each in body["KeyPairs"]["KeyPair"] if each["KeyPairName"] == TAGGED)
    return [Tag(tag["TagKey"], tag["TagValue"]) for tag in item["Tags"]["Tag"]]


def test_json_answers_escape_every_control_and_read_back_the_same(door: tuple[str, ...]) -> None:
    described = printed(*DESCRIBE, *door)
    listed = printed(*LIST_TAGS, *door)
    for out in (described, listed):
        assert raw_controls(out) == [], out
    body = json.loads(described)
    assert tags_of(body) == list(HOSTILE_TAGS)
    assert HOSTILE_NAME in [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]]
    assert b"\\u001b]52;c;" in described and b"\\u202e" in described and b"\\u009b" in described
    entries = json.loads(listed)["TagResources"]["TagResource"]
    listed_tags = [Tag(entry["TagKey"], entry["TagValue"]) for entry in entries]
    by_key = attrgetter("key")
    assert sorted(listed_tags, key=by_key) == sorted(HOSTILE_TAGS, key=by_key)


def test_a_query_s_answer_is_escaped_json_too(door: tuple[str, ...]) -> None:
    out = printed(*DESCRIBE, *door, "--cli-query", "KeyPairs.KeyPair[].Tags.Tag[].TagValue")
    assert raw_controls(out) == []
    assert json.loads(out) == [tag.value for tag in HOSTILE_TAGS]


def test_a_table_shows_each_control_as_an_escape_one_row_a_line(door: tuple[str, ...]) -> None:
    out = printed(*LIST_TAGS, *door, "--output", "cols=TagKey,TagValue",
                  "rows=TagResources.TagResource[]")
    assert raw_controls(out) == []
    lines = out.decode().splitlines()
    assert len(lines) == 2 + len(HOSTILE_TAGS)  # the newline in a key did not add a line
    assert all(line.count(" | ") == 1 for line in lines)
    assert any(line.startswith("two\\nlines ") for line in lines)
    assert "\\x1b]52;c;" in out.decode()
    assert "exe.\\u202etxt" in out.decode() and "\\x9b31mred" in out.decode()


def test_a_table_cell_holding_a_list_is_escaped_json(door: tuple[str, ...]) -> None:
    out = printed(*DESCRIBE, *door, "--output", "cols=KeyPairName,Tags.Tag",
                  "rows=KeyPairs.KeyPair[]")
    assert raw_controls(out) == []
    assert len(out.splitlines()) == 4
    assert "evil\\x1b]0;named\\x07" in out.decode()


def test_group_names_are_escaped(hostile_store: LocalBackend) -> None:
    out = printed("ListResourceGroups")
    assert raw_controls(out) == []
    assert HOSTILE_GROUP_DISPLAY_NAME in [group["DisplayName"] for group in
                                  json.loads(out)["ResourceGroups"]["ResourceGroup"]]


def test_a_message_quoting_the_answer_is_shown_escaped(hostile_store: LocalBackend) -> None:
    status, out, err = run_module_bytes(
        *DESCRIBE, "--cli-query", "abs(KeyPairs.KeyPair[0].Tags.Tag[0].TagValue)"
    )
    assert (status, out) == (1, b"")
    assert raw_controls(err) == [] and err.count(b"\n") == 1
    assert b"\\x1b]52;c;" in err


@pytest.mark.parametrize(
    "args",
    [
        (*DESCRIBE, "--\x1b]0;owned\x07"),
        ("keygen", "--x\x1b[2J\u202e"),
        (*DESCRIBE, "--output", "cols=\x1b]52;c;eA==\x07"),
    ],
    ids=["option", "key command option", "output spec"],
)
def test_a_usage_error_quoting_an_argument_shows_it_escaped(
    args: tuple[str, ...], home: Path
) -> None:
    status, out, err = run_module_bytes(*args)
    assert (status, out) == (2, b"")
    assert raw_controls(err) == [], err
    assert err.count(b"\n") == 2 and b"\\x" in err


def test_a_note_about_an_undelivered_answer_names_it_escaped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    undo = (f"the key pair {HOSTILE_NAME}", lambda: None)
    assert deliver({"KeyPairName": HOSTILE_NAME}, undo) == EXIT_FAILED
    err = capsys.readouterr().err
    assert raw_controls(err.encode()) == [] and err.count("\n") == 1
    assert "the key pair evil\\x1b]0;named\\x07 was deleted" in err


def test_an_older_store_s_hostile_tags_can_still_be_removed(
    cli, hostile_store: LocalBackend
) -> None:
    keys = [f"--TagKey.{number}={tag.key}" for number, tag in enumerate(HOSTILE_TAGS, start=1)]
    cli("UntagResources", "--RegionId", REGION, "--ResourceType", "keypair",
        "--ResourceId.1", TAGGED, *keys).ok()
    assert [record.tags for record in hostile_store.find_key_pairs(REGION, TAGGED)] == [()]
