"""The dialog that imports a public key: a name checked as you type, and a key line or a path.

The dialog reads no file and stores nothing: it is handed ``check_name`` (the live verdict) and
``import_key`` (read the key, import it, return the problem if any) by the screen that opens it,
so it keeps what the user typed when an import fails and tests can drive it with the real service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from app.engine.errors import ApiError
from app.engine.storage import StoreError
from app.tui.styles import stylesheet
from app.tui.widgets.verdict import Verdict

CheckName = Callable[[str], ApiError | None]
ImportKey = Callable[[str, str], ApiError | StoreError | None]

PATH_STARTS = ("~", "/", ".")


def public_key_path(text: str) -> Path | None:
    """The file named by what was typed, or None when it is a key line to send as it is.

    A path starts with ``~``, ``/`` or ``.`` (``~/.ssh/id_ed25519.pub``, ``./key.pub``), or is a
    single word ending in ``.pub``. Anything else is taken as a pasted OpenSSH line.
    """
    stripped = text.strip()
    if not stripped:
        return None
    one_word = not any(char.isspace() for char in stripped)
    if stripped.startswith(PATH_STARTS) or (one_word and stripped.endswith(".pub")):
        return Path(stripped)
    return None


class ImportKeyPairModal(ModalScreen[str | None]):
    """Collects a name and a public key; dismisses with the imported name, or None if cancelled."""

    CSS_PATH = stylesheet("import_key_pair.tcss")
    AUTO_FOCUS = "#name"
    BINDINGS = [
        Binding("enter", "submit", "Import", priority=True, tooltip="Import the public key"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without importing"),
    ]

    def __init__(self, region_id: str, check_name: CheckName, import_key: ImportKey) -> None:
        super().__init__()
        self.region_id = region_id
        self._check_name = check_name
        self._import_key = import_key

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Import a public key into {self.region_id}", id="title", markup=False)
            yield Label("KeyPairName", classes="dialog-label")
            yield Input(placeholder="a name, such as laptop-2026", id="name", compact=True)
            yield Verdict("letters, digits, : _ -; a letter first; 2 to 128", id="name-verdict")
            yield Label("Public key", classes="dialog-label next")
            yield Input(
                placeholder="ssh-ed25519 AAAA… or ~/.ssh/id_ed25519.pub",
                id="public-key",
                compact=True,
            )
            yield Verdict("paste an OpenSSH public key line, or give a path", id="key-verdict")
            yield Verdict(id="problem")
        yield Footer()

    # -- live feedback --

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._show_name_verdict(self._check_name(event.value))

    def _show_name_verdict(self, problem: ApiError | None) -> None:
        verdict = self.query_one("#name-verdict", Verdict)
        if problem is None:
            verdict.show_ok(f"✓ free in {self.region_id}")
        else:
            verdict.show_problem(problem)

    @on(Input.Changed, "#public-key")
    def _key_changed(self, event: Input.Changed) -> None:
        path = public_key_path(event.value)
        verdict = self.query_one("#key-verdict", Verdict)
        if path is not None:
            verdict.show_hint(f"a path: {path} is read when you press enter")
        elif event.value.strip():
            verdict.show_hint(f"a pasted key line ({event.value.split()[0][:40]})")
        else:
            verdict.show_hint()
        self.query_one("#problem", Verdict).show_hint("")

    # -- actions --

    def action_submit(self) -> None:
        """Check the name again (an untouched field is not valid), then hand over to the caller."""
        name = self.query_one("#name", Input).value
        problem = self._check_name(name) or self._import_key(
            name, self.query_one("#public-key", Input).value
        )
        if problem is None:
            self.dismiss(name)
            return
        if isinstance(problem, StoreError):
            self.query_one("#problem", Verdict).show_problem(str(problem))
        elif problem.field == "KeyPairName":
            self._show_name_verdict(problem)
            self.query_one("#name", Input).focus()
        elif problem.field == "PublicKeyBody":
            self.query_one("#key-verdict", Verdict).show_problem(problem)
            self.query_one("#public-key", Input).focus()
        else:
            self.query_one("#problem", Verdict).show_problem(problem)

    def action_cancel(self) -> None:
        self.dismiss(None)
