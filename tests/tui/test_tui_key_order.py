"""Keys that arrive together (one read from a slow SSH link) are applied in the order typed.

A terminal's bytes are parsed into Key events and posted to the app in one go. Textual 8.2.8's
Input inserts a printable key at once but runs a bound key (backspace, arrows, ctrl+u) only after
the event has bubbled to the app, so without ``TextInput`` "1web" + 4 x backspace + "web-1" in
one read leaves "1wewe" in the field. And Enter, a priority binding, runs as the app reads it,
before the field has the keys typed just before it, unless it waits for them
(``after_typed_keys``).
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from app.engine.requests import CreateKeyPairRequest
from app.engine.service import KeyPairService
from app.tui.app import KeyPairApp
from app.tui.screens.import_key_pair import ImportKeyPairModal
from app.tui.screens.key_pairs import KeyPairsScreen
from app.tui.screens.results import ResultsScreen
from app.tui.screens.save_key import SaveKeyDialog
from app.tui.widgets.tag_editor import TagEditor
from app.tui.widgets.text_input import TextInput
from tests.tui.tui_support import SIZE, create, pilot_test, until


def arrive_together(app: KeyPairApp, keys: list[str]) -> None:
    """Post the keys as the driver does for one read of the terminal: no await in between."""
    for key in keys:
        character = key if len(key) == 1 else SPECIAL_CHARACTERS.get(key)
        app.post_message(events.Key(key, character))


async def settle(pilot: Pilot[None], field: Input, expected: str) -> None:
    """Let the batch be handled, then check the field (and that nothing is applied late)."""
    for _ in range(100):
        if field.value == expected:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)
    assert field.value == expected


SPECIAL_CHARACTERS = {"backspace": "\x7f", "enter": "\r", "ctrl+j": "\n", "ctrl+u": "\x15"}
BURST = ["backspace"] * 4 + list("web-1")


@pilot_test
async def test_backspaces_and_letters_together_in_the_name(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#name", Input)
        await pilot.press(*"1web")
        arrive_together(app, BURST)
        await settle(pilot, field, "web-1")
        assert app.screen.query_one("#name-verdict").state == "ok"
        arrive_together(app, ["left", "left", "backspace", "x", "end", "2"])
        await settle(pilot, field, "wex-12")  # the "b" before the cursor went


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
        await settle(pilot, row.key_input, "env2")


@pilot_test
async def test_every_text_field_of_the_app_keeps_the_order(
    make_app: Callable[..., KeyPairApp],
) -> None:
    """The form, the key pairs filter, the import dialog, the save dialog: all are TextInputs."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        fields = list(app.screen.query(Input))
        await pilot.press("ctrl+o")
        await until(pilot, lambda: bool(app.screen.query("#filter")), "the key pairs screen")
        fields += app.screen.query(Input)
        await pilot.press("i")
        await until(pilot, lambda: bool(app.screen.query("#public-key")), "the import dialog")
        fields += app.screen.query(Input)
        await pilot.press("escape", "escape")
        await create(app, pilot)
        await pilot.press("s")
        await until(pilot, lambda: bool(app.screen.query("#path")), "the save dialog")
        fields += app.screen.query(Input)
        ids = {field.id for field in fields}
        assert {"name", "filter", "public-key", "path"} <= ids
        assert [type(f).__name__ for f in fields if not isinstance(f, TextInput)] == []


@pilot_test
async def test_a_name_and_enter_together_create_that_name_once(
    make_app: Callable[..., KeyPairApp], service: KeyPairService
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        arrive_together(app, [*"web-1", "enter", "enter"])
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.created.record.key_pair_name == "web-1"
    assert [r.key_pair_name for r in service.find_key_pairs("cn-hangzhou")] == ["web-1"]


@pilot_test
async def test_a_path_and_enter_together_save_to_that_path(
    make_app: Callable[..., KeyPairApp], tmp_path: Path, user_home: Path
) -> None:
    typed = tmp_path / "typed.pem"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SaveKeyDialog)
        arrive_together(app, ["ctrl+u", *str(typed), "enter", "enter"])
        await until(pilot, typed.exists, f"the key saved to {typed}")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    assert stat.S_IMODE(typed.stat().st_mode) == 0o600
    assert not (user_home / ".ssh" / "web-1.pem").exists()  # the proposed path was not used


@pilot_test
async def test_a_name_and_enter_together_import_that_name(
    make_app: Callable[..., KeyPairApp], service: KeyPairService
) -> None:
    created = service.create_key_pair(CreateKeyPairRequest("cn-beijing", "source"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
        await pilot.press("i")
        assert isinstance(app.screen, ImportKeyPairModal)
        app.screen.query_one("#public-key", Input).value = created.record.public_key
        assert app.screen.focused is app.screen.query_one("#name", Input)
        arrive_together(app, [*"laptop", "enter"])
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the import done")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [r.key_pair_name for r in service.find_key_pairs("cn-hangzhou")] == ["laptop"]


@pilot_test
async def test_a_name_and_enter_typed_before_the_form_had_the_focus_create_that_name(
    make_app: Callable[..., KeyPairApp], service: KeyPairService
) -> None:
    """Typed right after ``ecs-keypair``: the app reads the keys before any field has the focus,
    and the terminal, still in its line mode then, turned Enter into ctrl+j."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.set_focus(None)
        arrive_together(app, [*"early", "ctrl+j"])
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [r.key_pair_name for r in service.find_key_pairs("cn-hangzhou")] == ["early"]


@pilot_test
async def test_keys_sent_to_the_form_before_the_name_had_the_focus_go_to_the_name(
    make_app: Callable[..., KeyPairApp],
) -> None:
    """The app sent them to the screen while nothing had the focus; the screen handles them
    only once the name field has it (as seen in a terminal): they still go to the name."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#name", Input)
        assert app.screen.focused is field
        for key in "web":
            app.screen._forward_event(events.Key(key, key))  # noqa: SLF001 - what the app did
        await settle(pilot, field, "web")
        await pilot.press("-", "1")
        assert field.value == "web-1"
        assert app.screen.query_one("#name-verdict").state == "ok"
