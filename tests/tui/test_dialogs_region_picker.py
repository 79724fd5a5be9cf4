"""A list of regions to pick from has a highlighted row as soon as it can be used: the form's
region on the form (in view even far down the list, at 60x18), the first row in the copy
dialog; space and the arrows act from there."""

from __future__ import annotations

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.copy_key_pair import CopyKeyPairDialog
from ecs_keypair.tui.widgets.region_picker import RegionPicker
from textual.pilot import Pilot

from screenshots.scenes import settle
from tests.support.engine import PUBLIC_LINE
from tests.support.focus import look_of
from tests.support.pilot import (
    SIZE,
    MakeApp,
    open_row_dialog,
    pilot_test,
    type_text,
)

SIZES = [(60, 18), SIZE, (120, 40)]
FAR_DOWN = "me-central-1"  # the last region of the list


def highlighted_region(picker: RegionPicker) -> str | None:
    index = picker.highlighted
    return None if index is None else picker.get_option_at_index(index).value


def shown(picker: RegionPicker) -> str:
    return "".join(text for line in look_of(picker) for text, _ in line)


async def to_the_import_regions(pilot: Pilot[None]) -> RegionPicker:
    """From the name field: the region list (far down), "made here", then Tab to the picker."""
    await pilot.press("tab", "enter")
    await type_text(pilot, FAR_DOWN)
    await pilot.press("enter", "tab", "tab", "enter", "down", "enter")  # the key source: here
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, KeyPairApp)
    form = app.form
    assert form.made_here and form.region_id == FAR_DOWN
    await pilot.press("tab", "tab")  # past the key type
    await pilot.pause()
    picker = form.query_one("#import-regions", RegionPicker)
    assert form.focused is picker
    return picker


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pilot_test
async def test_the_forms_region_is_highlighted_and_in_view_in_the_import_list(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        picker = await to_the_import_regions(pilot)
        assert highlighted_region(picker) == FAR_DOWN
        assert FAR_DOWN in shown(picker)
        await pilot.press("up")
        await pilot.pause()
        assert highlighted_region(picker) == "me-east-1"  # the arrows move from it
        await pilot.press("space", "down", "space")  # me-east-1 picked, the form's one unpicked
        await pilot.pause()
        assert picker.picked == ["me-east-1"]


@pilot_test
async def test_the_copy_dialog_starts_on_its_first_region(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_row_dialog(pilot, "c", CopyKeyPairDialog)
        picker = dialog.query_one("#regions", RegionPicker)
        assert dialog.focused is picker
        first = picker.get_option_at_index(0).value
        assert highlighted_region(picker) == first
        await pilot.press("space")
        await pilot.pause()
        assert picker.picked == [first]
