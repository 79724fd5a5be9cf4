"""The private key does not stay on the system clipboard: it is cleared after
``clipboard_clear_seconds`` (a Textual timer), and when the app quits before that, but only if
the clipboard still holds it (something copied since is the user's and is left alone).

Only a hash of each key copied is kept here (:func:`ecs_keypair.tui.clipboard.digest_of`). Reading
and clearing the clipboard run a tool and wait on a display: always in a worker thread.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.timer import Timer

from ecs_keypair.tui.clipboard import (
    Clipboard,
    ClipboardUnavailable,
    ReadableClipboard,
    clear_if_holding,
    digest_of,
)

QUIT_WAIT_SECONDS = 12.0
"""The longest a quit waits for the clipboard to be cleared: a read and a write, each bounded
by the tool's own timeout."""


class ClipboardGuard:
    """Clears the private keys copied through it; one timer per key still on the clipboard."""

    def __init__(self, app: App[Any], clipboard: Clipboard, seconds: float) -> None:
        self.app = app
        self.clipboard = clipboard
        self.seconds = seconds
        self._pending: dict[bytes, tuple[str, Timer]] = {}
        """Hash of a key copied -> the clipboard it went to, and the timer that clears it."""

    def key_copied(self, text: str, name: str) -> str:
        """Note that ``text`` (a private key) was just copied to the clipboard ``name``; what
        the copy's message adds about its clearing."""
        if not self.seconds:
            return ""
        clipboard = self.clipboard
        if not isinstance(clipboard, ReadableClipboard) or not clipboard.can_read(name):
            return "; it cannot be read back from there, so it will not be cleared"
        digest = digest_of(text)
        if digest in self._pending:
            self._pending[digest][1].stop()  # copied again: the time starts again
        timer = self.app.set_timer(self.seconds, partial(self._time_is_up, digest))
        self._pending[digest] = (name, timer)
        return f"; the clipboard will be cleared in {self.seconds:g} s"

    @property
    def pending(self) -> bool:
        """Whether a key copied may still be on the clipboard, waiting to be cleared."""
        return bool(self._pending)

    def _time_is_up(self, digest: bytes) -> None:
        if digest not in self._pending:
            return
        name, _timer = self._pending.pop(digest)
        self.app.run_worker(
            partial(self._clear, name, (digest,)),
            thread=True,
            group="clipboard-clear",
            exit_on_error=False,
        )

    async def clear_before_exit(self) -> None:
        """The app is quitting: clear the clipboard now if it still holds a key copied (at most
        :data:`QUIT_WAIT_SECONDS`)."""
        if not self._pending:
            return
        by_clipboard: dict[str, list[bytes]] = {}
        for digest, (name, timer) in self._pending.items():
            timer.stop()
            by_clipboard.setdefault(name, []).append(digest)
        self._pending.clear()
        for name, digests in by_clipboard.items():
            worker = self.app.run_worker(
                partial(self._clear, name, tuple(digests), quitting=True),
                thread=True,
                group="clipboard-clear",
                exit_on_error=False,
            )
            try:
                await asyncio.wait_for(worker.wait(), QUIT_WAIT_SECONDS)
            except Exception:  # noqa: BLE001 - a clipboard that hangs or fails: quit anyway
                worker.cancel()

    def _clear(self, name: str, digests: tuple[bytes, ...], quitting: bool = False) -> None:
        """In a worker thread: clear the clipboard if it holds one of the keys, and say so."""
        clipboard = self.clipboard
        assert isinstance(clipboard, ReadableClipboard)
        try:
            cleared = clear_if_holding(clipboard, name, digests)
        except ClipboardUnavailable as exc:
            problem = exc.reason
        except Exception as exc:  # noqa: BLE001 - a broken clipboard must not take the app
            problem = f"the clipboard failed ({type(exc).__name__}: {exc})"
        else:
            if cleared and not quitting:
                self.app.call_from_thread(self._say, "Cleared the private key from the clipboard.")
            return
        if not quitting:
            message = f"The private key may still be on the clipboard: {problem}."
            self.app.call_from_thread(self._say, message, "warning")

    def _say(self, message: str, severity: SeverityLevel = "information") -> None:
        self.app.notify(message, severity=severity, markup=False)
