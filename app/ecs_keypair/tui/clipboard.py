"""Copying text to the user's clipboard without ever drawing on the terminal.

pyperclip knows which clipboard a system has (``determine_clipboard``), but its copy functions
run xclip and the like with their stderr on our terminal, the very screen the app draws on, and
ignore their exit status, so a failed copy looks like a success. So for the command-line tools
we run the tool pyperclip picked ourselves: text on stdin, stdout and stderr to /dev/null, a
timeout, and the exit status checked. When there is no clipboard of the user's own (no display,
an SSH session, no tool, a tool that fails), :class:`ClipboardUnavailable` says why and the app
falls back to the terminal's clipboard (OSC 52).

The private key is cleared from the clipboard after a while
(:mod:`ecs_keypair.tui.clipboard_guard`),
and only if the clipboard still holds it: so a clipboard is read back first
(:meth:`SystemClipboard.read`), through the tool that wrote it, and compared by a hash
(:func:`digest_of`). OSC 52 cannot be read back, so what went that way is never cleared.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from collections.abc import Collection, Mapping
from typing import Protocol, runtime_checkable

TOOL_TIMEOUT_SECONDS = 5
MAX_READ_BYTES = 1024 * 1024
"""What is read back of the clipboard at most: far more than any private key; a clipboard that
holds more does not hold the key."""

# pyperclip's copy function -> the command that does the same with the text on its stdin.
_COMMANDS: dict[str, tuple[str, ...]] = {
    "copy_xclip": ("xclip", "-selection", "clipboard"),
    "copy_xsel": ("xsel", "--clipboard", "--input"),
    "copy_wl": ("wl-copy",),
    "copy_osx_pbcopy": ("pbcopy",),
    "copy_wsl": ("clip.exe",),
}
# The tool that copied (as copy() names it) -> the command that prints what the clipboard holds.
# clip.exe (WSL) has none: PowerShell's Get-Clipboard changes the line endings.
_READ_COMMANDS: dict[str, tuple[str, ...]] = {
    "xclip": ("xclip", "-selection", "clipboard", "-o"),
    "xsel": ("xsel", "--clipboard", "--output"),
    "wl-copy": ("wl-paste", "--no-newline"),
    "pbcopy": ("pbpaste",),
}
# pyperclip's copy functions that talk to the system in-process (no child writes to our terminal).
_IN_PROCESS: dict[str, str] = {
    "copy_osx_pyobjc": "macOS pasteboard",
    "copy_windows": "Windows clipboard",
    "copy_qt": "Qt clipboard",
}


class ClipboardUnavailable(Exception):
    """There is no system clipboard of the user's to copy to; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Clipboard(Protocol):
    """Where copied text goes. The app is given one, so tests can swap it."""

    def copy(self, text: str) -> str:
        """Copy ``text``; return the name of the clipboard used, or raise ClipboardUnavailable."""
        ...


@runtime_checkable
class ReadableClipboard(Clipboard, Protocol):
    """A clipboard that can also say what it holds: what was copied to it can be cleared."""

    def can_read(self, name: str) -> bool:
        """Whether the clipboard ``copy`` named ``name`` can be read back."""
        ...

    def read(self, name: str) -> bytes:
        """What the clipboard ``name`` holds now (at most :data:`MAX_READ_BYTES` and one more);
        raise ClipboardUnavailable when it cannot be read."""
        ...


def digest_of(text: str | bytes) -> bytes:
    """What is kept of a copied secret to know it again: its SHA-256."""
    import hashlib  # at the first copy, not before the app's first frame

    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).digest()


def clear_if_holding(clipboard: ReadableClipboard, name: str, digests: Collection[bytes]) -> bool:
    """Empty the clipboard ``name`` if it still holds the text of one of ``digests``; whether
    it did. Something copied since is left alone. Slow (a tool, a display): call it off the
    event loop. Raises ClipboardUnavailable when the clipboard cannot be read or written."""
    import hmac

    held = digest_of(clipboard.read(name))
    if not any(hmac.compare_digest(held, digest) for digest in digests):
        return False
    clipboard.copy("")
    return True


def _ssh_session(environ: Mapping[str, str]) -> bool:
    return any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def _forwarded_display(environ: Mapping[str, str]) -> bool:
    """``localhost:10.0`` (ssh -X) names the user's own screen; ``:0`` the remote machine's."""
    host = environ.get("DISPLAY", "").partition(":")[0]
    return host not in ("", "unix")


class SystemClipboard:
    """The system clipboard as pyperclip finds it, used without letting a tool touch the screen."""

    def copy(self, text: str) -> str:
        environ = os.environ  # read at each copy, as pyperclip does
        if _ssh_session(environ) and not _forwarded_display(environ):
            raise ClipboardUnavailable(
                "this is an SSH session: the clipboard here is not the one on your screen"
            )
        import pyperclip  # at the first copy, not before the app's first frame

        try:
            copy_function, _paste = pyperclip.determine_clipboard()
        except Exception as exc:  # pyperclip probes modules and tools; any failure means "none"
            raise ClipboardUnavailable(f"no clipboard could be found ({exc})") from None
        name = getattr(copy_function, "__name__", "")
        if name in _COMMANDS:
            return _run_tool(_COMMANDS[name], text)
        if name in _IN_PROCESS:
            try:
                copy_function(text)
            except Exception as exc:  # the platform's API refused; say so instead of crashing
                raise ClipboardUnavailable(f"the {_IN_PROCESS[name]} refused ({exc})") from None
            return _IN_PROCESS[name]
        if not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
            raise ClipboardUnavailable(
                "there is no display (DISPLAY and WAYLAND_DISPLAY are unset)"
            )
        raise ClipboardUnavailable("no clipboard tool was found (xclip, xsel or wl-clipboard)")

    def can_read(self, name: str) -> bool:
        return name in _READ_COMMANDS or name in _IN_PROCESS.values()

    def read(self, name: str) -> bytes:
        if name in _READ_COMMANDS:
            return _read_tool(_READ_COMMANDS[name])
        if name not in _IN_PROCESS.values():
            raise ClipboardUnavailable(f"the {name} clipboard cannot be read back")
        import pyperclip

        try:
            _copy, paste = pyperclip.determine_clipboard()
            return str(paste()).encode("utf-8")
        except Exception as exc:  # noqa: BLE001 - the platform's API refused, as in copy
            raise ClipboardUnavailable(f"the {name} could not be read ({exc})") from None


def _run_tool(command: tuple[str, ...], text: str) -> str:
    """Run a clipboard tool with the text on stdin; its own output never reaches the terminal.

    xclip and wl-copy stay behind in the background to serve the selection: they get a session
    of their own and no pipe of ours, so neither the terminal nor this call waits on them.
    """
    tool = command[0]
    try:
        finished = subprocess.run(
            command,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TOOL_TIMEOUT_SECONDS,
            start_new_session=True,
            check=False,
        )
    except FileNotFoundError:
        raise ClipboardUnavailable(f"{tool} is not installed") from None
    except subprocess.TimeoutExpired:
        raise ClipboardUnavailable(
            f"{tool} did not answer within {TOOL_TIMEOUT_SECONDS} s (is the display reachable?)"
        ) from None
    except OSError as exc:
        raise ClipboardUnavailable(f"{tool} could not be started ({exc.strerror})") from None
    if finished.returncode != 0:
        raise ClipboardUnavailable(
            f"{tool} failed (exit status {finished.returncode}; is the display reachable?)"
        )
    return tool


def _read_tool(command: tuple[str, ...]) -> bytes:
    """What a clipboard tool prints, at most :data:`MAX_READ_BYTES` and one more byte, within
    :data:`TOOL_TIMEOUT_SECONDS`; its stderr never reaches the terminal. A tool that fails has
    nothing to give (xclip, for a clipboard nobody holds): ClipboardUnavailable."""
    tool = command[0]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ClipboardUnavailable(f"{tool} could not be started ({exc.strerror})") from None
    assert child.stdout is not None
    data = b""
    deadline = time.monotonic() + TOOL_TIMEOUT_SECONDS
    with child, selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while len(data) <= MAX_READ_BYTES:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                child.kill()
                raise ClipboardUnavailable(
                    f"{tool} did not answer within {TOOL_TIMEOUT_SECONDS} s"
                )
            chunk = os.read(child.stdout.fileno(), 65536)
            if not chunk:
                break
            data += chunk
        else:
            child.kill()
            return data  # more than any key: what it is does not matter
        try:
            status = child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            raise ClipboardUnavailable(f"{tool} did not end") from None
    if status != 0:
        raise ClipboardUnavailable(f"{tool} could not read the clipboard (exit status {status})")
    return data
