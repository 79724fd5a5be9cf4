"""Keys that arrive together (one read from a slow SSH link, a paste, a fast typist) are applied
in the order typed, as a slow typist's are: a key that moves the focus takes effect before the
keys behind it are routed (see :mod:`ecs_keypair.tui.textual_compat`).

``arrive_together`` posts keys as Textual's driver does for one read of the terminal: every
event on the App's queue before the App handles the first. ``type_slowly`` is the slow typist:
one key, then a wait until the app has handled it and repainted.
"""

from __future__ import annotations

import asyncio
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import textual.screen
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui import PREFERENCES_FILE, textual_compat
from ecs_keypair.tui.app import KeyPairApp, make_app
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.import_key_pair import ImportKeyPairDialog
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from ecs_keypair.tui.widgets.verdict import Verdict
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from screenshots.scenes import RecordingClipboard
from tests.support.pilot import SIZE, create, made_by_ecs, pilot_test, until

REGION = "cn-hangzhou"
SPECIAL_CHARACTERS = {
    "backspace": "\x7f",
    "enter": "\r",
    "ctrl+j": "\n",
    "ctrl+u": "\x15",
    "tab": "\t",
    "ctrl+t": "\x14",
    "ctrl+r": "\x12",
    "slash": "/",
}
BURST = ["backspace"] * 4 + list("web-1")

Arrival = str | tuple[str, Widget]  # a key, or ("click", widget)


def click_point(widget: Widget) -> tuple[int, int]:
    """Where a click on ``widget`` lands: one cell into its first line."""
    return widget.region.x + 1, widget.region.y


async def until_clickable(pilot: Pilot[None], *widgets: Widget) -> None:
    """Wait until the screen has laid the widgets out where a click would find them (a row
    just added has no place on the screen until the next layout)."""

    def laid_out() -> bool:
        return all(
            widget.region and pilot.app.get_widget_at(*click_point(widget))[0] is widget
            for widget in widgets
        )

    await until(pilot, laid_out, "the widgets laid out")


def arrive_together(app: KeyPairApp, keys: Sequence[Arrival]) -> None:
    """Post the keys (and clicks) as the driver does for one read of the terminal."""
    for key in keys:
        if isinstance(key, tuple):
            _, widget = key
            x, y = click_point(widget)
            for kind in (events.MouseDown, events.MouseUp):
                app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, x, y))
            continue
        character = key if len(key) == 1 else SPECIAL_CHARACTERS.get(key)
        app.post_message(events.Key(key, character))


async def handled(pilot: Pilot[None], app: KeyPairApp) -> None:
    """Wait until every key posted has been routed and handled, and the screen repainted.

    The marker goes on the App's queue behind the keys: once it has run, the router has them.
    """
    read: list[bool] = []
    app.call_later(read.append, True)
    await until(pilot, lambda: bool(read) and app.routing_idle, "every key handled")
    await pilot.pause(0.05)


async def type_slowly(pilot: Pilot[None], keys: Sequence[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause(0.01)


async def settle_field(pilot: Pilot[None], field: Input, expected: str) -> None:
    """Let the batch be handled, then check the field (and that nothing is applied late)."""
    for _ in range(100):
        if field.value == expected:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)
    assert field.value == expected


def stored(backend: LocalBackend) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (record.key_pair_name, [(tag.key, tag.value) for tag in record.tags])
        for record in backend.find_key_pairs(REGION)
    ]


def form_state(app: KeyPairApp) -> tuple[str, list[tuple[str, str]], str | None]:
    """The name, the tag rows, and which field has the cursor (by role)."""
    screen = app.screen
    editor = screen.query_one(TagEditor)
    focused = screen.focused
    role = None if focused is None else (focused.id or " ".join(sorted(focused.classes)))
    name = screen.query_one("#name", Input).value
    return name, [(tag.key, tag.value) for tag in editor.tags], role


async def until_created(pilot: Pilot[None], app: KeyPairApp) -> None:
    await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
    await app.workers.wait_for_complete()
    await pilot.pause()


# -- the form --


@pytest.mark.parametrize("before_start", [False, True], ids=["on-the-form", "before-start"])
@pilot_test
async def test_the_issues_sequence_stores_the_name_and_the_tag(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend, before_start: bool
) -> None:
    """Found in tmux: this stored ``burst-2envprod`` without tags. Also posted before the app
    has even started: the keys wait for the form, in order."""
    app = make_app()
    keys = [*"burst-2", "ctrl+t", *"env", "tab", *"prod", "enter"]
    if before_start:
        arrive_together(app, keys)
    async with app.run_test(size=SIZE) as pilot:
        if not before_start:
            arrive_together(app, keys)
        await until_created(pilot, app)
    assert stored(backend) == [("burst-2", [("env", "prod")])]


@pilot_test
async def test_keys_wait_for_a_slow_round_trip(
    make_app: Callable[..., KeyPairApp],
    backend: LocalBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A loaded machine: every key's round trip outlasts the check for a lost one (found in
    a run of the suite beside other work: a Tab's focus move came after the key behind it)."""
    monkeypatch.setattr(textual_compat, "STALL_SECONDS", 0.0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        arrive_together(app, [*"burst-2", "ctrl+t", *"env", "tab", *"prod", "enter"])
        await until_created(pilot, app)
    assert stored(backend) == [("burst-2", [("env", "prod")])]


@pilot_test
async def test_shift_tab_right_after_a_new_row_follows_the_rows_order(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found under load: the screen lays out a new row only at its next refresh, and Textual
    orders shift+Tab by the widgets' places; here the refreshes are half a second apart."""
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 0.5)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        keys = ["k", "ctrl+t", "ctrl+t", "tab", "ctrl+t", "shift+tab", *"abc"]
        arrive_together(app, keys)
        await handled(pilot, app)
        assert form_state(app)[:2] == ("k", [("", ""), ("", "abc"), ("", "")])


@pilot_test
async def test_shift_tab_backspace_and_ctrl_r_together_across_rows(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    """(A field selects its text when it gets the focus: end, then backspace.)"""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        keys = [*"app-9", "ctrl+t", *"tiar", "tab", *"web", "shift+tab", "end", "backspace"]
        keys += ["backspace", *"er", "ctrl+t", *"gone", "ctrl+r"]
        keys += ["ctrl+t", *"owner", "tab", *"ops", "enter"]
        arrive_together(app, keys)
        await until_created(pilot, app)
    assert stored(backend) == [("app-9", [("tier", "web"), ("owner", "ops")])]


@pilot_test
async def test_ctrl_r_of_the_last_row_then_typing_goes_back_to_the_name(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        arrive_together(app, [*"db", "ctrl+t", *"x", "ctrl+r", "end", *"-2"])
        await handled(pilot, app)
        assert form_state(app) == ("db-2", [], "name")


@pilot_test
async def test_a_click_among_keys_moves_the_cursor_in_its_place(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        # a name of one letter has a verdict of two lines, which moves the rows below it:
        # the clicks are aimed at the layout of a name of two letters or more
        await pilot.press(*"we", "ctrl+t")
        row = app.screen.query_one(TagEditor).rows[0]
        name = app.screen.query_one("#name", Input)
        await until_clickable(pilot, name, row.value_input)
        arrive_together(app, [*"env", ("click", name), "end", "b", ("click", row.value_input), "1"])
        await handled(pilot, app)
        assert form_state(app)[:2] == ("web", [("env", "1")])


@pilot_test
async def test_backspaces_and_letters_together_in_the_name(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#name", Input)
        await pilot.press(*"1web")
        arrive_together(app, BURST)
        await settle_field(pilot, field, "web-1")
        assert app.screen.query_one("#name-verdict", Verdict).state == "ok"
        arrive_together(app, ["left", "left", "backspace", "x", "end", "2"])
        await settle_field(pilot, field, "wex-12")  # the "b" before the cursor went


@pilot_test
async def test_backspaces_and_letters_together_in_a_tag_key(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        row = app.screen.query_one(TagEditor).rows[0]
        await pilot.press(*"envv")
        arrive_together(app, ["backspace", "backspace", "v", "2"])
        await settle_field(pilot, row.key_input, "env2")


@pilot_test
async def test_a_name_and_enter_together_create_that_name_once(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        arrive_together(app, [*"web-1", "enter", "enter"])
        await until_created(pilot, app)
        assert isinstance(app.screen, ResultsScreen)
        assert made_by_ecs(app.screen).record.key_pair_name == "web-1"
    assert stored(backend) == [("web-1", [])]


@pilot_test
async def test_a_name_and_enter_typed_while_nothing_had_the_focus_create_that_name(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    """Typed right after ``ecs-keypair``: the keys come before any field has the focus, and
    the terminal, still in its line mode then, turned Enter into ctrl+j."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.set_focus(None)
        arrive_together(app, [*"early", "ctrl+j"])
        await until_created(pilot, app)
    assert stored(backend) == [("early", [])]


# -- the key pairs screen and the dialogs --


@pilot_test
async def test_filter_enter_and_delete_together_delete_the_match(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    """``/`` focuses the filter, Enter the table, ``d`` asks, ``y`` answers: in that order."""
    for name in ("web-1", "db-1"):
        backend.create_key_pair(CreateKeyPairRequest(REGION, name))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
        await app.workers.wait_for_complete()
        await pilot.pause()
        arrive_together(app, ["slash", *"db", "enter", "d"])
        await handled(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        assert "db-1" in app.screen.question
        arrive_together(app, ["y"])
        await until(pilot, lambda: [n for n, _ in stored(backend)] == ["web-1"], "the delete")


@pilot_test
async def test_import_dialog_name_tab_path_enter_together(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend, tmp_path: Path
) -> None:
    source = backend.create_key_pair(CreateKeyPairRequest("cn-beijing", "source"))
    path = tmp_path / "laptop.pub"
    path.write_text(source.record.public_key)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
        arrive_together(app, ["i", *"laptop", "tab", *str(path), "enter"])
        await until(pilot, lambda: bool(stored(backend)), "the import")
        await handled(pilot, app)
        assert isinstance(app.screen, KeyPairsScreen)
    assert stored(backend) == [("laptop", [])]


@pilot_test
async def test_a_name_and_enter_together_import_that_name(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    created = backend.create_key_pair(CreateKeyPairRequest("cn-beijing", "source"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
        await pilot.press("i")
        assert isinstance(app.screen, ImportKeyPairDialog)
        app.screen.query_one("#public-key", Input).value = created.record.public_key
        assert app.screen.focused is app.screen.query_one("#name", Input)
        arrive_together(app, [*"laptop", "enter"])
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the import done")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert stored(backend) == [("laptop", [])]


@pilot_test
async def test_s_a_path_and_enter_together_save_to_that_path(
    make_app: Callable[..., KeyPairApp], tmp_path: Path, user_home: Path
) -> None:
    """``s`` opens the dialog: the keys behind it wait for its path field."""
    typed = tmp_path / "typed.pem"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        arrive_together(app, ["s", "ctrl+u", *str(typed), "enter", "enter"])
        await until(pilot, typed.exists, f"the key saved to {typed}")
        await app.workers.wait_for_complete()
        await handled(pilot, app)
        assert isinstance(app.screen, ResultsScreen)
    assert stat.S_IMODE(typed.stat().st_mode) == 0o600
    assert not (user_home / ".ssh" / "web-1.pem").exists()  # the proposed path was not used


# -- together or one by one: the same key pair --

TEXT = st.sampled_from(list("ab-1"))
MOVES = st.sampled_from(["tab", "shift+tab", "ctrl+t", "ctrl+r", "backspace"])
SEQUENCES = st.lists(st.one_of(TEXT, TEXT, MOVES), min_size=1, max_size=14)


async def outcome(keys: list[str], together: bool) -> tuple[object, ...]:
    """The form after the keys, and what Enter then stored, on a fresh store."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        backend = LocalBackend(KeyPairStore(home))
        app = make_app(
            lambda: backend,
            clipboard=RecordingClipboard(),
            preferences_path=home / PREFERENCES_FILE,
        )
        async with app.run_test(size=SIZE) as pilot:
            if together:
                arrive_together(app, keys)
                await handled(pilot, app)
            else:
                await type_slowly(pilot, keys)
            form = form_state(app)
            app.form.action_create()  # Enter's action, wherever the cursor ended up
            await app.workers.wait_for_complete()
            await pilot.pause()
        return form, stored(backend)


@settings(max_examples=12)
@given(keys=SEQUENCES)
def test_keys_together_give_what_a_slow_typist_gets(keys: list[str]) -> None:
    keys = ["k", *keys]  # a name that starts with a letter, so most sequences store something
    assert asyncio.run(outcome(keys, together=True)) == asyncio.run(outcome(keys, together=False))


@pilot_test
async def test_a_burst_of_characters_reaches_the_field_whole_in_a_few_steps(
    make_app: Callable[..., KeyPairApp],
) -> None:
    """A paste without bracketed paste is thousands of keys in one read: they land whole and in
    order, handed to the field a batch at a time (one change each), not a round trip a key;
    the Tab behind them still moves on only after them."""
    changes: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Input.Changed) and message.input.id == "name":
            changes.append(message.value)

    text = "".join(chr(ord("a") + n % 26) for n in range(3000))
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        arrive_together(app, [*text, "tab"])
        await handled(pilot, app)
        assert app.form.name_input.value == text
        assert app.screen.focused is not app.form.name_input
        batches = -(-len(text) // textual_compat.MAX_TYPED_TOGETHER)
        assert len(set(changes)) <= batches + 1  # the hook sees each message at every node
