"""Another region's key pairs from the key pairs screen (g), without going back to the form: the
table, the summary and the details follow, and the region is remembered for the next run."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.keys.key_formats import generate_private_key, public_key_line
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui import PREFERENCES_FILE
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.preferences import Preferences
from ecs_keypair.tui.screens.choose_region import ChooseRegionDialog
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.help import HelpScreen
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from rich.text import Text
from textual.widgets import DataTable, Input, OptionList, Select, Static

from screenshots.scenes import settle
from tests.support.focus import assert_every_stop_shows_its_focus, describe, walk
from tests.support.pilot import SIZE, MakeApp, open_key_pairs, pilot_test, until

SIZES = ((60, 18), (80, 24), (120, 40))


@pytest.fixture
def two_regions(backend: LocalBackend) -> LocalBackend:
    line = public_key_line(generate_private_key("ed25519"))
    made = (("cn-hangzhou", "web-1"), ("cn-hangzhou", "web-2"), ("cn-beijing", "bj-1"))
    for region, name in made:
        backend.import_key_pair(ImportKeyPairRequest(region, name, line))
    return backend


def shown(app: KeyPairApp) -> list[str]:
    table = app.screen.query_one("#key-pairs", DataTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


def plain(app: KeyPairApp, selector: str) -> str:
    rendered = app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


@pytest.mark.parametrize("size", SIZES)
@pilot_test
async def test_g_shows_another_region_and_remembers_it(
    make_app: MakeApp, two_regions: LocalBackend, home: Path, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_key_pairs(pilot)
        assert shown(app) == ["web-1", "web-2"]
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ChooseRegionDialog)
        await pilot.press(*"beij", "enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyPairsScreen)
        assert app.screen.region_id == "cn-beijing"
        assert shown(app) == ["bj-1"]
        assert "cn-beijing" in plain(app, "#summary")
        assert plain(app, "#details").startswith("bj-1 · ")
        assert app.screen.query_one("#key-pairs", DataTable).has_focus
    assert Preferences(home / PREFERENCES_FILE).region_id == "cn-beijing"


@pilot_test
async def test_the_region_list_is_walked_by_arrows_and_escape_keeps_the_region(
    make_app: MakeApp, two_regions: LocalBackend, home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("g")
        await settle(pilot)
        regions = app.screen.query_one("#regions", OptionList)
        highlighted = regions.get_option_at_index(regions.highlighted or 0).id
        assert highlighted == "cn-hangzhou"  # the region shown now, to start from
        await pilot.press(*"xyz")
        assert "no region matches 'xyz'" in plain(app, "#region-hint")
        await pilot.press("enter")  # nothing to pick: the dialog stays
        assert isinstance(app.screen, ChooseRegionDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, KeyPairsScreen)
        assert app.screen.region_id == "cn-hangzhou"
        assert shown(app) == ["web-1", "web-2"]
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("up", "enter")  # cn-wulanchabu comes before cn-hangzhou in the list
        await settle(pilot)
        assert isinstance(app.screen, KeyPairsScreen)
        assert app.screen.region_id == "cn-wulanchabu"
        assert "cn-wulanchabu has no key pairs yet" in plain(app, "#empty")
        for typed, picked in (("sha", "cn-shanghai"), ("hang", "cn-hangzhou")):
            await pilot.press("g", *typed, "enter")  # the first match, not the region shown
            await settle(pilot)
            assert isinstance(app.screen, KeyPairsScreen)
            assert app.screen.region_id == picked, typed
    assert Preferences(home / PREFERENCES_FILE).region_id == "cn-hangzhou"


@pilot_test
async def test_the_filter_and_row_actions_follow_the_region(
    make_app: MakeApp, two_regions: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("slash", *"-1", "enter")
        await settle(pilot)
        assert shown(app) == ["web-1"]
        await pilot.press("g", *"cn-beijing", "enter", "d", "y")  # typed together
        await until(pilot, lambda: two_regions.count_key_pairs("cn-beijing") == 0, "deleted")
        assert two_regions.count_key_pairs("cn-hangzhou") == 2
        assert app.screen.query_one("#filter", Input).value == "-1"


@pytest.mark.parametrize("size", SIZES)
@pilot_test
async def test_the_region_dialog_is_walked_by_keyboard_and_shows_its_focus(
    make_app: MakeApp, two_regions: LocalBackend, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("g")
        await settle(pilot)
        stops = await walk(pilot)
        assert [describe(stop.widget) for stop in stops] == [
            "Input#region-search",
            "OptionList#regions",
        ]
        assert_every_stop_shows_its_focus(stops)
        await pilot.press("down", "enter")  # from the list itself: the next region
        await settle(pilot)
        assert isinstance(app.screen, KeyPairsScreen)
        assert app.screen.region_id == "cn-shanghai"


@pilot_test
async def test_the_palette_and_help_offer_the_region_key(
    make_app: MakeApp, two_regions: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Region" in titles
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert any(key.key == "g" for key in app.screen.keys)


@pilot_test
async def test_the_form_follows_a_region_switched_on_the_key_pairs_screen(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("g", *"shanghai", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateKeyPairScreen)
        assert form.region_id == "cn-shanghai"
        assert form.query_one("#region", Select).value == "cn-shanghai"
