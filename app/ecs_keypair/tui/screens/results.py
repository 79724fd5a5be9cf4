"""The new key pair, and the only time its private key is ever shown.

Either CreateKeyPair's answer, or a key made here (:class:`MadeHere`) with each region's answer
to its ImportKeyPair below the fields; the private key is then shown in the openssh format,
which every key type can be written in.

c, f and p copy (the system clipboard, else the terminal's OSC 52 clipboard, and the notification
says which; a private key copied to the system clipboard is cleared from it again after a while,
:mod:`ecs_keypair.tui.clipboard_guard`); s saves in a chosen format, with a passphrase if given, and
a
``.pub`` beside it (:mod:`ecs_keypair.tui.key_delivery`); a adds the key to the running ssh-agent,
never
writing it to disk. Leaving while the private key was neither copied to the system clipboard nor
saved asks first: once this screen is gone, the key is gone (an agent forgets it when it stops).

What a key did is said in full on the line above the private key, and as a one-line toast at
the top of the screen: neither ever hides the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Header, Label, Static, TextArea

from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.regions import REGIONS_BY_ID
from ecs_keypair.contract.results import CreatedKeyPair
from ecs_keypair.contract.text_safety import visible, visible_lines
from ecs_keypair.keys.agent import AgentKey, add_to_agent
from ecs_keypair.keys.key_formats import (
    PrivateKey,
    private_key_from_pem,
    serialize_private_key,
)
from ecs_keypair.keys.key_save import SavedKey, file_to_replace, save_path
from ecs_keypair.keys.key_specs import KEY_FORMATS, KeyFormat, check_key_format
from ecs_keypair.tui.clipboard import Clipboard, ClipboardUnavailable
from ecs_keypair.tui.clipboard_guard import ClipboardGuard
from ecs_keypair.tui.key_delivery import (
    agent_message,
    default_key_path,
    format_problem,
    save,
    saved_message,
)
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.textual_compat import FittingFooter, clear_notifications
from ecs_keypair.tui.widgets.field_scroll import FieldScroll
from ecs_keypair.tui.widgets.region_results import RegionResults
from ecs_keypair.tui.widgets.save_options import SaveChoice
from ecs_keypair.workflows.key_workflows import MadeHere

Outcome = Literal["new", "back"]
Kept = Literal["saved", "copied", "sent"]

NOTICE = (
    "This private key is shown only this once: c copies it, s saves it to a file, "
    "a adds it to ssh-agent."
)


class ResultsScreen(Screen[Outcome]):
    """Everything CreateKeyPair answered, plus the SHA256 fingerprint and the public key line."""

    CSS_PATH = stylesheet("results.tcss")
    BINDINGS = [
        Binding("c", "copy_private_key", "Copy key", tooltip="Copy the private key",
                id="results.copy-key"),
        Binding("f", "copy_fingerprint", "MD5", tooltip="Copy the MD5 fingerprint",
                id="results.copy-fingerprint"),
        Binding("p", "copy_public_key", "Pubkey", tooltip="Copy the public key line",
                id="results.copy-public-key"),
        Binding("s", "save", "Save", tooltip="Save the private key to a file (0600)",
                id="results.save"),
        Binding("a", "add_to_agent", "Agent", tooltip="Add the private key to ssh-agent",
                id="results.add-to-agent"),
        Binding("n", "leave('new')", "New", tooltip="Create another key pair", id="results.new"),
        Binding("k", "app.show_key_pairs", "Key pairs", tooltip="The key pairs of this region",
                id="results.key-pairs"),
        Binding("escape", "leave('back')", "Back", tooltip="Back to the form", id="results.back"),
    ]

    def __init__(
        self,
        created: CreatedKeyPair | MadeHere,
        clipboard: Clipboard,
        clipboard_guard: ClipboardGuard | None = None,
        data_home: Path | None = None,
    ) -> None:
        super().__init__()
        self.created = created
        self.data_home = data_home
        """Where the place of a saved key is remembered (None: nowhere)."""
        self.key_pair_name, self.fingerprint, self.public_line = _public_side(created)
        self.clipboard = clipboard
        self.clipboard_guard = clipboard_guard
        """Clears the private key from the clipboard after a while (None: never)."""
        self.kept: Kept | None = None
        """What became of the private key: saved, copied to the system clipboard, or only
        sent to the terminal's clipboard (OSC 52, which nobody can confirm)."""
        self.saved_to: Path | None = None
        self.in_agent: AgentKey | None = None
        self._private_key: PrivateKey | None = (
            created.private_key if isinstance(created, MadeHere) else None
        )
        self.shown_format: KeyFormat = "openssh" if isinstance(created, MadeHere) else "pem"
        """The format the key is shown in, and the one proposed for saving it: ECS's PKCS#8
        PEM, or OpenSSH's own for a key made here (which ssh reads for every type)."""
        self.private_key_text = (
            serialize_private_key(created.private_key, "openssh", comment=created.key_pair_name)
            .decode("ascii")
            if isinstance(created, MadeHere)
            else created.private_key_pem
        )

    def compose(self) -> ComposeResult:
        yield Header()
        with FieldScroll(id="results"):
            with Grid(id="fields"):
                for label, value in _fields(self.created):
                    yield Label(label, classes="field-label")
                    yield Static(
                        visible(value), markup=False, classes="field-value", id=_field_id(label)
                    )
            if isinstance(self.created, MadeHere):
                yield RegionResults(id="region-results")
            yield Static(NOTICE, id="key-notice", markup=False)
            yield TextArea(
                visible_lines(self.private_key_text),  # an endpoint's answer; copied as it is
                read_only=True,
                show_line_numbers=False,
                soft_wrap=False,
                id="private-key",
            )
        yield FittingFooter(first=("c", "s", "escape", "ctrl+q"), compact=True)

    def on_mount(self) -> None:
        if isinstance(self.created, MadeHere):
            self.query_one("#region-results", RegionResults).show(self.created.results)
        self.query_one("#private-key", TextArea).focus()

    # -- copy --

    def action_copy_private_key(self) -> None:
        self._copy(self.private_key_text, "private key", keeps_key=True)

    def action_copy_fingerprint(self) -> None:
        self._copy(self.fingerprint, "fingerprint", keeps_key=False)

    def action_copy_public_key(self) -> None:
        self._copy(self.public_line, "public key line", keeps_key=False)

    @work(thread=True, group="copy")
    def _copy(self, text: str, what: str, keeps_key: bool) -> None:
        """Off the event loop: a clipboard tool may take a while to answer (or not at all)."""
        try:
            tool = self.clipboard.copy(text)
        except ClipboardUnavailable as exc:
            self.app.call_from_thread(self._send_to_terminal, text, what, keeps_key, exc.reason)
        except Exception as exc:  # a clipboard that breaks must not take the key with it
            reason = f"the clipboard failed ({type(exc).__name__}: {exc})"
            self.app.call_from_thread(self._send_to_terminal, text, what, keeps_key, reason)
        else:
            self.app.call_from_thread(self._copied, text, what, tool, keeps_key)

    def _copied(self, text: str, what: str, tool: str, keeps_key: bool) -> None:
        if keeps_key and self.kept != "saved":
            self.kept = "copied"
        guard = self.clipboard_guard
        clearing = guard.key_copied(text, tool) if keeps_key and guard is not None else ""
        self._tell(f"Copied the {what} to the system clipboard ({tool}){clearing}.")

    def _send_to_terminal(self, text: str, what: str, keeps_key: bool, reason: str) -> None:
        self.app.copy_to_clipboard(text)
        if keeps_key and self.kept is None:
            self.kept = "sent"
        clearing = ""
        if keeps_key:
            clearing = " It will not be cleared: that clipboard cannot be read back."
        self._tell(
            f"Sent the {what} to the terminal's clipboard (OSC 52): this works only if your "
            f"terminal allows it.{clearing} No system clipboard: {reason}.",
            severity="warning",
            timeout=10,
        )

    # -- save --

    def private_key(self) -> PrivateKey:
        """The key object, parsed once (an RSA parse is slow: only ever called off the loop)."""
        if self._private_key is None:
            self._private_key = private_key_from_pem(self.private_key_text)
        return self._private_key

    def action_save(self) -> None:
        self._ask_path(default_key_path(self.key_pair_name, self.shown_format), self.shown_format)

    def _ask_path(self, path: str, key_format: KeyFormat, problem: str | None = None) -> None:
        key_type = self.public_line.split(" ", 1)[0]
        formats = [name for name in KEY_FORMATS if check_key_format(key_type, name) is None]
        self.app.push_screen(
            SaveKeyDialog(path, problem, key_format, formats), self._path_chosen
        )

    def _path_chosen(self, choice: SaveChoice | None) -> None:
        if choice is None:
            return
        try:
            save_path(choice.path)
        except ApiException as exc:
            self._ask_path(choice.path, choice.key_format, _problem(exc))
            return
        self._write(choice, replace=False)

    @work(thread=True, group="save")
    def _write(self, choice: SaveChoice, replace: bool) -> None:
        """Off the event loop: the KDFs take a while, and a network file system may too."""
        comment = self.key_pair_name
        try:
            problem = format_problem(self.private_key(), choice)
            if problem is not None:
                raise ApiException(problem)
            existing = None if replace else file_to_replace(choice.path)
            if existing is not None:
                self.app.call_from_thread(self._confirm_replace, choice, existing)
                return
            saved = save(self.private_key(), choice, comment, replace=replace)
        except ApiException as exc:
            self.app.call_from_thread(self._save_failed, choice, _problem(exc))
        else:
            if self.data_home is not None:
                from ecs_keypair.store.saved_keys import SavedKeys  # TinyDB: after the form

                SavedKeys(self.data_home).remember_saved(self.fingerprint, saved)
            self.app.call_from_thread(self._saved, saved)

    def _confirm_replace(self, choice: SaveChoice, path: Path) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._write(choice, replace=True)
            else:
                kept = f"{path} already exists and was kept: choose another path"
                self._ask_path(choice.path, choice.key_format, kept)

        self.app.push_screen(
            ConfirmDialog(
                "Replace the file?",
                f"{path} already exists. Replace the key file and its .pub with this private "
                "key? What they hold now will be lost.",
                yes="Replace",
                no="Keep it",
            ),
            answered,
        )

    def _save_failed(self, choice: SaveChoice, problem: str) -> None:
        """The dialog opens again and says why itself: no toast repeats it."""
        self._ask_path(choice.path, choice.key_format, problem)

    def _saved(self, saved: SavedKey) -> None:
        self.kept = "saved"
        self.saved_to = saved.private_path
        self._tell(saved_message(saved))

    # -- the agent --

    def action_add_to_agent(self) -> None:
        self._add_to_agent()

    @work(thread=True, group="agent")
    def _add_to_agent(self) -> None:
        """Off the event loop: parsing the key and the agent's socket may both take a while."""
        try:
            added = add_to_agent(self.private_key(), self.key_pair_name)
        except ApiException as exc:
            message = f"Not added to ssh-agent: {visible(exc.error.message)} ({exc.error.code})"
            self.app.call_from_thread(self._tell, message, severity="error")
        else:
            self.app.call_from_thread(self._added_to_agent, added)

    def _added_to_agent(self, added: AgentKey) -> None:
        self.in_agent = added
        self._tell(agent_message(added), timeout=10)

    # -- messages --

    def on_screen_suspend(self) -> None:
        """A dialog over the results, or the form: the toast goes with the screen it was about
        (the line above the key keeps its text); over a dialog it would cover the fields."""
        clear_notifications(self.app)

    def _tell(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """What a key did: in full on the line above the private key (with the reminder while
        the key is not kept), and as the one toast at the top (results.tcss), clear of the key.
        The screen keeps the key in sight as the line above it grows."""
        notice = self.query_one("#key-notice", Static)
        notice.update(visible(message if self.key_is_safe else f"{message} {NOTICE}"))
        notice.set_class(severity == "error", "-error")
        clear_notifications(self.app)
        self.notify(message, severity=severity, timeout=timeout, markup=False)
        self.call_after_refresh(self.query_one("#private-key").scroll_visible, animate=False)

    # -- leave --

    @property
    def key_is_safe(self) -> bool:
        """Saved, or copied to a clipboard that said yes: leaving loses nothing."""
        return self.kept in ("saved", "copied")

    def leave_question(self) -> str:
        if self.kept == "sent":
            return (
                "The private key was only sent to the terminal's clipboard (OSC 52), which "
                "cannot be confirmed, and it was not saved. It is shown only once: after you "
                "leave, nobody can show it again."
            )
        return (
            "The private key was neither copied nor saved. It is shown only once: after you "
            "leave, nobody can show it again."
        )

    def action_leave(self, outcome: Outcome) -> None:
        if self.key_is_safe:
            self.dismiss(outcome)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(outcome)

        self.app.push_screen(
            ConfirmDialog(
                "Leave without the private key?", self.leave_question(), yes="Leave", no="Stay"
            ),
            answered,
        )


def _problem(exc: ApiException) -> str:
    """An engine refusal as the save dialog shows it (the message names the path)."""
    return visible(f"{exc.error.message} · {exc.error.code}")  # the message names the path


def _public_side(created: CreatedKeyPair | MadeHere) -> tuple[str, str, str]:
    """(name, MD5 fingerprint, public key line): what c, f and p and the save need."""
    if isinstance(created, MadeHere):
        public = created.public_key
        return created.key_pair_name, public.md5_fingerprint, public.line
    record = created.record
    return record.key_pair_name, record.fingerprint, created.public_key.line


def _fields(created: CreatedKeyPair | MadeHere) -> tuple[tuple[str, str], ...]:
    """The rows above the private key: CreateKeyPair's answer, or the key made here."""
    if isinstance(created, MadeHere):
        public = created.public_key
        return (
            ("KeyPairName", created.key_pair_name),
            ("Key type", f"{public.key_type} (made here)"),
            ("KeyPairFingerPrint", public.md5_fingerprint),
            ("SHA256", public.sha256_fingerprint),
            ("Public key", public.line),
        )
    record = created.record
    region = REGIONS_BY_ID.get(record.region_id)
    return (
        ("KeyPairName", record.key_pair_name),
        ("KeyPairId", record.key_pair_id),
        ("Region", f"{record.region_id}  {region.local_name}" if region else record.region_id),
        ("KeyPairFingerPrint", record.fingerprint),
        ("SHA256", created.public_key.sha256_fingerprint),
        ("RequestId", created.request_id),
        ("Public key", created.public_key.line),
    )


def _field_id(label: str) -> str:
    return "field-" + label.lower().replace(" ", "-")
