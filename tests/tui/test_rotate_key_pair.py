"""R on the key pairs screen: the rotate dialog on the highlighted key pair, its live name check,
its fields by keyboard at the smallest size, and each instance's outcome once it has run, over
the real local store and real key files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.rotate_key_pair import RotateKeyPairDialog
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select

from screenshots.scenes import settle
from tests.support.focus import assert_every_stop_shows_its_focus, describe, walk
from tests.support.instances import described
from tests.support.pilot import MakeApp, open_key_pairs, pilot_test, until
from tests.tui.test_keypairs_instances import highlight
from tests.tui.test_keypairs_screen import text_of

REGION = "cn-hangzhou"
CHAIN = [
    "CheckedInput#name", "Select#key-source", "Input#path", "Select#key-format",
    "Input#passphrase", "Input#passphrase-again", "Checkbox#reboot", "Checkbox#delete-old",
    "Button#rotate", "Button#cancel",
]



async def open_rotate(pilot: Pilot[None], name: str = "web-1") -> RotateKeyPairDialog:
    await open_key_pairs(pilot)
    await highlight(pilot, name)
    await pilot.press("R")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, RotateKeyPairDialog)
    return dialog


async def rotate(pilot: Pilot[None], dialog: RotateKeyPairDialog) -> str:
    """Enter on the Rotate button (on a checkbox Enter ticks it), then the answers shown."""
    dialog.query_one("#rotate").focus()
    await pilot.press("enter")
    await until(pilot, lambda: dialog.answered, "the rotation answered")
    await settle(pilot)
    return text_of(pilot, "#answers")


def names(pilot: Pilot[None]) -> list[str]:
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    return [str(key.value) for key in table.rows]


async def tick(pilot: Pilot[None], checkbox_id: str) -> None:
    pilot.app.screen.query_one(checkbox_id, Checkbox).focus()
    await pilot.press("space")


@pilot_test
async def test_r_opens_the_dialog_on_the_highlighted_key_pair(
    make_app: MakeApp, web: LocalBackend
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        dialog = await open_rotate(pilot, "web-2")
        assert dialog.old_name == "web-2"
        assert "Rotate web-2 in cn-hangzhou" in text_of(pilot, "#title")
        assert dialog.focused is dialog.query_one("#name")
        assert not dialog.query_one("#reboot", Checkbox).value
        assert not dialog.query_one("#delete-old", Checkbox).value


@pilot_test
async def test_with_reboot_both_running_instances_move_and_the_key_is_saved_0600(
    make_app: MakeApp, web: LocalBackend, user_home: Path
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-3")
        assert dialog.query_one("#path", Input).value == "~/.ssh/web-3.pem"
        await tick(pilot, "#reboot")
        shown = await rotate(pilot, dialog)
        ids = sorted(described(web, REGION))
        for instance_id in ids:
            assert f"{instance_id} Moved: web-3 bound and in effect" in shown
        assert "Instances: 2 of 2 moved" in shown
        assert "New: web-3 made by ECS (CreateKeyPair)" in shown
        assert "Old: web-1 kept: not asked to delete it" in shown
        key = user_home / ".ssh" / "web-3.pem"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
        assert {item["KeyPairName"] for item in described(web, REGION).values()} == {"web-3"}

        await pilot.press("enter")  # closes; the table is read again, the new key pair on it
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert names(pilot) == ["web-1", "web-2", "web-3"]
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        assert table.cursor_row == 2


@pilot_test
async def test_without_reboot_each_instance_is_attached_until_it_reboots(
    make_app: MakeApp, web: LocalBackend
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-3")
        shown = await rotate(pilot, dialog)
        for instance_id in described(web, REGION):
            assert (
                f"{instance_id} Attached: web-3 bound; it takes effect when the instance is "
                "rebooted"
            ) in shown
        assert "Instances: 0 of 2 moved" in shown


@pilot_test
async def test_delete_old_removes_the_old_key_pair_from_the_table(
    make_app: MakeApp, web: LocalBackend
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-3")
        await tick(pilot, "#reboot")
        await tick(pilot, "#delete-old")
        shown = await rotate(pilot, dialog)
        assert "Old: web-1 deleted" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert names(pilot) == ["web-2", "web-3"]
        assert not web.find_key_pairs(REGION, key_pair_name="web-1")


@pilot_test
async def test_made_here_saves_an_openssh_key_and_imports_it(
    make_app: MakeApp, web: LocalBackend, user_home: Path
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-3", "tab", "enter", "down", "enter")
        assert dialog.query_one("#key-source", Select).value == "here"
        assert dialog.query_one("#path", Input).value == "~/.ssh/web-3"
        await tick(pilot, "#reboot")
        shown = await rotate(pilot, dialog)
        assert "New: web-3 made here and imported (ImportKeyPair)" in shown
        assert "Instances: 2 of 2 moved" in shown
        key = user_home / ".ssh" / "web-3"
        assert key.read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")


@pilot_test
async def test_a_taken_new_name_is_refused_as_typed_and_at_enter(
    make_app: MakeApp, web: LocalBackend
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-2")
        assert "already exists in cn-hangzhou · KeyPair.AlreadyExist" in text_of(
            pilot, "#name-verdict"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert not dialog.answered and dialog.is_current
        assert dialog.focused is dialog.query_one("#name")
        assert {item["KeyPairName"] for item in described(web, REGION).values()} == {"web-1"}


@pilot_test
async def test_a_key_file_already_there_is_not_replaced_and_nothing_is_made(
    make_app: MakeApp, web: LocalBackend, user_home: Path
) -> None:
    (user_home / ".ssh").mkdir(mode=0o700)
    taken = user_home / ".ssh" / "web-3.pem"
    taken.write_text("mine")
    async with make_app().run_test(size=(80, 24)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-3", "enter")
        await settle(pilot)
        assert not dialog.answered
        refused = text_of(pilot, "#save-verdict")
        assert "a file is already there (it is never overwritten)" in refused
        assert dialog.focused is dialog.query_one("#path")
        assert taken.read_text() == "mine"
        assert not web.find_key_pairs(REGION, key_pair_name="web-3")


@pilot_test
async def test_escape_closes_without_changing_anything(
    make_app: MakeApp, web: LocalBackend, user_home: Path
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_rotate(pilot)
        await pilot.press(*"web-3")
        await tick(pilot, "#delete-old")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert names(pilot) == ["web-1", "web-2"]
        assert {item["KeyPairName"] for item in described(web, REGION).values()} == {"web-1"}
        assert not (user_home / ".ssh").exists()


@pytest.mark.parametrize("size", [(60, 18), (80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pilot_test
async def test_tab_reaches_every_control_in_sight(
    make_app: MakeApp, web: LocalBackend, size: tuple[int, int]
) -> None:
    async with make_app().run_test(size=size) as pilot:
        await open_rotate(pilot)
        stops = await walk(pilot, "tab")
        assert [describe(stop.widget) for stop in stops] == CHAIN
        assert_every_stop_shows_its_focus(stops)


@pilot_test
async def test_the_answers_scroll_by_keyboard_at_60x18(
    make_app: MakeApp, web: LocalBackend
) -> None:
    async with make_app().run_test(size=(60, 18)) as pilot:
        dialog = await open_rotate(pilot)
        await pilot.press(*"web-3")
        shown = await rotate(pilot, dialog)
        assert "Old: web-1 kept" in shown
        scroll = dialog.query_one("#dialog")
        assert dialog.focused is scroll  # more than it shows: a Tab stop, focused
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0
