"""The terminal app: the create form first, the results over it, the key pairs on request.

The app is given everything with a side effect (what opens the backend, the clipboard, where
the settings file is), so tests run it with a store in a temporary folder and a clipboard that
records. Every key binding has an id (``app.help``, ``results.copy-key``), and the settings
file's keymap rebinds them (:mod:`ecs_keypair.tui.keymap`).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, TextArea

from ecs_keypair.contract.text_safety import visible
from ecs_keypair.tui.clipboard import Clipboard, SystemClipboard
from ecs_keypair.tui.clipboard_guard import ClipboardGuard
from ecs_keypair.tui.preferences import Preferences
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.textual_compat import KeysInOrderApp

if TYPE_CHECKING:
    from ecs_keypair.contract.backend import KeyPairBackend
    from ecs_keypair.tui.screens.results import Outcome

# Textual's palette offers an SVG screenshot of the screen, written with ordinary permissions:
# of the results screen, that would be the private key in a world-readable file.
_WITHHELD_SYSTEM_COMMANDS = frozenset({"Screenshot"})

EXIT_TERMINATED = 128 + signal.SIGTERM  # as a shell reports a process that SIGTERM ended


class KeyPairApp(KeysInOrderApp[None]):
    """ecs-keypair's terminal app over a key pair backend (the local store, or an endpoint)."""

    TITLE = "ecs-keypair"
    # The form's stylesheet is the app's: Textual reads CSS_PATH only of the screens it pushes,
    # and the form is the default screen (its rules are all under ``CreateKeyPairScreen``).
    CSS_PATH = [stylesheet("app.tcss"), stylesheet("create_key_pair.tcss")]
    BINDINGS = [
        # With priority: a dialog's keys pass over the App's otherwise. ? typed into a text
        # field stays a character (check_action).
        Binding("f1", "help", "Help", show=False, priority=True, id="app.help",
                tooltip="The keys of this screen and what they do"),
        Binding("question_mark", "help_unless_typing", "Help", show=False, priority=True,
                id="app.help-question-mark", tooltip="The keys of this screen and what they do"),
        # Textual's own keys again, each with an id a keymap can name
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit",
                tooltip="Quit the app (asks first while a new private key is not kept)"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.help-quit"),
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
                id="app.command-palette", tooltip="Open the command palette"),
        # Textual sends SIGTSTP where the terminal allows it (not on Windows nor the web)
        Binding("ctrl+z", "suspend_process", "Suspend", show=False, priority=True,
                id="app.suspend", tooltip="Suspend the app (fg in the shell brings it back)"),
    ]

    def __init__(
        self,
        open_service: Callable[[], KeyPairBackend],
        *,
        clipboard: Clipboard,
        preferences: Preferences,
        data_home: Path | None = None,
    ) -> None:
        super().__init__()
        self.system_clipboard = clipboard
        self.preferences = preferences
        self.data_home = data_home
        """Where the places of saved private keys are remembered (None: nowhere)."""
        self.clipboard_guard = ClipboardGuard(self, clipboard, preferences.clipboard_clear_seconds)
        self._clashes_told: set[str] = set()
        self.start_problem: str | None = None
        """Why the backend did not open, if it did not: ``run()`` says it once the app ends."""
        self.form = CreateKeyPairScreen(open_service, preferences)

    def validate_title(self, title: str) -> str:
        return visible(title)

    def validate_sub_title(self, sub_title: str) -> str:
        """The header's second half names the store's folder or the endpoint's URL."""
        return visible(sub_title)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, whichever screen sends it: names, paths and an endpoint's
        messages in it are shown with :func:`visible`."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout,
            markup=markup,
        )

    def on_load(self) -> None:
        """The theme chosen last time, and from now on the one chosen is remembered. SIGTERM
        ends the app as a quit does, without asking (nobody is there to answer), so that the
        terminal is given back; the exit status says it was SIGTERM."""
        if self.preferences.theme in self.available_themes:
            self.theme = self.preferences.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._use_keymap(self.preferences.keymap)
        if self.is_headless:  # under tests: the test runner's own signals stay its own
            return
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGTERM, lambda: self.run_worker(self._terminated(), exit_on_error=False)
        )

    def on_mount(self) -> None:
        problems = self.preferences.problems_message()
        if problems is not None:
            self.notify(problems, severity="warning", timeout=15, markup=False)

    def on_resize(self, event: events.Resize) -> None:
        """The header's label is cut to the terminal's width (the form's region stays whole)."""
        super().on_resize(event)
        if self.form.is_whole:
            self.form.fit_header(event.size.width)

    def _use_keymap(self, keymap: dict[str, str]) -> None:
        self.set_keymap(keymap)
        # The Footer finds the palette's key by this name (read through the instance, so this
        # app's alone), not by the binding's id.
        palette_keys = self._keymap.get("app.command-palette")
        if palette_keys:
            self.COMMAND_PALETTE_BINDING = palette_keys.split(",")[0]  # type: ignore[misc]

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """A keymap that gives a key Textual binds without an id (tab) to a binding of the
        app: said once, not each time Textual looks at the screen's keys. (Textual 8.2.8 reports
        no clash with a binding that has an id: that one loses its key silently.)"""
        for clashed in clashed_bindings:
            told = clashed.id or f"{type(node).__name__}:{clashed.key}"
            if told in self._clashes_told:
                continue
            self._clashes_told.add(told)
            named = f" ({clashed.id})" if clashed.id else ""
            self.notify(
                f"Keymap: {clashed.key} no longer does {clashed.description or clashed.action}"
                f"{named}: the keymap gave it to another action.",
                severity="warning",
                markup=False,
            )

    def _remember_theme(self, theme: Theme) -> None:
        try:
            self.preferences.remember_theme(theme.name)
        except OSError as exc:  # a preference: the app goes on without it
            self.notify(
                f"The theme could not be remembered for next time: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )

    async def _terminated(self) -> None:
        await self.form.whole()  # an exit while the first frame is mounted trips Textual's Header
        await self._leave(EXIT_TERMINATED)

    async def _leave(self, return_code: int = 0) -> None:
        """Quit, after taking a private key copied off the clipboard if it is still there."""
        await self.clipboard_guard.clear_before_exit()
        self.exit(return_code=return_code)

    def get_default_screen(self) -> CreateKeyPairScreen:
        """The form itself, not an empty screen with the form pushed over it: one screen fewer to
        compose and style before the first paint."""
        return self.form

    @on(CreateKeyPairScreen.Unusable)
    def _stop(self, event: CreateKeyPairScreen.Unusable) -> None:
        self.start_problem = event.problem
        self.exit(return_code=1)

    @on(CreateKeyPairScreen.KeyPairCreated)
    def _show_results(self, event: CreateKeyPairScreen.KeyPairCreated) -> None:
        from ecs_keypair.tui.screens.results import ResultsScreen  # not needed to paint the form

        self.push_screen(
            ResultsScreen(
                event.created, self.system_clipboard, self.clipboard_guard, self.data_home
            ),
            self._results_closed,
        )

    def _results_closed(self, outcome: Outcome | None) -> None:
        if outcome == "new":
            self.form.start_over()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help_unless_typing":
            focused = self.screen.focused
            return not isinstance(focused, Input) and not (
                isinstance(focused, TextArea) and not focused.read_only
            )
        return True

    def action_help_unless_typing(self) -> None:
        self.action_help()

    def action_help(self) -> None:
        """The keys of the screen in front, or, from there, back (imported on demand: the form
        starts without it)."""
        from ecs_keypair.tui.screens.help import HelpScreen, keys_of, screen_name

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 again closes it
        else:
            self.push_screen(HelpScreen(keys_of(self.screen), screen_name(self.screen)))

    def action_show_key_pairs(self) -> None:
        """The key pairs of the form's region (imported on demand: the form starts without it)."""
        from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen

        if isinstance(self.screen, KeyPairsScreen):
            return
        self.push_screen(KeyPairsScreen(self.form.backend, self.form.region_id, self.data_home))

    async def action_quit(self) -> None:
        """Quitting with a private key not yet kept asks first; quitting again from there quits."""
        from ecs_keypair.tui.screens.confirm import ConfirmDialog
        from ecs_keypair.tui.screens.results import ResultsScreen

        unkept = [
            screen
            for screen in self.screen_stack
            if isinstance(screen, ResultsScreen) and not screen.key_is_safe
        ]
        if not unkept or isinstance(self.screen, ConfirmDialog):
            await self._leave()
            return

        async def answered(leave: bool | None) -> None:
            if leave:
                await self._leave()

        self.push_screen(
            ConfirmDialog(
                "Quit without the private key?", unkept[-1].leave_question(), yes="Quit", no="Stay"
            ),
            answered,
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, then every action the screen shows in its Footer, and those
        a screen leaves out of its Footer for room but describes with a tooltip."""
        titles = set(_WITHHELD_SYSTEM_COMMANDS)
        for command in super().get_system_commands(screen):
            if command.title not in titles:
                titles.add(command.title)
                yield command
        for active in screen.active_bindings.values():
            binding = active.binding
            offered = binding.show or (binding.tooltip and active.node is screen)
            if not (offered and active.enabled and binding.description):
                continue
            if binding.description in titles:  # Textual's "Quit" is listed already
                continue
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} (key: {key})",
                partial(self.run_action, binding.action, active.node),
            )


def make_app(
    open_service: Callable[[], KeyPairBackend],
    *,
    clipboard: Clipboard | None = None,
    preferences_path: Path | None = None,
    data_home: Path | None = None,
) -> KeyPairApp:
    """The app as ``run()`` builds it; tests call this too, with their own clipboard and paths.

    ``open_service`` is called right after the form's first frame (see
    :func:`ecs_keypair.contract.backend.backend_opener`).
    """
    return KeyPairApp(
        open_service,
        clipboard=SystemClipboard() if clipboard is None else clipboard,
        preferences=Preferences(preferences_path),
        data_home=data_home,
    )
