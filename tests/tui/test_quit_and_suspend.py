"""ctrl+q quits from every screen and says so in the Footer; ctrl+z suspends the app as a shell's
job (SIGTSTP), and it comes back on SIGCONT."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.help import HelpScreen
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from textual.widgets._footer import FooterKey

from tests.support.pilot import (
    SIZE,
    create,
    open_key_pairs,
    pilot_test,
    press_and_settle,
    until,
)
from tests.support.terminal import DEADLINE, ENTER_ALTERNATE_SCREEN, program_on_terminal

CTRL_Z = b"\x1a"
CTRL_Q = b"\x11"


def footer_keys(app: KeyPairApp) -> dict[str, str]:
    return {key.key: key.description for key in app.screen.query(FooterKey)}


@pilot_test
async def test_ctrl_q_quit_is_in_the_footer_of_every_screen(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert footer_keys(app)["ctrl+q"] == "Quit"  # the form
        await create(app, pilot)
        assert footer_keys(app)["ctrl+q"] == "Quit"  # the results
        await press_and_settle(app, pilot, "k")
        assert isinstance(app.screen, KeyPairsScreen)
        assert footer_keys(app)["ctrl+q"] == "Quit"  # the key pairs


@pilot_test
async def test_ctrl_z_asks_textual_to_suspend_the_process_wherever_the_focus_is(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headless, Textual's driver cannot suspend (it would be a no-op): what is checked is
    that ctrl+z reaches the action, from a text field and from a dialog too."""
    app = make_app()
    asked: list[str] = []
    monkeypatch.setattr(
        app, "action_suspend_process", lambda: asked.append(type(app.screen).__name__)
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "ctrl+z")  # the name field has the focus
        await until(pilot, lambda: len(asked) == 1, "ctrl+z on the form")
        assert app.form.name_input.value == "w"
        await pilot.press("backspace")
        await create(app, pilot)
        await press_and_settle(app, pilot, "s")
        assert isinstance(app.screen, SaveKeyDialog)
        await pilot.press("ctrl+z")
        await until(pilot, lambda: len(asked) == 2, "ctrl+z in the save dialog")
    assert asked == ["CreateKeyPairScreen", "SaveKeyDialog"]


@pilot_test
async def test_help_lists_ctrl_z_and_ctrl_q(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "f1 opened help")
        assert isinstance(app.screen, HelpScreen)
        listed = {each.does: each.key for each in app.screen.keys}
        assert listed["Suspend"] == "^z" and listed["Quit"] == "^q"


def process_state(pid: int) -> str:
    """The state letter of /proc/PID/stat: T when stopped."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0]


def test_ctrl_z_stops_the_real_app_and_sigcont_brings_it_back(home: Path) -> None:
    with program_on_terminal() as terminal:
        terminal.wait_for(ENTER_ALTERNATE_SCREEN, "the app")
        terminal.wait_for(b"KeyPairName", "the form")
        terminal.press(CTRL_Z)
        deadline = time.monotonic() + DEADLINE
        while process_state(terminal.process.pid) != "T":
            assert time.monotonic() < deadline, "ctrl+z did not stop the app"
            terminal.read(0.05)
        terminal.read(0.2)  # what it wrote before it stopped
        assert b"\x1b[?1049l" in terminal.written  # it gave the terminal back first
        terminal.process.send_signal(signal.SIGCONT)
        start = len(terminal.written)
        deadline = time.monotonic() + DEADLINE
        while ENTER_ALTERNATE_SCREEN not in terminal.written[start:]:
            assert time.monotonic() < deadline, "the app did not take the terminal back"
            assert terminal.read(0.2), "the app ended instead of coming back"
        assert process_state(terminal.process.pid) != "T"
        terminal.wait_for(b"KeyPairName", "the form again")
        terminal.press(CTRL_Q)
        assert terminal.finish() == 0
