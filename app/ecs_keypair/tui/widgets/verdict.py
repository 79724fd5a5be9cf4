"""The line under a field that says what the API would answer to what was typed."""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.text_safety import visible, visible_lines

State = Literal["hint", "ok", "problem"]


def problem_text(problem: ApiError | str) -> str:
    """One line for a failure: the API error's :attr:`~ApiError.text`, or a plain message (a
    store's), neutralised."""
    return visible(problem) if isinstance(problem, str) else problem.text


class Verdict(Static):
    """A hint, an OK, or a problem; its text is shown as typed, never read as markup, and
    never with a raw control, bidi or invisible character (it often quotes outside text)."""

    def __init__(
        self, hint: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(hint, markup=False, id=id, classes=classes)
        self.hint = hint
        self.state: State = "hint"
        self.text = hint
        self.add_class("-hint")

    def show_hint(self, text: str | None = None) -> None:
        self._show("hint", self.hint if text is None else text)

    def show_ok(self, text: str) -> None:
        self._show("ok", text)

    def show_problem(self, problem: ApiError | str) -> None:
        """An API error (shown with its code) or a plain message, such as a store failure."""
        self._show("problem", problem_text(problem))

    def _show(self, state: State, text: str) -> None:
        """Repaint only what changed: this runs on every keystroke, and a layout of the screen
        costs more than the rest of a keystroke; it is needed only when the height changes."""
        text = visible_lines(text)
        if state == self.state and text == self.text:
            return
        same_height = self._height(text) == self._height(self.text) > 0
        if state != self.state:
            self.remove_class(f"-{self.state}", update=False)  # one restyle for both, not two
            self.add_class(f"-{state}")
        self.state = state
        self.text = text
        self.update(text, layout=not same_height)

    def _height(self, text: str) -> int:
        """The lines ``text`` takes at the present width, at least the lines the style reserves
        (``min-height``); 0 before the first layout, when the width is not known yet."""
        width = self.content_region.width
        if width <= 0:
            return 0
        reserved = self.styles.min_height
        lines = 1 if cell_len(text) <= width else len(Text(text).wrap(self.app.console, width))
        return max(lines, int(reserved.value) if reserved is not None else 1)
