"""The app's settings file: what it remembers between runs (the region, the theme) and what the
user may set by editing it (a keymap, how long the private key stays on the clipboard).

A small owner-only JSON object::

    {"theme": "textual-light", "region_id": "cn-beijing",
     "keymap": {"app.help": "f2"}, "clipboard_clear_seconds": 45}

The file is the user's to edit, so it is read as hostile input: at most :data:`MAX_FILE_BYTES`,
a regular file only, never waited on (a FIFO); a value of the wrong type, a binding id the app
does not have or keys Textual cannot read are left out and named in :attr:`Preferences.problems`
(the app shows them once), never raised. Keys the app does not write are kept as they are when
it rewrites the file; a file that could not be read as a JSON object is never rewritten (the
user's text stays for them to mend), and what is remembered meanwhile lasts until the app quits.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ecs_keypair.keys.file_reads import NotASmallFile, read_small_file
from ecs_keypair.keys.file_writes import replace_whole
from ecs_keypair.tui.keymap import read_keymap

MAX_FILE_BYTES = 64 * 1024
DEFAULT_CLIPBOARD_CLEAR_SECONDS = 45
MAX_CLIPBOARD_CLEAR_SECONDS = 24 * 60 * 60
MAX_PROBLEMS_SHOWN = 3


class Preferences:
    """The settings in the file at ``path``; kept in memory only when no path is given (tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.problems: list[str] = []
        """What in the file was left out, and why: one short phrase each."""
        self._writable = True
        self._document: dict[str, Any] = self._load()
        self.keymap: dict[str, str] = {}
        """Binding id -> keys, every entry checked (:func:`ecs_keypair.tui.keymap.read_keymap`)."""
        self.clipboard_clear_seconds: float = DEFAULT_CLIPBOARD_CLEAR_SECONDS
        """Seconds after which a private key copied to the system clipboard is cleared; 0:
        never."""
        self._read_settings()

    def _load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            data = read_small_file(self.path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return {}
        except NotASmallFile as exc:
            return self._unusable(exc.reason)
        except OSError as exc:
            return self._unusable(f"cannot be read ({exc.strerror or exc})")
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return self._unusable(f"is not JSON ({_short(exc)})")
        if not isinstance(document, dict):
            return self._unusable("is not a JSON object")
        return document

    def _unusable(self, problem: str) -> dict[str, Any]:
        """The whole file is ignored and left as it is: nothing will be written over it."""
        self._writable = False
        self.problems.append(f"the file {problem}; it is left as it is and not rewritten")
        return {}

    def _read_settings(self) -> None:
        for name in ("region_id", "theme"):
            if name in self._document and not isinstance(self._document[name], str):
                self.problems.append(f"{name} must be a string")
        if "keymap" in self._document:
            self.keymap, problems = read_keymap(self._document["keymap"])
            self.problems.extend(problems)
        if "clipboard_clear_seconds" in self._document:
            seconds = self._document["clipboard_clear_seconds"]
            if _seconds_ok(seconds):
                self.clipboard_clear_seconds = seconds
            else:
                self.problems.append(
                    "clipboard_clear_seconds must be a number of seconds from 0 (never) to "
                    f"{MAX_CLIPBOARD_CLEAR_SECONDS}"
                )

    def problems_message(self) -> str | None:
        """One short notification naming what in the file was left out, if anything was."""
        if not self.problems:
            return None
        shown = "; ".join(self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown += f"; and {more} more"
        return f"Settings file {self.path}: {shown}. The rest of it is used."

    @property
    def region_id(self) -> str | None:
        return self._string("region_id")

    @property
    def theme(self) -> str | None:
        return self._string("theme")

    def _string(self, name: str) -> str | None:
        value = self._document.get(name)
        return value if isinstance(value, str) else None

    def remember_region(self, region_id: str) -> None:
        """Remember the region; raises OSError when the file cannot be written."""
        self._remember("region_id", region_id)

    def remember_theme(self, theme: str) -> None:
        """Remember the theme; raises OSError when the file cannot be written."""
        self._remember("theme", theme)

    def _remember(self, name: str, value: str) -> None:
        if self._document.get(name) == value:
            return
        self._document[name] = value
        if self.path is not None and self._writable:
            _write_atomically(self.path, json.dumps(self._document, indent=2) + "\n")


def _seconds_ok(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and 0 <= value <= MAX_CLIPBOARD_CLEAR_SECONDS


def _short(exc: Exception, limit: int = 80) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "…"


def _write_atomically(path: Path, text: str) -> None:
    """A new 0600 file beside the old one, fsynced, then renamed over it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    replace_whole(path, text.encode("utf-8"))
