"""How to save a key: the file format, and an optional passphrase typed twice.

The two passphrase fields are masked and compared as you type ("passphrases differ" shows at
once); their strength is not judged, which is the user's call. Which format fits the key type
is the engine's rule (:func:`check_key_format`): this widget only asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from ecs_keypair.keys.key_specs import KEY_FORMATS, KeyFormat
from ecs_keypair.tui.styles import widget_css
from ecs_keypair.tui.widgets.verdict import Verdict

FORMAT_NAMES: dict[KeyFormat, str] = {
    "pem": "pem (PKCS#8, as ECS returns it)",
    "openssh": "openssh (ssh-keygen's own)",
    "ppk": "ppk (PuTTY, version 3)",
}
NO_PASSPHRASE = "No passphrase: the key file is not encrypted."
SAME_PASSPHRASE = "The passphrases match: the key file is encrypted with it."
DIFFERENT_PASSPHRASES = "passphrases differ"


@dataclass(frozen=True, slots=True)
class SaveChoice:
    """What the save dialog answers: the path as typed, the format, the passphrase (a secret)."""

    path: str
    key_format: KeyFormat
    passphrase: bytes | None = field(default=None, repr=False)


class SaveOptions(Widget):
    """The format list and the two passphrase fields, with their live comparison."""

    DEFAULT_CSS = widget_css("save_options.tcss")

    def __init__(
        self,
        key_format: KeyFormat = "pem",
        formats: Sequence[KeyFormat] = KEY_FORMATS,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.initial_format = key_format
        self.formats = formats

    def compose(self) -> ComposeResult:
        with Grid(id="save-options"):
            yield Label("Format")
            yield Select(
                [(FORMAT_NAMES[name], name) for name in self.formats],
                value=self.initial_format,
                allow_blank=False,
                compact=True,
                id="key-format",
            )
            yield Label("Passphrase")
            yield Input(password=True, compact=True, placeholder="(none)", id="passphrase")
            yield Label("Again")
            yield Input(password=True, compact=True, id="passphrase-again")
        yield Verdict(NO_PASSPHRASE, id="passphrase-check")

    @property
    def key_format(self) -> KeyFormat:
        value = self.query_one("#key-format", Select).value
        return value if value in KEY_FORMATS else "pem"

    def passphrases_match(self) -> bool:
        first = self.query_one("#passphrase", Input).value
        return first == self.query_one("#passphrase-again", Input).value

    def passphrase(self) -> bytes | None:
        """The passphrase as bytes (None when left empty); only meaningful when both match."""
        value = self.query_one("#passphrase", Input).value
        return value.encode("utf-8") if value else None

    @on(Input.Changed, "#passphrase, #passphrase-again")
    def compare_passphrases(self) -> None:
        verdict = self.query_one("#passphrase-check", Verdict)
        if not self.passphrases_match():
            verdict.show_problem(DIFFERENT_PASSPHRASES)
        elif self.passphrase() is None:
            verdict.show_hint()
        else:
            verdict.show_ok(SAME_PASSPHRASE)
