"""Canaries: plain Textual, driven with the input each workaround in
app/ecs_keypair/tui/textual_compat.py exists for, expecting what a user would. Each is
``xfail(strict=True)``: while Textual 8.2.8 gets it wrong the test fails as expected; the day an
upgrade gets it right the test passes, the suite fails, and the workaround it names can be
removed.

The app's own behaviour with the same input is tested in test_tui_key_order.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import textual.screen
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label

from tests.support.layouts import layouts_while_typing
from tests.support.pilot import SIZE, pilot_test, until

CHARACTERS = {"backspace": "\x7f", "enter": "\r", "tab": "\t"}


class AllPosted(Message):
    """Posted behind a read's keys: the app handles messages in order."""


class CanaryApp(App[None]):
    """An app that says when it has handled every key posted before an ``AllPosted``."""

    def __init__(self) -> None:
        super().__init__()
        self.handled_all = False

    def on_all_posted(self) -> None:
        self.handled_all = True


async def handle_all(app: CanaryApp, pilot: Pilot[None], keys: Sequence[str]) -> None:
    """Post ``keys`` as one terminal read; wait until the app has handled them (however slow
    the machine), then until every widget has handled what they sent it."""
    together(app, keys)
    app.post_message(AllPosted())
    await until(pilot, lambda: app.handled_all, "the keys handled")
    await pilot.pause()


class PlainForm(CanaryApp):
    """Two fields and a priority Enter that records the first field, as the form has."""

    AUTO_FOCUS = "#first"
    BINDINGS = [Binding("enter", "submit", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")

    def action_submit(self) -> None:
        self.submitted.append(self.query_one("#first", Input).value)


def together(app: App[None], keys: Sequence[str]) -> None:
    """As the driver posts the keys of one terminal read."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else CHARACTERS.get(key)))


async def values_after(app: PlainForm, keys: Sequence[str]) -> tuple[str, str]:
    async with app.run_test(size=SIZE) as pilot:
        await handle_all(app, pilot, keys)
        return app.query_one("#first", Input).value, app.query_one("#second", Input).value


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="KeysInOrderApp: a key that moves the focus goes first",
)
@pilot_test
async def test_keys_after_tab_in_one_read_go_to_the_next_field() -> None:
    assert await values_after(PlainForm(), ["a", "tab", "b"]) == ("a", "b")


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="KeysInOrderApp: Textual issue 6605, backspace runs late",
)
@pilot_test
async def test_backspaces_among_letters_in_one_read_delete_in_order() -> None:
    keys = [*"1web", "backspace", "backspace", "backspace", "backspace", *"web-1"]
    assert (await values_after(PlainForm(), keys))[0] == "web-1"


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="KeysInOrderApp: a priority binding runs before the keys",
)
@pilot_test
async def test_a_priority_enter_sees_the_keys_typed_before_it() -> None:
    app = PlainForm()
    async with app.run_test(size=SIZE) as pilot:
        together(app, [*"web-1", "enter"])
        await until(pilot, lambda: bool(app.submitted), "the submit")
        assert app.submitted == ["web-1"]


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="KeysInOrderApp: typed with nothing focused",
)
@pilot_test
async def test_keys_typed_while_nothing_has_the_focus_reach_the_auto_focus_field() -> None:
    app = PlainForm()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.set_focus(None)
        await handle_all(app, pilot, list("early"))
        assert app.query_one("#first", Input).value == "early"


class PathDialog(ModalScreen[None]):
    AUTO_FOCUS = "#path"

    def compose(self) -> ComposeResult:
        yield Input(id="path")


class OpensADialog(CanaryApp):
    BINDINGS = [Binding("s", "open")]

    def compose(self) -> ComposeResult:
        yield Label("press s")

    def action_open(self) -> None:
        self.push_screen(PathDialog())


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="KeysInOrderApp: keys wait for the screen a key opened",
)
@pilot_test
async def test_keys_after_one_that_opens_a_dialog_reach_the_dialogs_field() -> None:
    app = OpensADialog()
    async with app.run_test(size=SIZE) as pilot:
        await handle_all(app, pilot, ["s", *"key.pem"])
        assert isinstance(app.screen, PathDialog)
        assert app.screen.query_one("#path", Input).value == "key.pem"


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="ENTER: a typed-ahead Enter is read as ctrl+j",
)
def test_a_line_feed_typed_ahead_is_read_as_enter() -> None:
    """Before raw mode the terminal turns Enter's CR into LF; Textual reads LF as ctrl+j."""
    from textual._xterm_parser import XTermParser  # the driver's parser: no public entry point

    keys = [event for event in XTermParser().feed("\n") if isinstance(event, events.Key)]
    assert [key.key for key in keys] == ["enter"]


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="QuietInput: each keystroke lays out the whole screen",
)
@pilot_test
async def test_typing_into_a_field_does_not_lay_out_the_screen() -> None:
    layouts, _ = await layouts_while_typing(Input(), "web-1")
    assert layouts == 0


class GrowingRows(App[None]):
    """Rows of fields; ``add`` mounts one more at the end and moves back from it at once."""

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")

    async def add_and_go_back(self) -> Widget | None:
        new = Input(id="third")
        await self.screen.mount(new)
        self.screen.set_focus(new)
        return self.screen.focus_previous()


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="KeysInOrderApp: focus order before layout",
)
@pilot_test
async def test_shift_tab_from_a_field_just_mounted_goes_to_the_one_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 0.5)  # no refresh in between
    app = GrowingRows()
    async with app.run_test(size=SIZE) as pilot:
        second = app.query_one("#second", Input)
        await until(pilot, lambda: second.region.height > 0, "the first layout")
        went_to = await app.add_and_go_back()
        assert went_to is not None and went_to.id == "second"
