"""F1 (or ? where no text field takes it) shows the keys of the screen in front."""

from __future__ import annotations

from collections.abc import Callable

from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.help import HelpScreen, KeyHelp
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.save_key import SaveKeyDialog

from tests.support.pilot import SIZE, create, open_key_pairs, pilot_test, press_and_settle


def listed(app: KeyPairApp) -> dict[str, KeyHelp]:
    assert isinstance(app.screen, HelpScreen)
    return {each.does: each for each in app.screen.keys}


@pilot_test
async def test_f1_on_the_form_lists_its_keys_and_escape_goes_back(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        keys = listed(app)
        assert keys["Create"].group == "This screen" and keys["Create"].key.startswith("⏎")
        assert keys["Add tag"].key == "^t"
        assert keys["Quit"] == KeyHelp("Everywhere", "^q", "Quit", "app.quit")
        assert keys["Delete character left"].group == "In a text field"
        await pilot.press("escape")
        assert isinstance(app.screen, CreateKeyPairScreen)


@pilot_test
async def test_a_question_mark_is_typed_into_a_field_and_opens_help_elsewhere(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "?")
        assert isinstance(app.screen, CreateKeyPairScreen)
        assert app.form.name_input.value == "w?"
        await open_key_pairs(pilot)
        await pilot.press("?")
        keys = listed(app)
        assert {"Delete", "Import", "Filter"} <= set(keys)
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeyPairsScreen)



@pilot_test
async def test_a_question_mark_in_a_dialog_without_a_text_field_opens_help(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "escape")  # leave without the key? yes or no
        await pilot.press("question_mark")
        assert {"Yes", "No"} <= set(listed(app))


@pilot_test
async def test_help_in_a_dialog_lists_the_dialogs_keys(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await press_and_settle(app, pilot, "s")
        await pilot.press("f1")
        keys = listed(app)
        assert keys["Save"].group == "This screen" and keys["Cancel"].key == "esc"
        await pilot.press("f1")
        assert isinstance(app.screen, SaveKeyDialog)
