"""Text the app did not write (names, tags, ids, group names, an endpoint's answers, file paths),
as the screens draw it: never a raw control, bidi or invisible character, never read as markup.

The characters and their escapes are the engine's (:mod:`ecs_keypair.contract.text_safety`); this
module
puts them in the shapes Textual draws: a table cell, a picker's option, a text field's value.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text

from ecs_keypair.contract.text_safety import stand_ins, visible


def cell(value: str) -> Text:
    """A table cell: one line, each unsafe character written as its escape (``\\x1b``)."""
    return Text(visible(value), no_wrap=True)


def option(value: str) -> Text:
    """A picker's option (a Select or SelectionList reads a plain string as markup)."""
    return Text(visible(value))


class StandIns(Highlighter):
    """Draws a text field's value with each unsafe character replaced by one visible character
    (``␛``, ``␡``, ``�``): the field's cursor and selection count characters, so an escape of
    several would put them in the wrong place. The value itself is left as it is."""

    def highlight(self, text: Text) -> None:
        shown = stand_ins(text.plain)
        if shown != text.plain:
            text.plain = shown


STAND_INS = StandIns()
"""The highlighter of every text field that may hold outside text (pass ``highlighter=``)."""
