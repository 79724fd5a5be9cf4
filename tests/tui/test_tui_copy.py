"""c, f and p on the results: the system clipboard when there is one, else OSC 52, said honestly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyperclip
import pytest

from app.tui.app import KeyPairApp
from app.tui.clipboard import SystemClipboard
from app.tui.screens.results import ResultsScreen
from tests.conftest import require_tool
from screenshots.scenes import RecordingClipboard
from tests.support.pilot import SIZE, create, pilot_test, press_and_settle


COPIED: dict[str, Callable[[ResultsScreen], str]] = {
    "c": lambda screen: screen.created.private_key_pem,
    "f": lambda screen: screen.created.record.fingerprint,
    "p": lambda screen: screen.created.public_key.line,
}
"""What each copy key copies."""


def messages(app: KeyPairApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def copy_through_the_terminal(app: KeyPairApp, key: str) -> tuple[ResultsScreen, str]:
    """Create web-1 and press ``key``: the text went out as OSC 52 and the app runs on; the
    results screen and the one notification, which says why."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await press_and_settle(app, pilot, key)
        assert app.clipboard == COPIED[key](screen)
        (message,) = messages(app)
        assert app.is_running
    return screen, message


def free_display() -> str:
    """A display number no X server listens on."""
    number = 90
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    return f":{number}"


@pytest.mark.parametrize(
    ("key", "what"), [("c", "private key"), ("f", "fingerprint"), ("p", "public key line")]
)
@pilot_test
async def test_each_copy_key_uses_the_system_clipboard(
    make_app: Callable[..., KeyPairApp], clipboard: RecordingClipboard, key: str, what: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await press_and_settle(app, pilot, key)
        assert clipboard.copies == [COPIED[key](screen)]
        assert messages(app) == [f"Copied the {what} to the system clipboard (test clipboard)."]
        assert app.clipboard == ""  # nothing went out as OSC 52
        assert screen.key_is_safe is (key == "c")


@pytest.mark.parametrize("key", ["c", "f", "p"])
@pilot_test
async def test_without_a_display_each_copy_key_falls_back_to_osc_52(
    make_app: Callable[..., KeyPairApp], no_display: None, key: str
) -> None:
    screen, message = await copy_through_the_terminal(make_app(clipboard=SystemClipboard()), key)
    assert (
        "to the terminal's clipboard (OSC 52): this works only if your terminal allows it"
        in message
    )
    assert "there is no display" in message
    assert screen.kept == ("sent" if key == "c" else None)
    assert not screen.key_is_safe  # unconfirmed: leaving still asks


@pilot_test
async def test_in_an_ssh_session_the_remote_machines_clipboard_is_not_used(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")
    monkeypatch.setenv("DISPLAY", ":0")  # the remote machine's own screen, not the user's
    _, message = await copy_through_the_terminal(make_app(clipboard=SystemClipboard()), "c")
    assert "this is an SSH session" in message


@pilot_test
async def test_a_clipboard_tool_that_fails_falls_back_and_writes_nothing_to_the_terminal(
    make_app: Callable[..., KeyPairApp],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    require_tool("xclip")
    for name in ("WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    display = free_display()
    monkeypatch.setenv("DISPLAY", display)  # xclip is there, the X server is not
    _, message = await copy_through_the_terminal(make_app(clipboard=SystemClipboard()), "c")
    assert "No system clipboard: xclip failed (exit status 1" in message
    captured = capfd.readouterr()
    assert "display" not in captured.err.lower()  # xclip's "Can't open display" never got out
    assert captured.err == ""


@pilot_test
async def test_a_display_without_a_clipboard_tool_falls_back(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", free_display())
    # What pyperclip answers on a machine with neither xclip, xsel nor wl-clipboard.
    monkeypatch.setattr(pyperclip, "determine_clipboard", pyperclip.init_no_clipboard)
    _, message = await copy_through_the_terminal(make_app(clipboard=SystemClipboard()), "p")
    assert "no clipboard tool was found (xclip, xsel or wl-clipboard)" in message


class BrokenClipboard:
    def copy(self, text: str) -> str:
        raise RuntimeError("the clipboard daemon crashed")


@pilot_test
async def test_a_clipboard_that_breaks_does_not_crash_the_app(
    make_app: Callable[..., KeyPairApp],
) -> None:
    _, message = await copy_through_the_terminal(make_app(clipboard=BrokenClipboard()), "c")
    assert "the clipboard failed (RuntimeError: the clipboard daemon crashed)" in message
