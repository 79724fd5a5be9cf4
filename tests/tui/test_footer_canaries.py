"""Canaries for the Footer workarounds in app/ecs_keypair/tui/textual_compat.py ("Keys that fit")
and styles/app.tcss (the palette key flush right): plain Textual's Footer, expected to draw what a
user needs. Each is ``xfail(strict=True)``: the day an upgrade gets it right the test passes,
the suite fails, and the workaround can go."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from tests.support.footer import drawn_labels, footer_line
from tests.support.pilot import pilot_test

KEYS: list[BindingType] = [
    Binding(key, f"bell_{key}", f"Key {key}")
    for key in "abcdefghijkl"
]


class FooterOnly(App[None]):
    BINDINGS = KEYS

    def __init__(self, compact: bool) -> None:
        super().__init__()
        self.compact = compact

    def compose(self) -> ComposeResult:
        yield Footer(compact=self.compact)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="FittingFooter: keys that fit")
@pilot_test
async def test_a_narrow_footer_draws_only_whole_keys() -> None:
    app = FooterOnly(compact=False)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        drawn_labels(app)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="app.tcss: the palette key flush")
@pilot_test
async def test_a_compact_footer_ends_with_the_palette_key() -> None:
    app = FooterOnly(compact=True)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer_line(app).endswith("^p palette")
