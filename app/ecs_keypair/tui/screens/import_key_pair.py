"""The dialog that imports a public key: a name checked as you type, and a key line or a path.

The dialog reads no file: the screen that opens it hands it ``import_key`` (check the name, read
the key, import it; raise the API's error), and the dialog runs that call (and the live name
check) through :class:`BackendCalls`, in place on the local store, off the event loop on an
endpoint. A failed import leaves the dialog open with what was typed and the reason shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.results import ImportedKeyPair
from ecs_keypair.tui.backend_calls import BackendCalls, Failed
from ecs_keypair.tui.outside_text import STAND_INS
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.name_field import NameField
from ecs_keypair.tui.widgets.verdict import Verdict

# (KeyPairName, what was typed as the key) -> ImportKeyPair's answer; raises ApiException.
ImportKey = Callable[[str, str], ImportedKeyPair]

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


@dataclass(frozen=True, slots=True)
class Imported:
    """ImportKeyPair's answer, and the public key file it was read from (None: a pasted line),
    beside which its private key may be."""

    answer: ImportedKeyPair
    key_file: Path | None


class ImportKeyPairDialog(ModalScreen[Imported | None]):
    """Collects a name and a public key; dismisses with what was imported, or None."""

    CSS_PATH = stylesheet("import_key_pair.tcss")
    AUTO_FOCUS = "#name"
    BINDINGS = [
        Binding("enter", "submit", "Import", priority=True, tooltip="Import the public key",
                id="import-key-pair.import"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without importing",
                id="import-key-pair.cancel"),
    ]

    def __init__(self, backend: KeyPairBackend, region_id: str, import_key: ImportKey) -> None:
        super().__init__()
        self.backend = backend
        self.region_id = region_id
        self._import_key = import_key
        self.calls = BackendCalls(self, backend)
        self.name_field = NameField(lambda: region_id, placeholder="a name, such as laptop-2026")
        self.name_field.connect(self.calls, backend)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Import a public key into {self.region_id}", id="title", markup=False)
            yield Label("KeyPairName", classes="dialog-label")
            yield self.name_field
            yield Label("Public key", classes="dialog-label next")
            yield Input(
                placeholder="ssh-ed25519 AAAA… or ~/.ssh/id_ed25519.pub",
                id="public-key",
                compact=True,
                highlighter=STAND_INS,
            )
            yield Verdict("paste an OpenSSH public key line, or give a path", id="key-verdict")
            yield Verdict(id="problem")
        yield Footer()

    # -- live feedback --

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
        """Every field is checked again by the import itself (an untouched field is not valid)."""
        if self.calls.in_flight("import") or not self.is_current:
            return  # one import at a time: a second Enter does not import twice
        name = self.name_field.value
        source = self.query_one("#public-key", Input).value
        self.calls.run(
            "import",
            partial(self._import_key, name, source),
            partial(self._import_done, source),
            waiting=partial(
                self.query_one("#problem", Verdict).show_hint, f"importing into {self.region_id}…"
            ),
        )

    def _import_done(self, source: str, outcome: ImportedKeyPair | Failed) -> None:
        if not isinstance(outcome, Failed):
            self.dismiss(Imported(outcome, public_key_path(source)))
            return
        problem = outcome.problem
        self.query_one("#problem", Verdict).show_hint("")
        field = problem.field if isinstance(problem, ApiError) else None
        if field == "KeyPairName":
            self.name_field.show(problem)
            self.name_field.input.focus()
        elif field == "PublicKeyBody":
            self.query_one("#key-verdict", Verdict).show_problem(problem)
            self.query_one("#public-key", Input).focus()
        else:
            self.query_one("#problem", Verdict).show_problem(problem)

    def action_cancel(self) -> None:
        self.dismiss(None)
