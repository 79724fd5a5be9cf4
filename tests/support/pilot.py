"""Helpers for the app's Pilot tests (fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from ecs_keypair.contract.results import CreatedKeyPair
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from screenshots.scenes import settle

SIZE = (80, 24)
MakeApp = Callable[..., KeyPairApp]
"""The ``make_app`` fixture: the app as ``run()`` builds it, with the test's backend."""
_Dialog = TypeVar("_Dialog", bound=Screen[Any])
WAIT_LIMIT = 60.0  # seconds: a bound on waiting for an answer, never a speed check


def pilot_test(scenario: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot scenario from a plain test function (fixtures pass through)."""

    @functools.wraps(scenario)
    def test(*args: Any, **kwargs: Any) -> None:
        asyncio.run(scenario(*args, **kwargs))

    return test




def drawn(app: App[Any]) -> str:
    """Every character the screen in front sends to the terminal: the text of its rendered
    strips, without the styles (which Textual writes as its own escape sequences)."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for strip in strips for segment in strip)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    await pilot.press(*text)


async def press_and_settle(app: App[Any], pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys``, then let the workers they started finish and the screen catch up."""
    await pilot.press(*keys)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def create(app: App[Any], pilot: Pilot[Any], name: str = "web-1") -> ResultsScreen:
    """Type ``name`` into the form, press Enter, and wait for the results screen."""
    await type_text(pilot, name)
    await press_and_settle(app, pilot, "enter")
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


def made_by_ecs(screen: ResultsScreen) -> CreatedKeyPair:
    """The key pair the results screen shows, as CreateKeyPair made it (the form's default):
    its private key in pem, its record and RequestId, which a key made here has not."""
    assert isinstance(screen.created, CreatedKeyPair), screen.created
    return screen.created


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str = "the screen got there"
) -> None:
    """Let the app run until ``condition`` holds, such as an answer back from a thread (an
    endpoint's); polls between frames, and fails only if it never happens."""
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await pilot.pause(0.02)


async def open_key_pairs(pilot: Pilot[None]) -> None:
    """From the form (region cn-hangzhou), the key shown in its Footer."""
    await pilot.press("ctrl+o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, KeyPairsScreen)


async def open_row_dialog(pilot: Pilot[None], key: str, dialog: type[_Dialog]) -> _Dialog:
    """From the form, the dialog that ``key`` opens on the key pairs screen's first row."""
    await open_key_pairs(pilot)
    await pilot.press(key)
    await settle(pilot)
    opened = pilot.app.screen
    assert isinstance(opened, dialog)
    return opened
