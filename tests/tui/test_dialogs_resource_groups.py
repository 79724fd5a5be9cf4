"""The resource group lists: the default group once (the blank entry is the default group), and
a group made meanwhile by the command line, in another process, listed by the time the list is
opened, on the form and in the tags dialog."""

from __future__ import annotations

from ecs_keypair.contract.api_requests import CreateResourceGroupRequest, ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import DEFAULT_GROUP_NAME
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.widgets import group_select
from rich.text import Text
from textual.widgets import OptionList, Select

from screenshots.scenes import settle
from tests.support.cli import run_module
from tests.support.engine import PUBLIC_LINE
from tests.support.pilot import (
    SIZE,
    MakeApp,
    open_key_pairs,
    pilot_test,
    press_and_settle,
    type_text,
)


def listed(select: Select[str]) -> list[str]:
    """The lines of the select's open list, as drawn."""
    overlay = select.query_one(OptionList)
    prompts = [overlay.get_option_at_index(i).prompt for i in range(overlay.option_count)]
    return [prompt.plain if isinstance(prompt, Text) else str(prompt) for prompt in prompts]


def made_by_the_command_line(name: str, display_name: str) -> str:
    """A group made by ``ecs-keypair CreateResourceGroup`` in its own process; its id."""
    made = run_module("CreateResourceGroup", "--Name", name, "--DisplayName", display_name)
    return made.body["ResourceGroup"]["Id"]


def test_the_default_groups_name_is_the_stores() -> None:
    assert group_select.DEFAULT_GROUP_NAME == DEFAULT_GROUP_NAME


@pilot_test
async def test_the_form_lists_the_default_group_once(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.create_resource_group(CreateResourceGroupRequest("dev", "Development"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        select = app.form.query_one("#resource-group", Select)
        assert select.expanded
        shown = listed(select)
        assert [line for line in shown if "Default Resource Group" in line] == [
            "Default Resource Group"
        ]
        assert any(line.startswith("Development  rg-") for line in shown)
        await press_and_settle(app, pilot, "enter")  # the blank entry: the default group
        assert select.is_blank()


@pilot_test
async def test_a_group_made_meanwhile_is_on_the_forms_list_when_it_opens(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        group_id = made_by_the_command_line("ops", "Operations")
        await type_text(pilot, "web-1")
        await pilot.press("tab", "tab")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        select = app.form.query_one("#resource-group", Select)
        assert f"Operations  {group_id}" in listed(select)
        await type_text(pilot, "Oper")
        await press_and_settle(app, pilot, "enter")
        assert select.value == group_id
        await pilot.press("shift+tab", "shift+tab")
        await press_and_settle(app, pilot, "enter")  # from the name: create
    (record,) = backend.find_key_pairs("cn-hangzhou", "web-1")
    assert record.resource_group_id == group_id


@pilot_test
async def test_a_group_made_meanwhile_is_in_the_tags_dialog(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)  # the groups are read with the key pairs
        group_id = made_by_the_command_line("ops", "Operations")
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EditKeyPairDialog)
        select = dialog.query_one("#group", Select)
        assert f"ops ({group_id})" in listed(select)
        before = select.value
        await pilot.press("enter")  # the list opens on the key pair's own group
        await type_text(pilot, "ops")
        await pilot.press("enter", "tab", "enter")  # picked, then Save
        await settle(pilot)
        assert before != group_id
    (record,) = backend.find_key_pairs("cn-hangzhou", "web-1")
    assert record.resource_group_id == group_id
