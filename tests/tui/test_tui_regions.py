"""The key pairs screen across regions: c copies into picked regions, w shows where a name or
key is, and the details line says whether this machine holds the private key (~/.ssh)."""

from __future__ import annotations

from pathlib import Path

from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.keys.key_formats import generate_private_key, public_key_line
from ecs_keypair.keys.key_save import save_key
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.screens.copy_key_pair import CopyKeyPairDialog
from ecs_keypair.tui.screens.key_pair_everywhere import KeyPairEverywhereDialog
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.widgets.verdict import Verdict
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, SelectionList, Static

from screenshots.scenes import settle
from tests.support.pilot import SIZE, MakeApp, pilot_test

REGION = "cn-hangzhou"


def new_line() -> str:
    return public_key_line(generate_private_key("ed25519"))


async def open_key_pairs(pilot: Pilot[None]) -> KeyPairsScreen:
    await pilot.press("ctrl+o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, KeyPairsScreen)
    return pilot.app.screen


async def open_dialog(pilot: Pilot[None], key: str) -> None:
    """The key pairs screen, then ``key`` on its first row, and the dialog's first answer."""
    await open_key_pairs(pilot)
    await pilot.press(key)
    await settle(pilot)


def plain(pilot: Pilot[None], selector: str) -> str:
    rendered = pilot.app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def fingerprint(backend: LocalBackend, region: str, name: str) -> str | None:
    found = [each for each in backend.find_key_pairs(region, name) if each.key_pair_name == name]
    return found[0].fingerprint if found else None


@pilot_test
async def test_copy_into_picked_regions_shows_each_regions_answer(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    line = new_line()
    backend.import_key_pair(ImportKeyPairRequest(REGION, "web-1", line))
    # another key in cn-shanghai: a conflict; the same key in cn-qingdao: already there
    backend.import_key_pair(ImportKeyPairRequest("cn-shanghai", "web-1", new_line()))
    backend.import_key_pair(ImportKeyPairRequest("cn-qingdao", "web-1", line))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, "c")
        assert isinstance(app.screen, CopyKeyPairDialog)
        regions = app.screen.query_one("#regions", SelectionList)
        offered = [regions.get_option_at_index(i).value for i in range(regions.option_count)]
        assert REGION not in offered and "cn-beijing" in offered
        await pilot.press("enter")  # nothing picked yet
        assert "pick at least one region" in app.screen.query_one("#copy-problem", Verdict).text
        for region in ("cn-beijing", "cn-shanghai", "cn-qingdao"):
            regions.select(region)
        await pilot.press("enter")
        await settle(pilot)
        shown = plain(pilot, "#copy-results")
        assert "3 regions: 2 ok, 1 not" in shown
        assert "cn-beijing      Imported" in shown
        assert "cn-qingdao      AlreadyThere" in shown
        assert "cn-shanghai     Conflict     KeyPair.AlreadyExist" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyPairsScreen)
    original = fingerprint(backend, REGION, "web-1")
    assert fingerprint(backend, "cn-beijing", "web-1") == original
    assert fingerprint(backend, "cn-shanghai", "web-1") != original  # left untouched


@pilot_test
async def test_where_lists_the_regions_holding_the_name_or_the_key(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    line = new_line()
    backend.import_key_pair(ImportKeyPairRequest(REGION, "web-1", line))
    backend.import_key_pair(ImportKeyPairRequest("cn-beijing", "web-1", line))
    backend.import_key_pair(ImportKeyPairRequest("cn-shanghai", "laptop", line))
    backend.import_key_pair(ImportKeyPairRequest("cn-qingdao", "web-1", new_line()))
    backend.import_key_pair(ImportKeyPairRequest("cn-qingdao", "unrelated", new_line()))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, "w")
        assert isinstance(app.screen, KeyPairEverywhereDialog)
        table = app.screen.query_one("#everywhere", DataTable)
        rows = [
            tuple(cell.plain for cell in table.get_row_at(row)) for row in range(table.row_count)
        ]
        printed = fingerprint(backend, REGION, "web-1")
        assert [(region, name, holds) for region, name, holds, _ in rows] == [
            ("cn-beijing", "web-1", "this key"),
            ("cn-hangzhou", "web-1", "this key"),
            ("cn-qingdao", "web-1", "another key, same name"),
            ("cn-shanghai", "laptop", "this key, other name"),
        ]
        assert rows[0][3] == printed
        await pilot.press("escape")
        assert isinstance(app.screen, KeyPairsScreen)


@pilot_test
async def test_the_details_say_where_the_private_key_is_on_this_machine(
    make_app: MakeApp, backend: LocalBackend, user_home: Path
) -> None:
    here = generate_private_key("ed25519")
    (user_home / ".ssh").mkdir(mode=0o700)
    saved = save_key(str(user_home / ".ssh" / "mine"), here, "openssh", "mine")
    mine = public_key_line(here)
    backend.import_key_pair(ImportKeyPairRequest(REGION, "mine", mine))
    backend.import_key_pair(ImportKeyPairRequest(REGION, "other", new_line()))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_key_pairs(pilot)
        assert plain(pilot, "#details").endswith(
            f"private key on this machine: {saved.private_path} (openssh)"
        )
        await pilot.press("down")
        await pilot.pause()
        assert screen._highlighted_name() == "other"
        assert plain(pilot, "#details").endswith("no private key for it in ~/.ssh")


@pilot_test
async def test_a_full_region_is_failed_with_its_code(make_app: MakeApp, home: Path) -> None:
    backend = LocalBackend(KeyPairStore(home / "full", quota=1))
    backend.import_key_pair(ImportKeyPairRequest(REGION, "web-1", new_line()))
    backend.import_key_pair(ImportKeyPairRequest("cn-beijing", "taken", new_line()))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, "c")
        app.screen.query_one("#regions", SelectionList).select("cn-beijing")
        await pilot.press("enter")
        await settle(pilot)
        shown = plain(pilot, "#copy-results")
        assert "1 region: 0 ok, 1 not" in shown
        assert "cn-beijing      Failed       QuotaExceed.KeyPair: " in shown
    assert fingerprint(backend, "cn-beijing", "web-1") is None
