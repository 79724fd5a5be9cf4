"""A yes-or-no question in a dialog; the answer goes back to whoever asked (``dismiss(bool)``)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from ecs_keypair.contract.text_safety import visible
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.reading_scroll import ReadingScroll


class ConfirmDialog(ModalScreen[bool]):
    """Ask before something that cannot be undone. "No" has the focus: Enter alone is safe."""

    CSS_PATH = stylesheet("confirm.tcss")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
        Binding("left,right", "app.focus_next", "Switch", show=False, id="confirm.switch"),
    ]

    def __init__(self, title: str, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="dialog"):
            # the question may name a key pair or a file: outside text
            yield Label(visible(self.title_text), id="dialog-title", markup=False)
            yield Static(visible(self.question), id="question", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="warning", compact=True)
                yield Button(f"{self.no_label} (n)", id="no", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)
