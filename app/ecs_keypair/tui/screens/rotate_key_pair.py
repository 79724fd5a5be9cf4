"""The dialog that rotates a key pair: every instance that uses it moved to a new key pair.

It asks for the new name (checked as typed, as on the form: free in the region), who makes the
key (ECS, or this machine with a key type), where its private key is saved, and whether to
reboot the running instances and to delete the old key pair. The private key is saved before
anything is attached, as the command line's ``rotate --save`` does: a rotation whose new key
went nowhere would lock the instances out. The file is created ``0600`` and an existing file is
never replaced (the rotation refuses the path, and nothing is made). Rebooting and deleting are
off until ticked: both act on machines and keys beyond this dialog.

The run is the screen's ``rotate`` (the engine's ``rotate_key_pair``) off the event loop; each
instance's outcome, the new key pair's and the old one's are then shown in the fields' place,
and Enter or escape closes. Escape before that closes without changing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from ecs_keypair.contract.backend import KeyPairBackend, KeySpec
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.keys.key_specs import KeyFormat
from ecs_keypair.tui.backend_calls import BackendCalls, Failed
from ecs_keypair.tui.enter_key import enter_is_the_controls
from ecs_keypair.tui.key_choices import KEY_SPECS, proposed_key_spec, spec_label
from ecs_keypair.tui.key_delivery import default_key_path
from ecs_keypair.tui.key_rotation import RotateChoice, rotation_lines
from ecs_keypair.tui.outside_text import STAND_INS
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.name_field import NameField
from ecs_keypair.tui.widgets.reading_scroll import ReadingScroll
from ecs_keypair.tui.widgets.save_options import SaveOptions
from ecs_keypair.tui.widgets.verdict import Verdict
from ecs_keypair.workflows.rotation import Rotation

# The choice -> the rotation's outcome; raises ApiException when nothing could be done.
RotateKey = Callable[[RotateChoice], Rotation]

MADE_BY_ECS = "ecs"
MADE_HERE = "here"
SOURCE_OPTIONS = [
    ("made by ECS (CreateKeyPair, RSA 2048)", MADE_BY_ECS),
    ("made here (ImportKeyPair)", MADE_HERE),
]
FORMAT_OF_SOURCE: dict[str, KeyFormat] = {MADE_BY_ECS: "pem", MADE_HERE: "openssh"}
SAVE_HINT = "saved first, mode 0600; a file already there is never replaced"
UNNAMED = "NEW"  # in the proposed path until a name is typed


class RotationScroll(ReadingScroll):
    """The fields while they are asked (they take the focus, and are scrolled into view), then
    the answers: a Tab stop only once those are shown and hold more than it shows."""

    answered = False

    def allow_focus(self) -> bool:
        return self.answered and super().allow_focus()


class RotateKeyPairDialog(ModalScreen[Rotation | None]):
    """Asks, rotates, shows each outcome; dismisses with the rotation (None: nothing ran)."""

    CSS_PATH = stylesheet("rotate_key_pair.tcss")
    AUTO_FOCUS = "#name"
    BINDINGS = [
        Binding("enter", "rotate", "Rotate", priority=True,
                tooltip="Make the new key pair and move every instance to it",
                id="rotate-key-pair.rotate"),
        Binding("enter", "close_answered", "Close", priority=True, tooltip="Close the dialog",
                id="rotate-key-pair.close-answered"),
        Binding("escape", "close", "Close", tooltip="Close (before the rotation: change nothing)",
                id="rotate-key-pair.close"),
    ]

    busy = reactive(False, bindings=True, toggle_class="-busy")
    """The rotation runs: neither Enter nor escape does anything until it has answered."""
    answered = reactive(False, bindings=True, toggle_class="-answered")
    """The outcomes are shown in the fields' place: Enter closes."""
    made_here = reactive(False, toggle_class="-made-here")

    def __init__(
        self, backend: KeyPairBackend, region_id: str, old_name: str, rotate: RotateKey
    ) -> None:
        super().__init__()
        self.backend = backend
        self.region_id = region_id
        self.old_name = old_name
        self._rotate = rotate
        self.calls = BackendCalls(self, backend)
        self.name_field = NameField(lambda: region_id, placeholder=f"{old_name}-2")
        self.name_field.connect(self.calls, backend)
        self.rotation: Rotation | None = None
        self._proposed: str | None = default_key_path(UNNAMED, "pem")
        """The path as proposed, while the user has not edited it: it follows name and format."""

    def compose(self) -> ComposeResult:
        with RotationScroll(id="dialog"):
            yield Label(
                visible(f"Rotate {self.old_name} in {self.region_id}"), id="title", markup=False
            )
            with Vertical(id="fields"):
                yield Label("New KeyPairName", classes="dialog-label")
                yield self.name_field
                yield Label("Key made", classes="dialog-label")
                yield Select(
                    SOURCE_OPTIONS, value=MADE_BY_ECS, allow_blank=False, compact=True,
                    id="key-source",
                )
                yield Label("Key type", classes="dialog-label here")
                yield Select(
                    [(spec_label(spec), spec) for spec in KEY_SPECS],
                    value=proposed_key_spec(self.backend),
                    allow_blank=False,
                    compact=True,
                    id="key-type",
                    classes="here",
                )
                yield Label("Save the private key to", classes="dialog-label")
                yield Input(self._proposed or "", id="path", compact=True, highlighter=STAND_INS)
                yield Verdict(SAVE_HINT, id="save-verdict")
                yield SaveOptions("pem", id="options")
                yield Checkbox(
                    "Reboot the running instances",
                    False, compact=True, id="reboot",
                )
                yield Checkbox(
                    visible(f"Delete {self.old_name} once no instance holds it"),
                    False, compact=True, id="delete-old",
                )
                yield Verdict(id="problem")
                with Horizontal(id="buttons"):
                    yield Button("Rotate", id="rotate", variant="primary", compact=True)
                    yield Button("Cancel", id="cancel", compact=True)
            yield Static(id="answers", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """From the title: focusing the name scrolls it to the middle of a small terminal,
        which would hide which key pair is rotated."""
        self.call_after_refresh(self.query_one(RotationScroll).scroll_home, animate=False)

    # -- live --

    @on(Input.Changed, "#name")
    @on(Select.Changed, "#key-format")
    def _follow(self) -> None:
        """The proposed path follows the name and the format until the user edits it."""
        path = self.query_one("#path", Input)
        if self._proposed is None or path.value != self._proposed:
            self._proposed = None  # typed by the user: theirs from now on
            return
        name = self.name_field.value.strip() or UNNAMED
        self._proposed = default_key_path(name, self.query_one(SaveOptions).key_format)
        path.value = self._proposed

    @on(Select.Changed, "#key-source")
    def _source_chosen(self, event: Select.Changed) -> None:
        """The format proposed for saving is the one the key is best read in: ECS's PEM, or
        OpenSSH's own for a key made here (ssh reads ed25519 from no PEM file)."""
        source = str(event.value)
        self.made_here = source == MADE_HERE
        self.query_one("#key-format", Select).value = FORMAT_OF_SOURCE[source]

    @on(Input.Changed, "#path, #passphrase, #passphrase-again")
    @on(Select.Changed)
    def _edited(self) -> None:
        """The problem shown judged the fields as they were at Enter."""
        self.query_one("#problem", Verdict).show_hint("")
        self.query_one("#save-verdict", Verdict).show_hint()

    # -- rotating --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.busy:
            return False
        if action == "rotate":
            return not self.answered and not enter_is_the_controls(self.focused)
        if action == "close_answered":
            return self.answered
        return True

    def _choice(self) -> RotateChoice | None:
        """What the fields ask for, or None with the first problem shown and focused."""
        self.name_field.touched = True  # an empty name is a problem now, not a hint
        if self.name_field.check() is not None:
            self.name_field.input.focus()
            return None
        options = self.query_one(SaveOptions)
        if not options.passphrases_match():
            self.query_one("#passphrase-again", Input).focus()
            return None
        spec = self.query_one("#key-type", Select).value
        made_here: KeySpec | None = None
        if self.made_here and isinstance(spec, tuple):
            made_here = spec
        save = SaveRequest(
            self.query_one("#path", Input).value, options.key_format, options.passphrase()
        )
        return RotateChoice(
            self.name_field.value,
            made_here,
            save,
            self.query_one("#reboot", Checkbox).value,
            self.query_one("#delete-old", Checkbox).value,
        )

    @on(Button.Pressed, "#rotate")
    def action_rotate(self) -> None:
        if self.busy or self.answered or not self.is_current:
            return
        choice = self._choice()
        if choice is None:
            return
        self.busy = True
        problem = self.query_one("#problem", Verdict)
        problem.show_hint(f"rotating {self.old_name} to {choice.new_name}…")
        problem.scroll_visible(animate=False)
        self.calls.run(
            "rotate", partial(self._rotate, choice), self._rotated, locally="worker",
            every_answer=True,
        )

    def _rotated(self, outcome: Rotation | Failed) -> None:
        self.busy = False
        if isinstance(outcome, Failed):
            self._show_failure(outcome.problem)
            return
        self.rotation = outcome
        self.query_one("#answers", Static).update("\n".join(rotation_lines(outcome)))
        self.answered = True
        self.query_one(RotationScroll).answered = True
        self.call_after_refresh(self._to_the_answers)

    def _show_failure(self, problem: ApiError | str) -> None:
        """Nothing was done: the reason beside the field it is about, which gets the focus."""
        self.query_one("#problem", Verdict).show_hint("")
        field = problem.field if isinstance(problem, ApiError) else None
        if field in ("KeyPairName", "NewKeyPairName"):
            self.name_field.show(problem)
            self.name_field.input.focus()
            return
        if field == "--save":
            self.query_one("#save-verdict", Verdict).show_problem(problem)
            self.query_one("#path", Input).focus()
            return
        verdict = self.query_one("#problem", Verdict)
        verdict.show_problem(problem)
        verdict.scroll_visible(animate=False)

    def _to_the_answers(self) -> None:
        """From their first line; the dialog has the focus if they need scrolling."""
        dialog = self.query_one(RotationScroll)
        dialog.scroll_home(animate=False)
        self.set_focus(dialog if dialog.focusable else None)

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(self.rotation)

    action_close_answered = action_close  # Enter, once the answers are shown
