"""The line under a field that says what the API would answer to what was typed."""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len
from textual.widgets import Static

from app.engine.errors import ApiError

State = Literal["hint", "ok", "problem"]
_STATES: tuple[State, ...] = ("hint", "ok", "problem")


def problem_text(problem: ApiError) -> str:
    """``reason · Code``: the plain-language reason first, then the API's code to look up."""
    return f"{problem.reason or problem.message} · {problem.code}"


class Verdict(Static):
    """A hint, an OK, or a problem; its text is shown as typed, never read as markup."""

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
        self._show("problem", problem if isinstance(problem, str) else problem_text(problem))

    def _show(self, state: State, text: str) -> None:
        """Repaint only what changed: this runs on every keystroke, and a layout pass is costly."""
        if state == self.state and text == self.text:
            return
        width = self.content_region.width
        one_line_before_and_after = 0 < max(cell_len(text), cell_len(self.text)) <= width
        self.state = state
        self.text = text
        for each in _STATES:
            self.set_class(each == state, f"-{each}")
        self.update(text, layout=not one_line_before_and_after)
