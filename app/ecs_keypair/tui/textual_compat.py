"""What the app does differently from Textual 8.2.8, and why: every workaround in one place.

Each workaround names what it works around, and ``tests/tui/test_textual_canaries.py`` drives
plain Textual with the same input under ``xfail(strict=True)``: the day an upgrade fixes it, that
test passes, the suite fails, and the workaround can go.

**Keys in order** (:class:`KeysInOrderApp`). Textual's App routes each key of one terminal read
to the widget focused *when the app reads the key*, and reads the next key at once, while the
focused widget has yet to handle the first. So a key that moves the focus (Tab, shift+Tab, a
binding that adds a field and focuses it, a click) takes effect after the keys behind it have
already been sent to the old field: ``burst-2`` ctrl+t ``env`` Tab ``prod`` Enter stored
``burst-2envprod`` without tags. The same race gave two more symptoms, which this one mechanism
also ends:

* a bound key of an Input (backspace, arrows, ctrl+u) is run by the App after the key has
  bubbled up to it, so the letters behind it were inserted first ("1web", 4 x backspace,
  "web-1" gave "1wewe"; Textual issue 6605);
* a priority binding (Enter) runs as the app reads its key, before the field has the keys typed
  just before it ("web-1" Enter created "web-" or nothing).

The app now routes one input event at a time: an event is handed on only once the one before
it has been handled all the way (by the widget, its ancestors and the App's bindings), the
focus moves it made have been applied and the screen it opened is mounted. What arrives
meanwhile waits in order. That is what a slow typist gets from Textual, whatever the speed.

**Typed together** (part of the same router). A round trip for each key makes a paste over a
link without bracketed paste (thousands of keys in one read) take seconds. Characters
typed into a text field right behind one another, with no key that moves the focus among them,
are handed to the field as one paste (at most :data:`MAX_TYPED_TOGETHER`), so it inserts them
at once; the order with the keys around them is kept.

**Typed ahead** (part of the same router). Keys read while the screen a key opened is still
mounting (``s`` and a path on the results), or while nothing has the focus (a name typed right
after ``ecs-keypair``), went to the screen, not to a field, and were lost. They now wait for the
screen, and a printable key with nothing focused goes to the screen's ``AUTO_FOCUS`` field.

A screen can hold the events while what they act on is not there yet (:class:`HoldingScreen`):
one that mounts in stages (:class:`StagedScreen`: the form paints the name field first) until it
is whole; the key pairs screen while a row action waits for the table of the filter as typed.

**A keystroke lays out the whole screen** (:class:`QuietInput`). Textual's Input sets its
``virtual_size`` (declared ``layout=True``) to the width of its text at every change, so each
character typed made the screen lay out every widget again before the frame: at 15,000 key
pairs stored, most of the time from a key to its verdict on screen. The text's width only
bounds the field's own horizontal scroll, which reads ``virtual_size`` directly; the field's
place on the screen does not depend on it.

**Focus order before layout** (part of the router). Textual orders Tab and shift+Tab by each
widget's place on the screen, which a widget mounted a moment ago does not have until the next
layout: with ``ctrl+t`` (a new tag row) and shift+Tab in one read, shift+Tab skipped a row on a
loaded machine. A Tab, a shift+Tab or a click is handed on only after the screen has been
refreshed for the events before it.

**Enter typed ahead is ctrl+j** (:data:`ENTER`). Before Textual switches the terminal to raw
mode, the terminal's line discipline turns the Enter key's CR into LF, which Textual reads as
ctrl+j; an action bound to Enter must be bound to both.

**Focus out of sight after a resize** (part of :class:`KeysInOrderApp`). Textual scrolls a
widget into view as it gets the focus, not when the terminal shrinks: the save dialog's second
passphrase field, focused at 80x24, was below the dialog's edge at 60x18, where keys went into a
field nobody could see. Once the screen in front is laid out for the new size, its focused
widget is scrolled into view.

**Cleared toasts keep their place** (:func:`clear_notifications`). ``App.clear_notifications``
removes each toast but leaves the holder Textual wraps it in, and an empty holder still takes
its rows: each toast after a clear was drawn two rows lower than the one before, on the results
screen down towards the private key. The holders go too.

**Keys that fit** (:class:`FittingFooter`). Textual's Footer lays its keys out in one row
whatever its width: in a narrow terminal the last key it reaches is cut in half, and the keys
run on under the palette key docked at its right (``^o Key pai▏^p palette``). The Footer now
places only keys that fit whole beside the palette key, the most important first, and then
``f1 More`` (the help lists every key of the screen).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import TypeVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.errors import NoWidget
from textual.geometry import Size
from textual.layout import DockArrangeResult, WidgetPlacement
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey
from textual.widgets._toast import ToastHolder

ReturnType = TypeVar("ReturnType")

ENTER = "enter,ctrl+j"
"""The keys of an Enter binding: Enter, and the ctrl+j it arrives as when typed ahead."""

ROUTED = (events.Key, events.MouseDown, events.MouseUp, events.Paste)
"""The input events whose order matters: keys, clicks (down and up) and pastes."""

MAX_ROUNDS = 4
"""Round trips to wait for the consequences of one event (a message it posted, such as an
Input's Submitted, that moves the focus in turn); a bound, so no event can stall the keys."""

STALL_SECONDS = 0.5
"""How often to look whether a round trip can still come back: one that went through a widget
removed on the way never will, and the next event goes on; a slow one (a loaded machine) is
waited for, up to :data:`STALL_LIMIT_SECONDS`."""

STALL_LIMIT_SECONDS = 10.0
"""The longest one event can hold the ones behind it, however its widget fares."""

MAX_TYPED_TOGETHER = 256
"""Printable keys handed to a text field in one go (a paste without bracketed paste arrives as
thousands of keys); a bound, so the screen is still drawn between the batches."""


class KeysInOrderApp(App[ReturnType]):
    """An App that hands input events on one at a time, in the order they arrived (see above)."""

    def __init__(self) -> None:
        super().__init__()
        self._arrived: deque[events.Event] = deque()
        self._round: int = 0  # the number of the round trip in flight; 0: none
        self._rounds_left = 0
        self._stall: asyncio.TimerHandle | None = None
        self._sent_at = 0.0  # loop time the round trip in flight was sent
        self._laid_out_for: events.Event | None = None  # the event the screen was laid out for
        self._resized_to: Size | None = None  # the size the focus waits to be brought back at

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ROUTED) and not event.is_forwarded:
            self._arrived.append(event)
            if not self._round:
                await self._route_next()
            return
        await super().on_event(event)

    def on_resize(self, event: events.Resize) -> None:
        """See "Focus out of sight after a resize" above: the screen gets the new size a moment
        after the App (Textual waits for the terminal to settle)."""
        screen = self.screen
        if event.size == screen.size:
            return
        self._resized_to = event.size
        screen.screen_layout_refresh_signal.unsubscribe(self)
        screen.screen_layout_refresh_signal.subscribe(self, self._focus_in_sight)

    def _focus_in_sight(self, screen: Screen[object]) -> None:
        if screen.size != self._resized_to:
            return  # laid out for something else before the new size reached it
        screen.screen_layout_refresh_signal.unsubscribe(self)
        if screen.focused is not None:
            screen.focused.scroll_visible(animate=False)

    @property
    def routing_idle(self) -> bool:
        """Whether every input event that arrived has been handled (for tests and benchmarks)."""
        return not self._round and not self._arrived

    async def _route_next(self) -> None:
        """Hand on the oldest waiting event, unless the screen is not ready for it yet."""
        screen = self.screen
        if not screen.is_mounted:
            self._wait_for(screen, rounds=MAX_ROUNDS)  # its Compose and Mount are queued first
            return
        if isinstance(screen, HoldingScreen) and screen.holds_input:
            return  # held until the screen lets go (HoldingScreen.release_input)
        if not self._arrived:
            return
        if self._depends_on_layout(self._arrived[0]) and self._laid_out_for is not self._arrived[0]:
            self._laid_out_for = self._arrived[0]
            self._wait_for_layout(screen)
            return
        event = self._arrived.popleft()
        if isinstance(event, events.Key) and event.is_printable and screen.focused is None:
            self._focus_auto_focus(screen)
        target = self._target_of(event)
        if self._arrived and isinstance(target, Input):  # a single key costs nothing more
            event = self._typed_together(target, event)
        await super().on_event(event)
        self._wait_for(target, rounds=MAX_ROUNDS)

    def _typed_together(self, target: Input, first: events.Event) -> events.Event:
        """``first`` and the characters typed into the same field right behind it, as one
        paste: the field inserts them at once (a paste without bracketed paste, a fast
        typist) instead of one key and one round trip each. Only characters the field takes
        as text go together: they move no focus and open no screen. A key bound with priority
        does not: it runs elsewhere."""
        chain = self.screen._binding_chain  # noqa: SLF001 - how Textual itself finds priority keys
        priority = {
            key
            for _, bindings in chain
            for key, bound in bindings.key_to_bindings.items()
            if any(binding.priority for binding in bound)
        }

        def typed(event: events.Event) -> bool:
            return (
                isinstance(event, events.Key)
                and event.is_printable
                and event.key not in priority
            )

        if not typed(first):
            return first
        keys: list[events.Key] = [first]  # type: ignore[list-item]
        while len(keys) < MAX_TYPED_TOGETHER and self._arrived and typed(self._arrived[0]):
            keys.append(self._arrived.popleft())  # type: ignore[arg-type]
        if len(keys) == 1:
            return first
        paste = events.Paste("".join(key.character or "" for key in keys))
        paste.set_sender(first._sender or self)  # noqa: SLF001 - as the driver's events carry
        return paste

    def _target_of(self, event: events.Event) -> MessagePump:
        """Where ``event`` is going: the widget under a click, else the focused widget."""
        if isinstance(event, events.MouseEvent):
            try:
                widget, _ = self.get_widget_at(event.x, event.y)
            except NoWidget:
                return self.screen
            return widget
        return self.focused or self.screen

    async def resume_routing(self) -> None:
        """A screen that held the keys is ready for them."""
        if not self._round:
            await self._route_next()

    @staticmethod
    def _focus_auto_focus(screen: Screen[object]) -> None:
        """Typed with nothing focused: the key goes where the screen puts the cursor first."""
        selector = screen.AUTO_FOCUS if screen.AUTO_FOCUS is not None else screen.app.AUTO_FOCUS
        if not selector:
            return
        for widget in screen.query(selector):
            if widget.focusable:
                screen.set_focus(widget)
                return

    def _wait_for(self, start: MessagePump, *, rounds: int) -> None:
        """Send a round trip from ``start`` up to the App, behind what each node has queued.

        Each node on the way runs a callback after every message it had when the callback
        reached it (so after the event, which went ahead of it), then passes the callback to
        its parent; the App, last, then runs whatever the event scheduled on it (a focus
        change is one) before the next event is handed on.
        """
        number = self._begin_round(start, rounds)
        self._hop(number, start, start)

    @staticmethod
    def _depends_on_layout(event: events.Event) -> bool:
        """Tab and shift+Tab follow the widgets' places on the screen; a click lands on one."""
        if isinstance(event, events.Key):
            return event.key in ("tab", "shift+tab")
        return isinstance(event, events.MouseEvent)

    def _wait_for_layout(self, screen: Screen[object]) -> None:
        """A round trip through the screen's next refresh: widgets mounted by the events before
        have their places once it is back (see "Focus order before layout" above)."""
        number = self._begin_round(screen, 1)
        screen.call_after_refresh(self._came_back, number, screen)

    def _begin_round(self, start: MessagePump, rounds: int) -> int:
        """Number a new round trip from ``start`` and watch it for a stall; the events that
        arrive meanwhile wait."""
        self._round += 1
        self._rounds_left = rounds
        self._sent_at = asyncio.get_running_loop().time()
        self._watch_for_stall(self._round, start)
        return self._round

    def _watch_for_stall(self, number: int, start: MessagePump) -> None:
        # a loop timer, not a Textual one: this runs for every key, and a Textual timer is a task
        self._stall = asyncio.get_running_loop().call_later(
            STALL_SECONDS, self.call_later, self._came_back, number, start, True
        )

    def _hop(self, number: int, start: MessagePump, node: DOMNode | MessagePump | None) -> None:
        while node is not None and node is not self:
            parent = node.parent if isinstance(node, DOMNode) else None
            if isinstance(node, MessagePump) and node.call_later(
                self._hop, number, start, parent
            ):
                return
            node = parent  # closed on the way (removed): skip to its parent
        self.call_later(self._at_app, number, start)

    def _at_app(self, number: int, start: MessagePump) -> None:
        """The App has handled the event (it was queued here first) but not yet what that
        scheduled on the App meanwhile, such as a focus change: go round once more behind it."""
        self.call_later(self._came_back, number, start)

    async def _came_back(self, number: int, start: MessagePump, stalled: bool = False) -> None:
        if number != self._round:
            return  # an older round trip, already given up on
        if stalled and self._can_come_back(start):
            self._watch_for_stall(number, start)  # slow, not lost: the next event must wait
            return
        self._round = 0
        if self._stall is not None:
            self._stall.cancel()
            self._stall = None
        if not stalled and self._rounds_left > 1 and self._busy_after(start):
            self._wait_for(start, rounds=self._rounds_left - 1)
            return
        await self._route_next()

    def _can_come_back(self, start: MessagePump) -> bool:
        """Whether the round trip is only slow: its start is still on a running screen (every
        node it passes then is too), and it has not held the events too long already."""
        if asyncio.get_running_loop().time() - self._sent_at > STALL_LIMIT_SECONDS:
            return False
        if isinstance(start, DOMNode) and start is not self:
            return start.is_attached and start.is_running
        return True

    def _busy_after(self, start: MessagePump) -> bool:
        """Whether a node the event passed, or the newly focused one, has messages to handle
        (posted by the event's handlers, after the round trip went by)."""
        nodes: list[DOMNode] = []
        for first in (start, self.focused):
            if isinstance(first, DOMNode) and first.is_attached:
                nodes.extend(first.ancestors_with_self)
        return any(
            not node._message_queue.empty()  # noqa: SLF001 - Textual has no public way to ask
            for node in nodes
            if node is not self and node.is_running
        )


class HoldingScreen(Screen[ReturnType]):
    """A screen that can make input events wait while what they act on is not there yet: the
    next keys go nowhere until every :meth:`hold_input` has its :meth:`release_input`."""

    def __init__(self) -> None:
        super().__init__()
        self._holds = 0

    @property
    def holds_input(self) -> bool:
        return self._holds > 0

    def hold_input(self) -> None:
        self._holds += 1

    def release_input(self) -> None:
        self._holds = max(self._holds - 1, 0)
        if not self._holds and isinstance(self.app, KeysInOrderApp):
            self.app.call_later(self.app.resume_routing)


class StagedScreen(HoldingScreen[ReturnType]):
    """A screen that paints its first frame before it has mounted every widget: input events
    wait until it calls :meth:`mark_whole` (a Tab typed with the name must reach the field
    after it, not whatever is focusable in the first frame)."""

    def __init__(self) -> None:
        super().__init__()
        self._whole = asyncio.Event()
        self.hold_input()

    @property
    def is_whole(self) -> bool:
        return self._whole.is_set()

    async def whole(self) -> None:
        """Wait until every widget is mounted."""
        await self._whole.wait()

    def mark_whole(self) -> None:
        if not self._whole.is_set():
            self._whole.set()
            self.release_input()


class QuietInput(Input):
    """An Input whose typing repaints the field without laying out the screen (see above)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


def clear_notifications(app: App[object]) -> None:
    """``app.clear_notifications()``, and the empty toast holders it leaves on every screen (see
    "Cleared toasts keep their place" above)."""
    app.clear_notifications()
    for screen in app.screen_stack:
        screen.query(ToastHolder).remove()


class FittingFooter(Footer):
    """A Footer that shows only the keys that fit whole (see "Keys that fit" above).

    ``first`` names the keys to keep first when not all fit (``("c", "s", "escape")``); the
    others follow in the Footer's own order. The keys shown stay in that order.
    """

    MORE_KEY = "f1"
    """The key that lists every key (the app's help), offered when keys were left out."""

    def __init__(self, *, first: Sequence[str] = (), compact: bool = False) -> None:
        super().__init__(compact=compact)
        self.first = tuple(first)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        if self._bindings_ready:
            yield FooterKey(
                self.MORE_KEY,
                self.app.get_key_display(Binding(self.MORE_KEY, "")),
                "More",
                "",
                tooltip="Every key of this screen, with what it does",
                classes="-more",
            ).data_bind(compact=Footer.compact)

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        """Textual's arrangement, less the keys that do not fit beside the docked ones."""
        arranged = super().arrange(size, optimal)
        if not size.width:  # measured for an auto width: there is nothing to fit into yet
            return arranged
        docked = [each for each in arranged.placements if each.widget.styles.is_docked]
        row = sorted(
            (each for each in arranged.placements if not each.widget.styles.is_docked),
            key=lambda each: each.region.x,
        )
        room = min((each.region.x - each.margin.left for each in docked), default=size.width)
        more = [each for each in row if each.widget.has_class("-more")]
        keys = [each for each in row if not each.widget.has_class("-more")]
        shown = keys if _width(keys) <= room else self._most_important(keys, more, room)
        placements = [*_packed(shown), *docked]
        widgets = {each.widget for each in placements}
        return DockArrangeResult(placements, widgets, arranged.scroll_spacing)

    def _most_important(
        self, keys: list[WidgetPlacement], more: list[WidgetPlacement], room: int
    ) -> list[WidgetPlacement]:
        """The keys that fit with ``more`` behind them, taken most important first (one too
        wide is passed over for the next); in the order they came."""

        def rank(placement: WidgetPlacement) -> int:
            widget = placement.widget
            key = widget.key if isinstance(widget, FooterKey) else None
            return self.first.index(key) if key in self.first else len(self.first)

        kept: list[WidgetPlacement] = []
        for placement in sorted(keys, key=rank):  # a stable sort: the Footer's order next
            trial = [each for each in keys if each in kept or each is placement]
            if _width([*trial, *more]) <= room:
                kept.append(placement)
        shown = [each for each in keys if each in kept]
        return [*shown, *more] if _width([*shown, *more]) <= room else shown


def _packed(row: list[WidgetPlacement]) -> list[WidgetPlacement]:
    """``row`` side by side from the left, each margin between two the larger of the two."""
    packed: list[WidgetPlacement] = []
    x = 0
    for index, placement in enumerate(row):
        before = placement.margin.left if not index else max(
            row[index - 1].margin.right, placement.margin.left
        )
        x += before
        packed.append(placement._replace(region=placement.region._replace(x=x)))
        x += placement.region.width
    return packed


def _width(row: list[WidgetPlacement]) -> int:
    """The columns ``row`` takes packed, up to the right edge of its last widget."""
    packed = _packed(row)
    return packed[-1].region.right if packed else 0
