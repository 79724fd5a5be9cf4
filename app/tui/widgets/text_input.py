"""The text field every screen uses: its editing keys apply in the order they were typed."""

from __future__ import annotations

from textual import events
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
