"""The key pairs screen's tags-and-group dialog, over the real backend and store (Pilot)."""

from __future__ import annotations

import pytest
from ecs_keypair.contract.api_requests import (
    CreateResourceGroupRequest,
    ImportKeyPairRequest,
    TagResourcesRequest,
    UntagResourcesRequest,
)
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog, changes
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.pilot import Pilot
from textual.widgets import DataTable, Select

from screenshots.scenes import settle
from tests.support.engine import PUBLIC_LINE
from tests.support.pilot import MakeApp, open_row_dialog, pilot_test, until

REGION = "cn-hangzhou"


@pytest.fixture
def tagged(backend: LocalBackend) -> str:
    """One key pair tagged env=prod, team=ops; returns the id of a second resource group."""
    tags = (Tag("env", "prod"), Tag("team", "ops"))
    backend.import_key_pair(ImportKeyPairRequest(REGION, "web-1", PUBLIC_LINE, tags=tags))
    return backend.create_resource_group(CreateResourceGroupRequest("ops", "Ops")).group.id


def stored(backend: LocalBackend) -> KeyPairRecord:
    [record] = backend.find_key_pairs(REGION, "web-1")
    return record


def test_changes_are_what_differs() -> None:
    record = KeyPairRecord("", "k", REGION, "", "", "rg-a", "", (Tag("a", "1"), Tag("b", "2")))
    assert changes(record, [Tag("a", "1"), Tag("b", "2")], "rg-a") == ((), (), None)
    assert changes(record, [Tag("b", "3"), Tag("c")], "rg-b") == (
        ("a",),
        (Tag("b", "3"), Tag("c")),
        "rg-b",
    )


@pilot_test
async def test_edit_tags_and_move_the_key_pair(
    make_app: MakeApp, backend: LocalBackend, tagged: str
) -> None:
    async with make_app().run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        editor = dialog.query_one(TagEditor)
        assert editor.tags == [Tag("env", "prod"), Tag("team", "ops")]
        rows = editor.rows
        rows[0].value_input.focus()
        rows[0].value_input.value = ""
        await pilot.press(*"dev")
        rows[1].key_input.focus()
        await pilot.press("ctrl+r")  # team=ops goes
        await pilot.press("ctrl+t")
        await pilot.press(*"owner")
        dialog.query_one("#group", Select).value = tagged
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)

        record = stored(backend)
        assert record.tags == (Tag("env", "dev"), Tag("owner", ""))
        assert record.resource_group_id == tagged
        await until(pilot, lambda: "env=dev, owner=" in _row_text(pilot), "the table shows it")


def _row_text(pilot: Pilot[None]) -> str:
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    return " ".join(cell.plain for cell in table.get_row_at(0))


@pilot_test
async def test_a_bad_tag_is_shown_as_typed_and_nothing_is_stored(
    make_app: MakeApp, backend: LocalBackend, tagged: str
) -> None:
    async with make_app().run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        await pilot.press("ctrl+t")
        await pilot.press(*"aliyun-x")
        row = dialog.query_one(TagEditor).rows[-1]
        assert "InvalidTagKey.Malformed" in row.verdict.text  # live, before Enter
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert "InvalidTagKey.Malformed" in dialog.query_one("#problem", Verdict).text
        assert dialog.focused is row.key_input
        assert stored(backend).tags == (Tag("env", "prod"), Tag("team", "ops"))
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, KeyPairsScreen)


@pilot_test
async def test_a_refusal_of_the_store_keeps_the_dialog_open(
    make_app: MakeApp, backend: LocalBackend, tagged: str
) -> None:
    async with make_app().run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        # meanwhile another client fills the key pair up to 20 tags
        more = tuple(Tag(f"k{n}") for n in range(18))
        backend.tag_resources(TagResourcesRequest(REGION, "keypair", ("web-1",), more))
        await pilot.press("ctrl+t")
        await pilot.press(*"one-more")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "QuotaExceed.Tags" in dialog.query_one("#problem", Verdict).text
        assert dialog.query_one(TagEditor).rows[-1].key_input.value == "one-more"
        assert len(stored(backend).tags) == 20


@pilot_test
async def test_enter_in_the_open_group_list_picks_the_group_and_saves_nothing(
    make_app: MakeApp, backend: LocalBackend, tagged: str
) -> None:
    """By keyboard alone: Enter opens the focused group list, Down, Enter picks; the dialog
    stays. The next Enter, from a tag field, saves the group picked."""
    async with make_app().run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        group = dialog.query_one("#group", Select)
        assert dialog.focused is group
        before = group.value
        await pilot.press("enter")
        await pilot.pause()
        assert group.expanded
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert not group.expanded
        assert group.value != before
        assert stored(backend).resource_group_id == before  # nothing saved yet
        picked = group.value
        await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert stored(backend).resource_group_id == picked


@pilot_test
async def test_a_group_picked_by_keyboard_is_saved_by_keyboard_without_any_tag(
    make_app: MakeApp, backend: LocalBackend, tagged: str
) -> None:
    """A key pair with no tags: pick the group (Enter, Down, Enter), Tab to Save, Enter."""
    backend.untag_resources(UntagResourcesRequest(REGION, "keypair", ("web-1",), all=True))
    async with make_app().run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        assert dialog.query_one(TagEditor).rows == []
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        picked = dialog.query_one("#group", Select).value
        await pilot.press("tab")
        assert dialog.focused is dialog.query_one("#save")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert stored(backend).resource_group_id == picked == tagged
