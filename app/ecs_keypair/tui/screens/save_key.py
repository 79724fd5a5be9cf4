"""The dialog that asks where to save the private key; the caller writes the file.

It only collects a path and dismisses with it (None when cancelled). When a save failed, the
caller opens it again with the path that was typed and the reason, so the user can fix the one
thing that was wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select

from ecs_keypair.keys.key_specs import KEY_FORMATS, KeyFormat
from ecs_keypair.tui.enter_key import enter_is_the_controls
from ecs_keypair.tui.key_delivery import path_for_format
from ecs_keypair.tui.outside_text import STAND_INS
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.field_scroll import FieldScroll
from ecs_keypair.tui.widgets.save_options import SaveChoice, SaveOptions
from ecs_keypair.tui.widgets.verdict import Verdict

SAVE_HINT = "The file is created with mode 0600; a missing last folder is created with 0700."


class SaveKeyDialog(ModalScreen[SaveChoice | None]):
    """A path, prefilled with ``~/.ssh/<KeyPairName>`` and the format's ending (or what was
    typed last time); the proposed path follows the format until the user edits it."""

    CSS_PATH = stylesheet("save_key.tcss")
    BINDINGS = [
        # shown in the Footer, over the Input's
        Binding("enter", "save", "Save", priority=True, id="save-key.save"),
        Binding("escape", "cancel", "Cancel", id="save-key.cancel"),
    ]

    def __init__(
        self,
        path: str,
        problem: str | None = None,
        key_format: KeyFormat = "pem",
        formats: Sequence[KeyFormat] = KEY_FORMATS,
    ) -> None:
        super().__init__()
        self.path = path
        self.problem = problem
        self.key_format = key_format
        self.formats = formats
        """The formats offered: those the key's type can be saved in."""
        self._proposed: str | None = None if problem else path
        """The path as proposed, while the user has not edited it: it follows the format."""

    def compose(self) -> ComposeResult:
        with FieldScroll(id="dialog"):
            yield Label("Save the private key", id="dialog-title")
            # the path proposed holds the key pair's name, which an endpoint chose
            yield Input(
                self.path, id="path", placeholder="~/.ssh/key.pem", highlighter=STAND_INS
            )
            verdict = Verdict(SAVE_HINT, id="save-problem")
            if self.problem:
                verdict.show_problem(self.problem)
            yield verdict
            yield SaveOptions(self.key_format, self.formats, id="options")
            with Horizontal(id="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "save" and enter_is_the_controls(self.focused))

    @on(Select.Changed, "#key-format")
    def _format_chosen(self, event: Select.Changed) -> None:
        self._forget_an_old_problem()
        path = self.query_one("#path", Input)
        if self._proposed is None or path.value != self._proposed:
            self._proposed = None  # typed by the user: theirs from now on
            return
        if event.value in KEY_FORMATS:
            self._proposed = path_for_format(self._proposed, event.value)
            path.value = self._proposed

    @on(Input.Changed, "#path")
    def _forget_an_old_problem(self) -> None:
        """The problem shown was about the path and the format the dialog opened with: once
        either is another, the hint comes back (the next Enter judges what is there then)."""
        verdict = self.query_one("#save-problem", Verdict)
        shown_for = (self.path, self.key_format)
        now = (self.query_one("#path", Input).value, self.query_one(SaveOptions).key_format)
        if verdict.state == "problem" and now != shown_for:
            verdict.show_hint()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self.is_current:  # a second Enter in the same read: the dialog has answered
            return
        options = self.query_one(SaveOptions)
        if not options.passphrases_match():
            self.query_one("#passphrase-again", Input).focus()
            return
        path = self.query_one("#path", Input).value
        self.dismiss(SaveChoice(path, options.key_format, options.passphrase()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
