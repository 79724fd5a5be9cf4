"""The settings file: the remembered region and theme, written whole and 0600 through the shared
file writer, and what the user may set there, read as hostile input."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.preferences import Preferences
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.pilot import SIZE, pilot_test


def test_the_region_is_remembered_in_an_owner_only_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "tui-preferences.json"
    Preferences(path).remember_region("cn-beijing")
    assert Preferences(path).region_id == "cn-beijing"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_link_at_the_path_is_replaced_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("{}", encoding="utf-8")
    path = tmp_path / "tui-preferences.json"
    path.symlink_to(outside)
    Preferences(path).remember_region("cn-beijing")
    assert not path.is_symlink() and outside.read_text(encoding="utf-8") == "{}"


@pilot_test
async def test_the_theme_chosen_is_the_theme_of_the_next_run(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    path = tmp_path / "tui-preferences.json"
    first = make_app(preferences_path=path)
    async with first.run_test(size=SIZE) as pilot:
        assert first.theme == "textual-dark"
        first.theme = "textual-light"  # what the palette's "Change theme" does
        await pilot.pause()
    assert Preferences(path).theme == "textual-light"
    assert Preferences(path).region_id is None  # the region is not touched by it
    second = make_app(preferences_path=path)
    async with second.run_test(size=SIZE):
        assert second.theme == "textual-light"


@pilot_test
async def test_a_theme_no_longer_offered_is_ignored(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    path = tmp_path / "tui-preferences.json"
    path.write_text('{"theme": "gone-theme"}', encoding="utf-8")
    app = make_app(preferences_path=path)
    async with app.run_test(size=SIZE):
        assert app.theme == "textual-dark"


# -- the settings file the user may edit --


def messages(app: KeyPairApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def test_keys_the_app_does_not_write_are_kept_when_it_rewrites_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tui-preferences.json"
    written = {
        "keymap": {"app.help": "f2"},
        "clipboard_clear_seconds": 10,
        "theme": "textual-light",
        "note": ["the user's", {"own": True}],
    }
    path.write_text(json.dumps(written), encoding="utf-8")
    Preferences(path).remember_region("cn-beijing")
    assert json.loads(path.read_text(encoding="utf-8")) == {**written, "region_id": "cn-beijing"}


def test_the_settings_and_their_defaults(tmp_path: Path) -> None:
    missing = Preferences(tmp_path / "none.json")
    assert (missing.keymap, missing.clipboard_clear_seconds, missing.problems) == ({}, 45, [])
    path = tmp_path / "tui-preferences.json"
    path.write_text('{"keymap": {"app.quit": "ctrl+x"}, "clipboard_clear_seconds": 0}')
    chosen = Preferences(path)
    assert (chosen.keymap, chosen.clipboard_clear_seconds) == ({"app.quit": "ctrl+x"}, 0)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"theme": 5}, "theme must be a string"),
        ({"region_id": ["cn-beijing"]}, "region_id must be a string"),
        ({"clipboard_clear_seconds": "45"}, "clipboard_clear_seconds must be a number"),
        ({"clipboard_clear_seconds": -1}, "clipboard_clear_seconds must be a number"),
        ({"clipboard_clear_seconds": True}, "clipboard_clear_seconds must be a number"),
        ({"clipboard_clear_seconds": 1e9}, "clipboard_clear_seconds must be a number"),
        ({"keymap": "f2"}, "keymap must be an object"),
    ],
)
def test_a_value_of_the_wrong_kind_is_named_and_the_default_used(
    tmp_path: Path, settings: dict[str, object], named: str
) -> None:
    path = tmp_path / "tui-preferences.json"
    path.write_text(json.dumps(settings), encoding="utf-8")
    preferences = Preferences(path)
    (problem,) = preferences.problems
    assert named in problem
    assert (preferences.theme, preferences.region_id) == (None, None)
    assert (preferences.keymap, preferences.clipboard_clear_seconds) == ({}, 45)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"{ not json", "is not JSON"),
        (b"\xff\xfe{}", "is not JSON"),
        (b"[1, 2]", "is not a JSON object"),
        (b"[" * 30_000 + b"]" * 30_000, "is not JSON"),  # nested deeper than the parser goes
        (b'{"theme": "' + b"x" * 70_000 + b'"}', "is larger than 64 KiB"),
    ],
    ids=["syntax", "not utf-8", "a list", "nested too deep", "too large"],
)
def test_a_file_that_cannot_be_read_is_named_and_never_rewritten(
    tmp_path: Path, content: bytes, named: str
) -> None:
    path = tmp_path / "tui-preferences.json"
    path.write_bytes(content)
    preferences = Preferences(path)
    (problem,) = preferences.problems
    assert named in problem and "left as it is" in problem
    preferences.remember_region("cn-beijing")  # remembered for this run only
    assert preferences.region_id == "cn-beijing"
    assert path.read_bytes() == content  # the user's text stays for them to mend


def test_a_fifo_at_the_path_is_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "tui-preferences.json"
    os.mkfifo(path)
    (problem,) = Preferences(path).problems
    assert "is not a regular file" in problem


def test_a_folder_at_the_path_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tui-preferences.json"
    path.mkdir()
    (problem,) = Preferences(path).problems
    assert "is not a regular file" in problem


@settings(max_examples=200)
@given(
    document=st.dictionaries(
        st.sampled_from(["theme", "region_id", "keymap", "clipboard_clear_seconds", "other"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["app.help", "app.quit", "x", "\x1b]52;c;"]) | st.text(max_size=8),
                inner,
                max_size=4,
            ),
            max_leaves=12,
        ),
    )
)
def test_whatever_the_file_holds_it_is_read_without_an_exception(document: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tui-preferences.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        preferences = Preferences(path)
        assert all(isinstance(keys, str) for keys in preferences.keymap.values())
        assert 0 <= preferences.clipboard_clear_seconds <= 24 * 60 * 60
        message = preferences.problems_message()
        assert message is None or message.count(";") <= 6  # short: three problems at most


@pilot_test
async def test_the_problems_are_one_notification_drawn_neutralised(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    path = tmp_path / "tui-preferences.json"
    path.write_text(
        json.dumps(
            {
                "theme": 1,
                "keymap": {"\x1b]52;c;aGk=\x07": "f2", "\u202eapp.help": "f3", "app.help": 7},
                "clipboard_clear_seconds": None,
            }
        ),
        encoding="utf-8",
    )
    app = make_app(preferences_path=path)
    async with app.run_test(size=SIZE):
        (message,) = messages(app)
        assert message.startswith(f"Settings file {path}: theme must be a string; keymap: no")
        assert message.endswith("; and 2 more. The rest of it is used.")
        assert not any(char in message for char in "\x1b\x07\u202e")
        assert app.is_running
