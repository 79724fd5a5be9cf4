"""A text field that runs its check as its value changes, so the verdict is painted with the key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecs_keypair.tui.outside_text import STAND_INS
from ecs_keypair.tui.textual_compat import QuietInput


class CheckedInput(QuietInput):
    """An ``Input`` that calls ``check(value)`` in the same step as the change.

    A handler of the bubbled ``Input.Changed`` runs only after the message has travelled up to
    the screen, and the field is often repainted with the new character first: the verdict under
    it then lands a frame late. Checking here puts both in one frame.

    Its value may be outside text (a stored tag, a paste): drawn with :data:`STAND_INS`.
    """

    def __init__(self, check: Callable[[str], object], **kwargs: Any) -> None:
        # the check is the validation: Textual's own (on every change) would restyle the field
        # twice a keystroke with its -valid / -invalid classes, and undo the check's -invalid
        super().__init__(validate_on=(), highlighter=STAND_INS, **kwargs)
        self._check = check

    def watch_value(self, value: str) -> None:
        self._check(value)
