"""A line that judged what was typed says nothing about it once it changed: the form's status
line, the save dialog's problem, the tags dialog's problem and the copy dialog's problem go back
to their hint when what they judged changes (a region, a tag row taken away, a path, a pick)."""

from __future__ import annotations

from pathlib import Path

from ecs_keypair.contract.api_requests import CreateKeyPairRequest, ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.copy_key_pair import PICK_HINT, CopyKeyPairDialog
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.screens.save_key import SAVE_HINT, SaveKeyDialog
from ecs_keypair.tui.widgets.region_picker import RegionPicker
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.pilot import Pilot
from textual.widgets import Input, Select

from screenshots.scenes import settle
from tests.support.engine import PUBLIC_LINE
from tests.support.pilot import (
    SIZE,
    MakeApp,
    create,
    open_key_pairs,
    open_row_dialog,
    pilot_test,
    press_and_settle,
    type_text,
)


def status(app: KeyPairApp) -> Verdict:
    return app.form.query_one("#status", Verdict)


async def pick_region(pilot: Pilot[None], region_id: str) -> None:
    """From the name field: Tab to the region list, open it, type the region, Enter."""
    await pilot.press("tab", "enter")
    await type_text(pilot, region_id)
    await pilot.press("enter")
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, KeyPairApp)
    assert app.form.region_id == region_id


@pilot_test
async def test_a_region_change_clears_the_status_that_judged_the_old_region(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.create_key_pair(CreateKeyPairRequest("cn-shanghai", "web-1"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await pick_region(pilot, "cn-shanghai")
        await pilot.press("shift+tab")
        await press_and_settle(app, pilot, "enter")
        assert status(app).state == "problem"
        assert "already exists in cn-shanghai" in status(app).text
        assert app.form.focused is app.form.name_input  # Enter put the cursor on the problem
        await pick_region(pilot, "cn-hangzhou")
        assert app.form.query_one("#name-verdict", Verdict).text == "✓ free in cn-hangzhou"
        assert "cn-shanghai" not in status(app).text
        assert status(app).state == "hint"


@pilot_test
async def test_back_from_the_key_pairs_the_status_no_longer_says_what_may_have_changed(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    """The name was taken; the key pair is deleted on the key pairs screen: back on the form,
    the name's verdict says it is free, and the status line does not say otherwise."""
    backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", "web-1"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await press_and_settle(app, pilot, "enter")
        assert "already exists in cn-hangzhou" in status(app).text
        await open_key_pairs(pilot)
        await pilot.press("d")
        await pilot.pause()
        await press_and_settle(app, pilot, "y")
        await press_and_settle(app, pilot, "escape")
        assert app.screen is app.form
        assert app.form.query_one("#name-verdict", Verdict).text == "✓ free in cn-hangzhou"
        assert status(app).state == "hint"


@pilot_test
async def test_removing_the_bad_tag_row_clears_the_status_that_named_it(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await pilot.press("ctrl+t")
        await type_text(pilot, "aliyun-x")
        await press_and_settle(app, pilot, "enter")
        assert status(app).state == "problem"
        assert "Tag.1.Key" in status(app).text
        await pilot.press("ctrl+r")  # the cursor is in that row's key
        await pilot.pause()
        assert app.form.tag_editor.rows == []
        assert "Tag.1.Key" not in status(app).text
        assert status(app).state == "hint"


@pilot_test
async def test_picking_an_import_region_clears_the_status_that_asked_for_one(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        app.form.query_one("#key-source", Select).value = "here"
        await pilot.pause()
        regions = app.form.query_one("#import-regions", RegionPicker)
        regions.focus()
        await pilot.pause()
        regions.deselect_all()
        await pilot.pause()
        app.form.name_input.focus()
        await press_and_settle(app, pilot, "enter")
        assert "pick at least one region" in status(app).text
        assert app.form.focused is regions
        await pilot.press("space")  # the form's region, highlighted
        await pilot.pause()
        assert regions.picked == ["cn-hangzhou"]
        assert status(app).state == "hint"
        assert "pick at least one region" not in status(app).text


async def reopened_with_a_problem(app: KeyPairApp, pilot: Pilot[None], path: Path) -> SaveKeyDialog:
    await create(app, pilot)
    await pilot.press("s")
    dialog = app.screen
    assert isinstance(dialog, SaveKeyDialog)
    dialog.query_one("#path", Input).value = str(path)
    await press_and_settle(app, pilot, "enter")
    dialog = app.screen
    assert isinstance(dialog, SaveKeyDialog)
    assert dialog.query_one("#save-problem", Verdict).state == "problem"
    return dialog


@pilot_test
async def test_the_save_problem_goes_once_the_path_is_edited(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await reopened_with_a_problem(app, pilot, tmp_path / "no" / "such" / "key.pem")
        assert dialog.focused is dialog.query_one("#path", Input)
        await pilot.press("backspace")
        await pilot.pause()
        problem = dialog.query_one("#save-problem", Verdict)
        assert (problem.state, problem.text) == ("hint", SAVE_HINT)


@pilot_test
async def test_the_save_problem_goes_once_another_format_is_picked(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await reopened_with_a_problem(app, pilot, tmp_path / "no" / "such" / "key.pem")
        await pilot.press("tab", "enter", "down", "enter")  # the format list: the next format
        await pilot.pause()
        assert dialog.query_one("#key-format", Select).value != "pem"
        assert dialog.query_one("#save-problem", Verdict).state == "hint"


@pilot_test
async def test_the_tags_dialogs_problem_goes_with_the_row_it_named(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE))
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        await pilot.press("ctrl+t")
        await type_text(pilot, "aliyun-x")
        await pilot.press("enter")
        await pilot.pause()
        problem = dialog.query_one("#problem", Verdict)
        assert "InvalidTagKey.Malformed" in problem.text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert dialog.query_one(TagEditor).rows == []
        assert "InvalidTagKey" not in problem.text
        assert problem.state == "hint"


@pilot_test
async def test_the_copy_dialogs_problem_goes_once_a_region_is_picked(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_row_dialog(pilot, "c", CopyKeyPairDialog)
        await pilot.press("enter")
        await pilot.pause()
        problem = dialog.query_one("#copy-problem", Verdict)
        assert "pick at least one region" in problem.text
        await pilot.press("down", "space")
        await pilot.pause()
        assert dialog.query_one("#regions", RegionPicker).picked
        assert (problem.state, problem.text) == ("hint", PICK_HINT)
