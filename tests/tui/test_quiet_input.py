"""QuietInput (app/ecs_keypair/tui/textual_compat.py): typing repaints the field, and lays out
nothing, while the field still scrolls to keep the cursor in view, as Textual's Input does."""

from __future__ import annotations

from ecs_keypair.tui.textual_compat import QuietInput
from textual.widgets import Input

from tests.support.layouts import layouts_while_typing
from tests.support.pilot import pilot_test

LONGER_THAN_THE_FIELD = "a-key-pair-name-longer-than-the-field"


@pilot_test
async def test_typing_lays_out_nothing_and_the_field_follows_the_cursor() -> None:
    layouts, scrolled = await layouts_while_typing(QuietInput(), LONGER_THAN_THE_FIELD)
    _, textual_scrolled = await layouts_while_typing(Input(), LONGER_THAN_THE_FIELD)
    assert layouts == 0
    assert scrolled == textual_scrolled > 0
