"""Copying text to the user's clipboard without ever drawing on the terminal.

pyperclip knows which clipboard a system has (``determine_clipboard``), but its copy functions
run xclip and the like with their stderr on our terminal, the very screen the app draws on, and
ignore their exit status, so a failed copy looks like a success. So for the command-line tools
we run the tool pyperclip picked ourselves: text on stdin, stdout and stderr to /dev/null, a
timeout, and the exit status checked. When there is no clipboard of the user's own (no display,
an SSH session, no tool, a tool that fails), :class:`ClipboardUnavailable` says why and the app
falls back to the terminal's clipboard (OSC 52).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from typing import Protocol


TOOL_TIMEOUT_SECONDS = 5

# pyperclip's copy function -> the command that does the same with the text on its stdin.
_COMMANDS: dict[str, tuple[str, ...]] = {
    "copy_xclip": ("xclip", "-selection", "clipboard"),
    "copy_xsel": ("xsel", "--clipboard", "--input"),
    "copy_wl": ("wl-copy",),
    "copy_osx_pbcopy": ("pbcopy",),
    "copy_wsl": ("clip.exe",),
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
