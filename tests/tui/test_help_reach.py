"""The help (F1) at 60x18 and 120x40: every row reached by keyboard alone, nothing running off
to the right, and the list shows when it has the focus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.help import HelpScreen
from textual.pilot import Pilot
from textual.widget import Widget

from screenshots.scenes import play
from tests.support.focus import assert_every_stop_shows_its_focus, look_of, walk
from tests.support.pilot import pilot_test, until

SIZES = [(60, 18), (120, 40)]
OPENERS = {"form": (), "results": (*"web-1", "enter", "settle")}
PAGES_LIMIT = 40  # more pages than any help has: a list that never ends fails


def text_of(widget: Widget) -> str:
    return "\n".join("".join(text for text, _ in line) for line in look_of(widget))


async def scrolled(pilot: Pilot[Any], widget: Widget) -> None:
    await until(pilot, lambda: widget.scroll_y == widget.scroll_target_y, "the scroll")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", list(OPENERS))
@pilot_test
async def test_every_row_of_the_help_is_reached_by_keyboard(
    make_app: Callable[..., KeyPairApp], size: tuple[int, int], screen: str
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await play(pilot, (*OPENERS[screen], "f1"))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = help_screen.query_one("#keys")
        assert help_screen.focused is keys
        assert keys.max_scroll_x == 0, "a row runs off to the right"
        seen = [text_of(keys)]
        for _ in range(PAGES_LIMIT):
            if keys.scroll_y >= keys.max_scroll_y:
                break
            await pilot.press("pagedown")
            await scrolled(pilot, keys)
            seen.append(text_of(keys))
        assert keys.scroll_y == keys.max_scroll_y
        drawn = "\n".join(seen)
        missing = [each.key for each in help_screen.keys if f"  {each.key} " not in drawn]
        assert not missing, f"never drawn: {missing}"
        await pilot.press("home")
        await scrolled(pilot, keys)
        assert keys.scroll_y == 0
        assert_every_stop_shows_its_focus(await walk(pilot))
