"""Who gets Enter: a screen binds Enter with priority to its main action (create, save, import),
so that Enter in a text field runs it; a focused control that acts on Enter itself keeps it."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Button, Checkbox, Select

USES_ENTER = (Button, Checkbox, Select)
"""Enter presses a button, ticks a checkbox, opens a select and picks in its open list (the
list is inside the select). A region picker is not here: space picks there, and Enter runs the
screen's action."""


def enter_is_the_controls(focused: Widget | None) -> bool:
    """Whether the focused widget, or the control it is part of, acts on Enter itself."""
    return focused is not None and any(
        isinstance(node, USES_ENTER) for node in focused.ancestors_with_self
    )
