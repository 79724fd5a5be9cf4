"""The app's remembered region: written whole and 0600 through the shared file writer."""

from __future__ import annotations

import stat
from pathlib import Path

from app.tui.preferences import Preferences


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
