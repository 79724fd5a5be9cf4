"""A scrolling column of fields that is not itself a Tab stop."""

from __future__ import annotations

from textual.containers import VerticalScroll


class FieldScroll(VerticalScroll, can_focus=False):
    """The fields inside take the focus and are scrolled into view as they get it, so the
    column needs no focus of its own: as a Tab stop it would show nothing focused."""
