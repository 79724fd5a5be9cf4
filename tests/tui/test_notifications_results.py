"""Messages on the results screen never hide the private key, the only time it is shown: at
60x18 the toast is one line at the top, the line above the key says it in full, and a dialog
that shows its own error is not echoed by a toast."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.clipboard import ClipboardUnavailable
from ecs_keypair.tui.screens.results import NOTICE
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.app import App
from textual.widgets import Input, Static, TextArea
from textual.widgets._toast import Toast

from tests.support.focus import in_sight, look_of
from tests.support.pilot import create, pilot_test, press_and_settle, until

SMALL = (60, 18)
NO_CLIPBOARD = "no clipboard tool was found (xclip, xsel or wl-clipboard) and there is no display"


class NoClipboard:
    def copy(self, text: str) -> str:
        raise ClipboardUnavailable(NO_CLIPBOARD)


def text_of(widget: TextArea) -> str:
    """What the screen draws where ``widget`` is, toasts included."""
    return "".join(text for line in look_of(widget) for text, _ in line)


@pytest.mark.parametrize("key", ["c", "a"], ids=["copied through OSC 52", "no ssh-agent"])
@pilot_test
async def test_a_long_message_leaves_the_private_key_in_sight(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    app = make_app(clipboard=NoClipboard())
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await create(app, pilot)
        private_key = screen.query_one("#private-key", TextArea)
        first_line = private_key.document.get_line(0)
        assert first_line in text_of(private_key)
        await press_and_settle(app, pilot, key)
        await until(pilot, lambda: bool(screen.query(Toast)), "the toast")
        await pilot.pause()
        (notification,) = app._notifications
        (toast,) = screen.query(Toast)
        assert in_sight(private_key)
        assert first_line in text_of(private_key)
        assert not toast.region.overlaps(private_key.region)
        assert toast.region.height == 1
        notice = screen.query_one("#key-notice", Static)
        assert str(notice.render()) == f"{notification.message} {NOTICE}"
        assert in_sight(notice)


@pilot_test
async def test_a_failed_save_is_said_by_the_dialog_alone(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    plain_file = tmp_path / "notes.txt"
    plain_file.write_text("not a folder\n")
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await create(app, pilot)
        await pilot.press("s")
        app.screen.query_one("#path", Input).value = str(plain_file / "key.pem")
        await press_and_settle(app, pilot, "enter")
        assert isinstance(app.screen, SaveKeyDialog)
        problem = app.screen.query_one("#save-problem", Verdict)
        assert problem.state == "problem" and "it is not a folder" in problem.text
        assert list(app._notifications) == []


@pilot_test
async def test_a_dialog_over_the_results_is_not_covered_by_their_toast(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app(clipboard=NoClipboard())
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        await until(pilot, lambda: bool(screen.query(Toast)), "the toast")
        await press_and_settle(app, pilot, "s")
        assert isinstance(app.screen, SaveKeyDialog)
        await pilot.pause()
        assert not app.screen.query(Toast)
        assert NO_CLIPBOARD in str(screen.query_one("#key-notice", Static).render())


@pilot_test
async def test_one_message_after_another_stays_in_the_same_place(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app(clipboard=NoClipboard())
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await create(app, pilot)
        private_key = screen.query_one("#private-key", TextArea)
        rows = []
        for key in "cfpcfp":
            await press_and_settle(app, pilot, key)
            await until(pilot, lambda: len(screen.query(Toast)) == 1, "one toast")
            await pilot.pause()
            (toast,) = screen.query(Toast)
            assert not toast.region.overlaps(private_key.region)
            rows.append(toast.region.y)
        assert len(set(rows)) == 1, rows


class Notifying(App[None]):
    """Toasts from the top down, as on the results screen."""

    CSS = "ToastRack { dock: top; align: right top; }"


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="textual_compat.clear_notifications")
@pilot_test
async def test_canary_a_toast_after_a_clear_is_where_the_first_was() -> None:
    app = Notifying()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        app.notify("first")
        await until(pilot, lambda: bool(app.screen.query(Toast)), "the first toast")
        await pilot.pause()
        first = app.screen.query_one(Toast).region.y
        app.clear_notifications()
        app.notify("second")
        await until(pilot, lambda: len(app.screen.query(Toast)) == 1, "the second toast alone")
        await pilot.pause()
        assert app.screen.query_one(Toast).region.y == first
