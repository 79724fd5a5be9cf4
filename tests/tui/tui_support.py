"""Helpers for the app's Pilot tests (fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.pilot import Pilot

SIZE = (80, 24)


def pilot_test(scenario: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot scenario from a plain test function (fixtures pass through)."""

    @functools.wraps(scenario)
    def test(*args: Any, **kwargs: Any) -> None:
        asyncio.run(scenario(*args, **kwargs))

    return test


class RecordingClipboard:
    """A clipboard that keeps what it was given, and says so under its own name."""

    name = "test clipboard"

    def __init__(self) -> None:
        self.copies: list[str] = []

    def copy(self, text: str) -> str:
        self.copies.append(text)
        return self.name


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    await pilot.press(*text)
