"""A terminal made smaller leaves the focused control in sight: the save dialog's fields and the
private key on the results (KeysInOrderApp, "Focus out of sight after a resize")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input

from tests.support.focus import describe, in_sight
from tests.support.pilot import create, pilot_test, press_and_settle, until

FIELDS = ["path", "key-format", "passphrase", "passphrase-again", "save", "cancel"]


@pytest.mark.parametrize("field", FIELDS)
@pilot_test
async def test_the_focused_field_of_the_save_dialog_stays_in_sight(
    make_app: Callable[..., KeyPairApp], field: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "s")
        dialog = app.screen
        assert isinstance(dialog, SaveKeyDialog)
        dialog.query_one(f"#{field}").focus()
        await pilot.pause()
        focused = dialog.focused
        assert focused is not None and in_sight(focused)
        await pilot.resize_terminal(60, 18)
        await until(pilot, lambda: dialog.size == (60, 18), "the dialog at 60x18")
        await pilot.pause()
        assert in_sight(focused), f"{describe(focused)} out of sight at 60x18"


@pilot_test
async def test_the_private_key_stays_in_sight(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await create(app, pilot)
        key = screen.query_one("#private-key")
        assert screen.focused is key
        await pilot.resize_terminal(60, 18)
        await until(pilot, lambda: screen.size == (60, 18), "the results at 60x18")
        await pilot.pause()
        assert in_sight(key)


class ManyFields(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for number in range(10):
                yield Input(id=f"field-{number}")


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="KeysInOrderApp: focus in sight")
@pilot_test
async def test_canary_plain_textual_keeps_the_focused_field_in_sight_after_a_resize() -> None:
    app = ManyFields()
    async with app.run_test(size=(80, 40)) as pilot:
        field = app.query_one("#field-9", Input)
        field.focus()
        await pilot.pause()
        assert in_sight(field)
        await pilot.resize_terminal(60, 18)
        await until(pilot, lambda: app.screen.size == (60, 18), "the screen at 60x18")
        await pilot.pause()
        assert in_sight(field)
