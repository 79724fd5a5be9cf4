"""A dialog's column of text that may not fit: a Tab stop only while it holds more than it shows."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ReadingScroll(VerticalScroll):
    """Scrolls to the control inside that gets the focus, as :class:`FieldScroll` does; while
    it holds more than it shows (a small terminal, a long name or path, many answers) it is
    itself a Tab stop, so the arrow and page keys bring the rest into sight. A column that fits
    adds no stop that would do nothing.

    A dialog that uses it gives it a look for ``:focus`` (say, its border's colour)."""

    def allow_focus(self) -> bool:
        return self.allow_vertical_scroll
