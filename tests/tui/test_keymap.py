"""Every key binding has an id, and the settings file's keymap rebinds keys in the running app."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import ecs_keypair.tui.screens
import ecs_keypair.tui.widgets
import pytest
from ecs_keypair.tui import PREFERENCES_FILE
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.keymap import BINDING_IDS
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.help import HelpScreen, key_table
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from tests.support.pilot import SIZE, create, pilot_test, press_and_settle, until


def declaring_classes() -> Iterator[type[DOMNode]]:
    """The App and every screen, dialog and widget of the app that declares BINDINGS."""
    yield KeyPairApp
    for package in (ecs_keypair.tui.screens, ecs_keypair.tui.widgets):
        for module_info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(module_info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    cls.__module__ == module.__name__
                    and issubclass(cls, DOMNode)
                    and "BINDINGS" in cls.__dict__
                ):
                    yield cls


def declared(cls: type[DOMNode]) -> list[Binding]:
    bindings = cls.__dict__["BINDINGS"]
    assert all(isinstance(each, Binding) for each in bindings), f"{cls.__name__}: a tuple binding"
    return list(bindings)


def test_every_binding_has_an_id_unique_in_the_app() -> None:
    seen: dict[str, str] = {}
    classes = list(declaring_classes())
    assert {cls.__name__ for cls in classes} >= {
        "KeyPairApp", "CreateKeyPairScreen", "ResultsScreen", "KeyPairsScreen", "HelpScreen",
        "SaveKeyDialog", "ConfirmDialog",
    }
    for cls in classes:
        for binding in declared(cls):
            where = f"{cls.__name__}: {binding.key} -> {binding.action}"
            assert binding.id, f"{where} has no id"
            assert binding.id not in seen, f"{where}: id {binding.id} also in {seen[binding.id]}"
            seen[binding.id] = cls.__name__
    assert set(seen) == BINDING_IDS  # the list the settings file is checked against


def test_the_apps_own_keys_from_textual_have_ids_too() -> None:
    """Quit, the palette and ctrl+c are Textual's: the app declares them again with ids."""
    merged = KeyPairApp._merge_bindings()
    assert [binding for _, binding in merged if not binding.id] == []


def test_each_screens_keys_and_the_apps_have_distinct_ids() -> None:
    """A screen's chain (its bindings, inherited ones included, and the App's) names each id
    once per binding, so a keymap entry moves one binding."""
    app_ids = [binding.id for binding in declared(KeyPairApp)]
    for cls in declaring_classes():
        if not issubclass(cls, Screen):
            continue
        ids = [binding.id for binding in declared(cls)] + app_ids
        assert len(ids) == len(set(ids)), cls.__name__


def write_settings(home: Path, settings: object) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / PREFERENCES_FILE
    path.write_text(json.dumps(settings), encoding="utf-8")
    return path


def messages(app: KeyPairApp) -> list[str]:
    return [notification.message for notification in app._notifications]


@pilot_test
async def test_a_keymap_in_the_settings_file_rebinds_an_app_key(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    write_settings(home, {"keymap": {"app.help": "f2"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, CreateKeyPairScreen)  # f1 no longer opens help
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "f2 opened help")
        assert isinstance(app.screen, HelpScreen)
        listed = {each.does: each for each in app.screen.keys}
        assert listed["Help"].key == "f2"  # and help shows the new key (? is typed here)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, CreateKeyPairScreen), "f2 closed it")
        assert messages(app) == []


@pilot_test
async def test_a_keymap_rebinds_a_screens_key_and_its_footer_says_so(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    write_settings(home, {"keymap": {"create.key-pairs": "f5", "results.copy-key": "y"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CreateKeyPairScreen)
        footer_keys = {
            active.binding.description: key for key, active in app.screen.active_bindings.items()
        }
        assert footer_keys["Key pairs"] == "f5"
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "f5 opened key pairs")
        await press_and_settle(app, pilot, "escape")
        screen = await create(app, pilot)
        await press_and_settle(app, pilot, "c")
        assert not screen.key_is_safe  # c copies nothing now
        await press_and_settle(app, pilot, "y")
        assert screen.key_is_safe
        assert isinstance(app.screen, ResultsScreen)


@pilot_test
async def test_the_palette_key_can_move_and_the_footer_follows(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    write_settings(home, {"keymap": {"app.command-palette": "f3"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.COMMAND_PALETTE_BINDING == "f3"
        await pilot.press("f3")
        await until(pilot, lambda: app.screen.id == "--command-palette", "f3 opened the palette")


@pytest.mark.parametrize(
    ("keymap", "named"),
    [
        ({"app.nothing": "f2"}, "no binding has the id 'app.nothing'"),
        ({"app.help": 5}, "app.help must be a string of keys"),
        ({"app.help": "ctrl+"}, "app.help: 'ctrl+' is not a key name"),
        ({"app.help": "bogus-key"}, "app.help: 'bogus-key' is not a key name"),
        ({"app.help": ""}, "app.help: no key given"),
        ({"app.help": "\x1b[2J"}, "app.help: '\\x1b[2J' is not a key name"),
        (["app.help"], "keymap must be an object"),
    ],
)
@pilot_test
async def test_a_keymap_entry_that_cannot_be_used_is_named_and_the_rest_is_used(
    make_app: Callable[..., KeyPairApp], home: Path, keymap: object, named: str
) -> None:
    entries = {"create.add-tag": "f6", **keymap} if isinstance(keymap, dict) else keymap
    write_settings(home, {"keymap": entries})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        (message,) = messages(app)
        assert named in message and PREFERENCES_FILE in message
        assert "\x1b" not in message
        await pilot.press("f1")  # the default key still works
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "f1 opened help")
        await pilot.press("escape")
        if isinstance(keymap, dict):
            await pilot.press("f6")  # the good entry beside the bad one is used
            await until(pilot, lambda: len(app.form.tag_editor.rows) == 1, "f6 added a tag row")


@pilot_test
async def test_a_keymap_that_takes_a_key_textual_binds_says_so_once(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    """Textual reports a clash only with a binding that has no id (its own tab, say): said
    once, however often the keys are looked at. (One with an id loses its key silently:
    Textual 8.2.8 counts a binding with an id as rebound even when the keymap does not name
    it.)"""
    write_settings(home, {"keymap": {"create.add-tag": "tab"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await until(pilot, lambda: len(app.form.tag_editor.rows) == 1, "tab added a tag row")
        await pilot.press("escape", "escape")
        clashes = [each for each in messages(app) if each.startswith("Keymap:")]
        assert clashes == [
            "Keymap: tab no longer does Focus Next: the keymap gave it to another action."
        ]


@pilot_test
async def test_help_names_the_id_of_each_key_a_keymap_can_move(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "f1 opened help")
        assert isinstance(app.screen, HelpScreen)
        listed = {each.does: each.ids for each in app.screen.keys}
        assert listed["Add tag"] == "create.add-tag"
        assert listed["Quit"] == "app.quit"
        assert listed["Delete character left"] == ""  # a text field's own key: Textual's
        table = key_table(app.screen.keys)
        cells = [str(cell) for cell in table.columns[1].cells]
        assert "Add tag  create.add-tag" in cells
