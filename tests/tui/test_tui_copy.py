"""c, f and p on the results: the system clipboard when there is one, else OSC 52, said honestly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyperclip
import pytest
from ecs_keypair.tui import PREFERENCES_FILE
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.clipboard import SystemClipboard
from ecs_keypair.tui.screens.results import ResultsScreen
from textual.pilot import Pilot

from screenshots.scenes import RecordingClipboard
from tests.conftest import require_tool
from tests.support.pilot import SIZE, create, made_by_ecs, pilot_test, press_and_settle, until

COPIED: dict[str, Callable[[ResultsScreen], str]] = {
    "c": lambda screen: made_by_ecs(screen).private_key_pem,
    "f": lambda screen: made_by_ecs(screen).record.fingerprint,
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
        note = ""
        if key == "c":  # a clipboard that cannot be read back: the key cannot be cleared
            note = "; it cannot be read back from there, so it will not be cleared"
        assert messages(app) == [
            f"Copied the {what} to the system clipboard (test clipboard){note}."
        ]
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
    cleared = "It will not be cleared: that clipboard cannot be read back."
    assert (cleared in message) is (key == "c")
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


# -- the private key does not stay on the clipboard --


class ReadableClipboard:
    """A clipboard that can be read back, as xclip's can: what it holds is ``held``."""

    name = "readable test clipboard"

    def __init__(self) -> None:
        self.held = ""
        self.copies: list[str] = []

    def copy(self, text: str) -> str:
        self.held = text
        self.copies.append(text)
        return self.name

    def can_read(self, name: str) -> bool:
        return name == self.name

    def read(self, name: str) -> bytes:
        return self.held.encode("utf-8")


async def time_is_up(app: KeyPairApp, pilot: Pilot[None]) -> None:
    """Wait until the clearing's timer has fired and its look at the clipboard is done."""
    await until(pilot, lambda: not app.clipboard_guard.pending, "the time was up")
    await app.workers.wait_for_complete()


def clear_after(home: Path, seconds: float) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / PREFERENCES_FILE).write_text(json.dumps({"clipboard_clear_seconds": seconds}))


def app_clearing_after(
    make_app: Callable[..., KeyPairApp], home: Path, seconds: float
) -> tuple[KeyPairApp, ReadableClipboard]:
    """The app over a clipboard that can be read back, set to clear a copied key after
    ``seconds``."""
    clear_after(home, seconds)
    readable = ReadableClipboard()
    return make_app(clipboard=readable), readable


@pilot_test
async def test_the_private_key_is_cleared_from_the_clipboard_after_the_time_set(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    app, readable = app_clearing_after(make_app, home, 0.3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        assert readable.held == screen.private_key_text
        assert messages(app) == [
            (
                "Copied the private key to the system clipboard (readable test clipboard); the "
                "clipboard will be cleared in 0.3 s."
            )
        ]
        await until(pilot, lambda: readable.held == "", "the clipboard was cleared")
        await until(pilot, lambda: len(messages(app)) == 2, "the clearing was said")
        assert messages(app)[1] == "Cleared the private key from the clipboard."
        assert screen.key_is_safe  # copied: leaving does not ask


@pilot_test
async def test_what_the_user_copied_since_is_never_cleared(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    app, readable = app_clearing_after(make_app, home, 0.3)
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        readable.copy("the user's own text")  # copied elsewhere meanwhile
        await time_is_up(app, pilot)
        assert readable.held == "the user's own text"
        assert "" not in readable.copies
        assert len(messages(app)) == 1


@pilot_test
async def test_copying_the_fingerprint_after_the_key_leaves_the_fingerprint(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    app, readable = app_clearing_after(make_app, home, 0.3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await press_and_settle(app, pilot, "c", "f")
        await time_is_up(app, pilot)
        assert readable.held == screen.fingerprint


@pilot_test
async def test_quitting_before_the_time_clears_the_key_still_on_the_clipboard(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    readable = ReadableClipboard()  # the default: 45 s, far longer than this test
    app = make_app(clipboard=readable)
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        assert readable.held != ""
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "ctrl+q quit")
    assert readable.held == ""
    assert readable.copies[-1] == ""


@pilot_test
async def test_quitting_leaves_what_the_user_copied_since(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    readable = ReadableClipboard()
    app = make_app(clipboard=readable)
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        readable.copy("the user's own text")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "ctrl+q quit")
    assert readable.held == "the user's own text"


@pilot_test
async def test_zero_seconds_never_clears(make_app: Callable[..., KeyPairApp], home: Path) -> None:
    app, readable = app_clearing_after(make_app, home, 0)
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        assert messages(app) == [
            "Copied the private key to the system clipboard (readable test clipboard)."
        ]
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "ctrl+q quit")
    assert readable.held != ""
