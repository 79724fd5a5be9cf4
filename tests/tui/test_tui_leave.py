"""The private key is shown once: leaving the results before keeping it asks first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.clipboard import SystemClipboard
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from textual.widgets import Input

from tests.support.pilot import SIZE, create, pilot_test


@pytest.mark.parametrize("key", ["escape", "n"])
@pilot_test
async def test_leaving_an_unkept_key_asks_and_stay_keeps_the_screen(
    make_app: Callable[..., KeyPairApp], key: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await pilot.press(key)
        assert isinstance(app.screen, ConfirmDialog)
        assert "neither copied nor saved" in app.screen.question
        await pilot.press("n")  # stay
        assert app.screen is screen
        await pilot.press(key)
        await pilot.press("y")  # leave after all
        await pilot.pause()
        assert app.screen is app.form
        expected = "" if key == "n" else "web-1"
        assert app.form.query_one("#name", Input).value == expected


@pilot_test
async def test_after_copying_the_key_leaving_asks_nothing(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await pilot.press("f")  # the fingerprint is not the key: still unkept
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.form


@pilot_test
async def test_a_key_sent_only_by_osc_52_still_asks(
    make_app: Callable[..., KeyPairApp], no_display: None
) -> None:
    app = make_app(clipboard=SystemClipboard())
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "only sent to the terminal's clipboard (OSC 52)" in app.screen.question


@pilot_test
async def test_quitting_with_an_unkept_key_asks_first(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.title_text == "Quit without the private key?"
        await pilot.press("n")
        assert app.screen is screen
        assert app.is_running
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running
