"""The copy, "in every region" and confirm dialogs at 60x18, 80x24 and 120x40: the focused
control is in sight, and everything the dialog says can be brought into sight by keyboard (Tab
to a part that holds more than it shows, then the arrow and page keys). After the copy, the
Footer says what Enter does: close."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.copy_key_pair import PICK_HINT, CopyKeyPairDialog
from ecs_keypair.tui.screens.key_pair_everywhere import KeyPairEverywhereDialog
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.widgets.region_picker import RegionPicker
from textual.pilot import Pilot
from textual.widgets import Input

from screenshots.scenes import settle
from tests.support.engine import PUBLIC_LINE
from tests.support.focus import assert_every_stop_shows_its_focus, in_sight, walk
from tests.support.pilot import (
    MakeApp,
    create,
    open_key_pairs,
    open_row_dialog,
    pilot_test,
    press_and_settle,
)

SIZES = [(60, 18), (80, 24), (120, 40)]
PAGES = 40  # more page-downs than any dialog here needs to show its end


def lines_drawn(pilot: Pilot[None]) -> list[str]:
    strips = pilot.app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


async def everything_in_reach(pilot: Pilot[None]) -> list[str]:
    """Every line the dialog in front can be made to show by keyboard: as it is, then from each
    Tab stop that scrolls, from its top to its end a page at a time. The focus is put back."""
    screen = pilot.app.screen
    first = screen.focused
    seen = lines_drawn(pilot)
    for stop in list(screen.focus_chain):
        if not stop.allow_vertical_scroll:
            continue
        stop.focus()
        await pilot.press("home")
        await pilot.pause()
        for _ in range(PAGES):
            seen += lines_drawn(pilot)
            if stop.scroll_offset.y >= stop.max_scroll_y:
                break
            await pilot.press("pagedown")
            await pilot.pause()
    screen.set_focus(first)
    await pilot.pause()
    return seen


def on_some_line(lines: list[str], text: str) -> bool:
    return any(text in line for line in lines)


sized = pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")


@sized
@pilot_test
async def test_the_copy_dialog_shows_its_picker_and_hint_then_every_answer(
    make_app: MakeApp, backend: LocalBackend, size: tuple[int, int]
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE))
    app = make_app()
    async with app.run_test(size=size) as pilot:
        dialog = await open_row_dialog(pilot, "c", CopyKeyPairDialog)
        picker = dialog.query_one("#regions", RegionPicker)
        assert dialog.focused is picker and in_sight(picker)
        assert on_some_line(lines_drawn(pilot), PICK_HINT)
        others = [region.region_id for region in REGIONS if region.region_id != "cn-hangzhou"]
        for _region in others:
            await pilot.press("space", "down")
        await pilot.pause()
        assert picker.picked == others
        await press_and_settle(pilot.app, pilot, "enter")
        assert dialog.results is not None
        focused = dialog.focused
        assert focused is None or in_sight(focused)
        if focused is not None:
            assert_every_stop_shows_its_focus(await walk(pilot))
        reach = await everything_in_reach(pilot)
        assert on_some_line(reach, f"{len(others)} regions: {len(others)} ok, 0 not")
        for region in others:
            assert on_some_line(reach, f"{region:<16}Imported"), region
        assert on_some_line(reach, "enter or escape closes")


@pilot_test
async def test_after_the_copy_the_footer_says_enter_closes_and_it_does(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_row_dialog(pilot, "c", CopyKeyPairDialog)
        assert dialog.active_bindings["enter"].binding.description == "Copy"
        await pilot.press("space")
        await press_and_settle(app, pilot, "enter")
        assert dialog.results is not None
        assert dialog.active_bindings["enter"].binding.description == "Close"
        assert not on_some_line(lines_drawn(pilot)[-1:], "Copy")  # the Footer's line
        await press_and_settle(app, pilot, "enter")
        assert isinstance(app.screen, KeyPairsScreen)


LONG_NAME = "k" + "-very-long-name" * 8  # 121 characters, as the API allows


@sized
@pilot_test
async def test_in_every_region_shows_its_title_table_and_summary(
    make_app: MakeApp, backend: LocalBackend, size: tuple[int, int]
) -> None:
    for region in REGIONS[:14]:
        backend.import_key_pair(ImportKeyPairRequest(region.region_id, LONG_NAME, PUBLIC_LINE))
    (record,) = backend.find_key_pairs("cn-hangzhou", LONG_NAME)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, KeyPairEverywhereDialog)
        assert dialog.focused is not None and in_sight(dialog.focused)
        reach = await everything_in_reach(pilot)
        assert on_some_line(reach, f"key {record.fingerprint}")  # the title, not cut
        assert on_some_line(reach, "14 key pairs in 14 regions")


@sized
@pilot_test
async def test_a_long_question_keeps_its_buttons_and_all_of_its_text_in_reach(
    make_app: MakeApp, tmp_path: Path, size: tuple[int, int]
) -> None:
    folder = tmp_path.joinpath(*[f"folder-{n:02d}-with-a-long-name" for n in range(16)])
    folder.mkdir(parents=True)
    existing = folder / "the-key-already-there.pem"
    existing.write_text("precious\n")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await create(app, pilot)
        await pilot.press("s")
        app.screen.query_one("#path", Input).value = str(existing)
        await press_and_settle(app, pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.focused is dialog.query_one("#no") and in_sight(dialog.focused)
        assert in_sight(dialog.query_one("#yes"))
        assert_every_stop_shows_its_focus(await walk(pilot))
        reach = await everything_in_reach(pilot)
        assert on_some_line(reach, "Replace the file?")
        assert on_some_line(reach, "What they hold now will be lost.")
        await pilot.press("n")
        await pilot.pause()
    assert existing.read_text() == "precious\n"
