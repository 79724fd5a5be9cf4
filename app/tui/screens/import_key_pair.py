"""The dialog that imports a public key: a name checked as you type, and a key line or a path.

The dialog reads no file and stores nothing: it is handed ``check_name`` (the live verdict) and
``import_key`` (read the key, import it, return the problem if any) by the screen that opens it,
so it keeps what the user typed when an import fails and tests can drive it with the real service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from app.engine.errors import ApiError
from app.engine.storage import StoreError

CheckName = Callable[[str], ApiError | None]
ImportKey = Callable[[str, str], ApiError | StoreError | None]

PATH_STARTS = ("~", "/", ".")


def stylesheet(name: str) -> Path:
    """A stylesheet of ours: packaged under app/styles when installed, else the checkout's styles/."""
    packaged = Path(__file__).resolve().parents[2] / "styles" / name
    return packaged if packaged.exists() else Path(__file__).resolve().parents[3] / "styles" / name


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


def problem_text(problem: ApiError | StoreError) -> str:
    """One line for a failure: the reason and the API code, or the store's own message."""
    if isinstance(problem, StoreError):
        return str(problem)
    return f"{problem.reason or problem.message} · {problem.code}"


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
            yield Label(f"Import a public key into {self.region_id}", id="title")
            yield Label("KeyPairName", classes="field-label")
            yield Input(placeholder="a name, such as laptop-2026", id="name")
            yield Static(id="name-verdict", classes="verdict")
            yield Label("Public key: paste an OpenSSH line, or give a path", classes="field-label")
            yield Input(placeholder="ssh-ed25519 AAAA… or ~/.ssh/id_ed25519.pub", id="public-key")
            yield Static(id="key-verdict", classes="verdict")
            yield Static(id="problem", classes="verdict")
        yield Footer()

    # -- live feedback --

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._show_verdict("#name-verdict", self._check_name(event.value))

    @on(Input.Changed, "#public-key")
    def _key_changed(self, event: Input.Changed) -> None:
        path = public_key_path(event.value)
        verdict = self.query_one("#key-verdict", Static)
        verdict.remove_class("error", "ok")
        if path is not None:
            verdict.update(Text(f"a path: {path} is read when you press enter"))
        elif event.value.strip():
            verdict.update(Text(f"a pasted key line ({event.value.split()[0][:40]})"))
        else:
            verdict.update("")
        self.query_one("#problem", Static).update("")

    def _show_verdict(self, selector: str, problem: ApiError | StoreError | None) -> None:
        verdict = self.query_one(selector, Static)
        verdict.set_class(problem is not None, "error")
        verdict.set_class(problem is None, "ok")
        if problem is None:
            verdict.update(Text(f"✓ {self.region_id} would accept this name"))
        else:
            verdict.update(Text(problem_text(problem)))

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
        field = problem.field if isinstance(problem, ApiError) else None
        if field == "KeyPairName":
            self._show_verdict("#name-verdict", problem)
            self.query_one("#name", Input).focus()
        elif field == "PublicKeyBody":
            self._show_verdict("#key-verdict", problem)
            self.query_one("#public-key", Input).focus()
        else:
            self._show_verdict("#problem", problem)

    def action_cancel(self) -> None:
        self.dismiss(None)
