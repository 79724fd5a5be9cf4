"""The app's remembered region and theme: written whole and 0600 through the shared file writer."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from app.tui.app import KeyPairApp
from app.tui.preferences import Preferences
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
