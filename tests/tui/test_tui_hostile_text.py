"""Hostile text in the store (written before the rules refused it) or from an endpoint is drawn
with every control, bidi and invisible character shown as an escape, never sent raw: checked on
what the screens render, the text of the strips Textual writes to the terminal."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.contract.results import CreatedKeyPair
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from textual import events
from textual.pilot import Pilot
from textual.widgets import Select
from textual.widgets._toast import Toast

from screenshots.scenes import settle
from tests.support.hostile import (
    HOSTILE_GROUP_DISPLAY_NAME,
    raw_controls,
    store_hostile_key_pairs,
)
from tests.support.pilot import SIZE, MakeApp, drawn, open_key_pairs, pilot_test, until
from tests.support.terminal import program_on_terminal

HOSTILE_MESSAGE = "The endpoint says \x1b]0;owned\x07 \x9b2J \u202eevil\nsecond line"


def assert_drawn_safely(app: KeyPairApp) -> str:
    """What the screen draws holds no raw control (no line break or tab either: a strip is one
    line of cells), bidi or invisible character; returns it."""
    text = drawn(app)
    assert raw_controls(text.encode()) == [], repr(text)
    assert "\n" not in text and "\t" not in text
    return text


@pytest.fixture
def hostile(backend: LocalBackend) -> LocalBackend:
    store_hostile_key_pairs(backend)
    return backend


async def key_pairs_read(pilot: Pilot[None]) -> KeyPairsScreen:
    await open_key_pairs(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, KeyPairsScreen)
    await until(pilot, lambda: screen._local_keys is not None, "~/.ssh was scanned")
    await settle(pilot)
    return screen


@pilot_test
async def test_the_key_pairs_table_and_details_show_escapes(
    make_app: MakeApp, hostile: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        await key_pairs_read(pilot)
        text = assert_drawn_safely(app)
        assert "evil\\x1b]0;named\\x07" in text  # the name's cell
        assert "ops\\x1b[2J" in text  # the group's cell and the details line
        assert "clip=\\x1b]52;c;" in text  # the tags
        assert "title=\\x1b]0;owned\\x07" in text and "two\\nlines=" in text


@pilot_test
async def test_the_edit_dialog_shows_each_control_as_a_visible_character(
    make_app: MakeApp, hostile: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await key_pairs_read(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, EditKeyPairDialog)
        text = assert_drawn_safely(app)
        assert "Tags and group of tagged" in text
        # a field being edited keeps one character for one (Rich drops BEL, BS, VT, FF, CR)
        assert "␛]0;owned" in text and "␛[2Jwiped" in text and "\ufffd31mred" in text
        assert "must not contain a control character (U+001B)" in text
        assert "ops\\x1b[2J" in text  # the group picked


@pilot_test
async def test_a_name_is_shown_escaped_in_the_question_and_the_notification(
    make_app: MakeApp, hostile: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await key_pairs_read(pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "evil\\x1b]0;named\\x07 will be removed" in assert_drawn_safely(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, KeyPairsScreen)
        await until(pilot, lambda: bool(app.screen.query(Toast)), "the notification")
        await pilot.pause()
        assert "Deleted evil\\x1b]0;named\\x07" in assert_drawn_safely(app)


@pilot_test
async def test_the_form_s_group_picker_shows_the_display_name_escaped(
    make_app: MakeApp, hostile: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        group = next(
            each for each in hostile.resource_groups()
            if each.display_name == HOSTILE_GROUP_DISPLAY_NAME
        )
        app.screen.query_one("#resource-group", Select).value = group.id
        await settle(pilot)
        assert "Ops\\x9b2J\\u202e" in assert_drawn_safely(app)


@pilot_test
async def test_the_form_refuses_a_pasted_tag_holding_an_escape_and_shows_it_visibly(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"web-1", "ctrl+t", *"k", "tab")
        focused = app.screen.focused
        assert focused is not None
        focused.post_message(events.Paste("\x1b]52;c;eA==\x07"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        row = app.screen.query_one(TagEditor).rows[0]
        assert app.screen.focused is row.value_input
        problem = "must not contain a control character (U+001B) · InvalidTagValue.Malformed"
        assert row.verdict.text == problem
        assert "␛]52;c;eA==" in assert_drawn_safely(app)
    assert backend.count_key_pairs("cn-hangzhou") == 0


class HostileEndpoint(LocalBackend):
    """A backend whose answers carry hostile text, as a hostile endpoint's would."""

    backend_label = "endpoint http://\x1b]0;evil\x07.example"

    def find_key_pairs(self, *args: object, **kwargs: object) -> list[KeyPairRecord]:
        raise ApiException(ApiError("Evil\x1b[2J.Code", HOSTILE_MESSAGE, 400))

    def create_key_pair(self, request: CreateKeyPairRequest) -> CreatedKeyPair:
        created = super().create_key_pair(request)
        record = replace(created.record, key_pair_id="ssh-\x1b]52;c;eA==\x07")
        return replace(created, record=record, request_id="\u202eDI-tseuqeR")


@pytest.fixture
def endpoint(backend: LocalBackend) -> HostileEndpoint:
    return HostileEndpoint(backend.store)


@pilot_test
async def test_an_endpoint_s_label_and_error_message_are_shown_escaped(
    make_app: MakeApp, endpoint: HostileEndpoint
) -> None:
    app = make_app(backend=endpoint)
    async with app.run_test(size=(160, 30)) as pilot:
        assert "endpoint http://\\x1b]0;evil\\x07.example" in assert_drawn_safely(app)
        await key_pairs_read(pilot)
        text = assert_drawn_safely(app)
        assert "could not be read" in text and "\\x1b]0;owned\\x07 \\x9b2J \\u202eevil" in text
        assert "\\nsecond line" in text


@pilot_test
async def test_the_results_show_an_endpoint_s_answer_escaped(
    make_app: MakeApp, endpoint: HostileEndpoint
) -> None:
    app = make_app(backend=endpoint)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"web-1", "enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await settle(pilot)
        text = assert_drawn_safely(app)
        assert "ssh-\\x1b]52;c;eA==\\x07" in text and "\\u202eDI-tseuqeR" in text


# Written by the data, never by Textual's own driver (which sends OSC 52 only when it copies,
# and BEL only to end its OSC 22, the mouse pointer's shape).
DATA_SEQUENCES = (b"\x1b]52;", b"\x1b]0;", b"\x1b[2J", b"\x07", b"\x00")
POINTER_SHAPE = re.compile(rb"\x1b\]22;[a-z-]*\x07")


def test_the_real_program_sends_the_terminal_no_sequence_of_the_data(
    hostile: LocalBackend,
) -> None:
    """``ecs-keypair`` on a pseudo-terminal of 80 x 24 over the hostile store: the key pairs
    screen (ctrl+o) and its edit dialog (t) are drawn, and the bytes the terminal got hold no
    escape sequence, C1, bidi or invisible character of the data: only its visible escapes."""
    with program_on_terminal() as terminal:
        terminal.wait_for(b"KeyPairName", "the form")
        terminal.press(b"\x0f")  # ctrl+o
        terminal.wait_for(b"2 / 500 used", "the key pairs screen")
        terminal.wait_for(b"nul=nul", "the details line's tags")
        terminal.press(b"t")
        terminal.wait_for(b"Tags and group of", "the edit dialog")
        terminal.wait_for(b"U+001B", "the verdicts of its tags")
        terminal.press(b"\x1b")
        terminal.wait_for(b"Delete", "the key pairs screen again")
        terminal.press(b"\x11")  # ctrl+q
        assert terminal.finish() == 0
    written = POINTER_SHAPE.sub(b"", terminal.written)
    assert [sequence for sequence in DATA_SEQUENCES if sequence in written] == []
    assert raw_controls(written.replace(b"\x1b", b"").replace(b"\r", b"")) == []
    assert b"\\x1b]52;c;" in written and b"\\x1b]0;owned" in written  # shown, visibly
