"""The text field every screen uses, and what keeps Enter behind the keys typed before it.

Both are about keys that arrive in one read, as typing over a slow SSH link delivers them.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.screen import Screen
from textual.widgets import Input


class TextInput(Input):
    """An ``Input`` that runs its own key bindings (backspace, arrows, ctrl+u...) on the spot.

    Textual 8.2.8's Input inserts a printable key as soon as it gets it, but leaves a bound key
    to bubble up to the app, whose binding check then runs the action. Keys that arrive in one
    read (typing over a slow SSH link) are handled as a batch, so the letters after a backspace
    went in before it ran and the backspace deleted them instead ("1web", 4 x backspace, "web-1"
    gave "1wewe"; Textual issue 6605). Bindings with priority were checked before the key got
    here; the rest of the focus chain still gets what this field does not bind.
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input's own handler inserts it, in turn
        # the same lookup as the app's binding check, this field's namespace only
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()  # Input's handler, next in the MRO, has nothing to do
                return


def after_typed_keys(screen: Screen[object], callback: Callable[[], object]) -> None:
    """Run ``callback`` once the focused field has handled the keys that came before this one.

    A priority binding (Enter, on the form and the dialogs) runs as soon as the app reads its
    key, while the keys before it in the same read still wait in the focused field's queue:
    "web-1" and Enter together would create "web-" or nothing. That queue runs in order, so the
    callback waits in it.
    """
    (screen.focused or screen).call_later(callback)
