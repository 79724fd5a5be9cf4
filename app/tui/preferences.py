"""What the app remembers between runs (the region last used, the theme), in a small owner-only
file.

A preference is not data: a file that is missing, unreadable or not ours is treated as "nothing
remembered" (and replaced at the next save), unlike the store, whose files are never reset.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.engine.file_writes import replace_whole


class Preferences:
    """The remembered region and theme; kept in memory only when no path is given (tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._values: dict[str, str] = self._load()

    def _load(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            values = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(values, dict):
            return {}
        return {key: value for key, value in values.items() if isinstance(value, str)}

    @property
    def region_id(self) -> str | None:
        return self._values.get("region_id")

    @property
    def theme(self) -> str | None:
        return self._values.get("theme")

    def remember_region(self, region_id: str) -> None:
        """Remember the region; raises OSError when the file cannot be written."""
        self._remember("region_id", region_id)

    def remember_theme(self, theme: str) -> None:
        """Remember the theme; raises OSError when the file cannot be written."""
        self._remember("theme", theme)

    def _remember(self, name: str, value: str) -> None:
        if self._values.get(name) == value:
            return
        self._values[name] = value
        if self.path is not None:
            _write_atomically(self.path, json.dumps(self._values, indent=2) + "\n")


def _write_atomically(path: Path, text: str) -> None:
    """A new 0600 file beside the old one, fsynced, then renamed over it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    replace_whole(path, text.encode("utf-8"))
