"""The form's "made here (ImportKeyPair)": a key made on this machine, imported into the regions
picked, each region's answer on the results; "made by ECS" still runs CreateKeyPair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.store.local_backend import CreatedKeyPair, LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.widgets.region_picker import RegionPicker
from ecs_keypair.tui.widgets.region_results import RegionResults
from ecs_keypair.tui.widgets.verdict import Verdict
from ecs_keypair.workflows.key_workflows import MadeHere
from textual.pilot import Pilot
from textual.widgets import Input, Select

from screenshots.scenes import RecordingClipboard
from tests.support.pilot import SIZE, create, pilot_test, press_and_settle, type_text

FIRST_REGION = REGIONS[0].region_id  # cn-qingdao: the first option of the picker
FORM_REGION = "cn-hangzhou"  # the form's region, picked by default
OTHER_PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGyeAmeHNnPoMIcOrEdq0DyL2RKp8HWdCP3T5X0zJ3Fa"
)


async def choose_made_here(app: KeyPairApp, pilot: Pilot[None]) -> None:
    """Open the "Key made" picker and choose its second option, as a person would."""
    app.form.query_one("#key-source", Select).focus()
    await pilot.press("enter", "down", "enter")
    await pilot.pause()
    assert app.form.made_here


async def pick_first_region_too(app: KeyPairApp, pilot: Pilot[None]) -> None:
    picker = app.form.query_one("#import-regions", RegionPicker)
    picker.focus()
    before = picker.picked
    await pilot.press("home", "space")  # from the form's region, highlighted, to the first
    await pilot.pause()
    assert picker.picked == [*before, FIRST_REGION]


async def make_here(app: KeyPairApp, pilot: Pilot[None]) -> ResultsScreen:
    await press_and_settle(app, pilot, "enter")
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


def region_lines(screen: ResultsScreen) -> list[str]:
    return str(screen.query_one("#region-results", RegionResults).render()).splitlines()


@pilot_test
async def test_made_here_into_two_regions_imports_the_same_key_into_both(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend, clipboard: RecordingClipboard
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "laptop")
        await choose_made_here(app, pilot)
        await pilot.press("ctrl+t")  # ImportKeyPair here takes no tags: no tag row
        assert app.form.tag_editor.rows == []
        await pick_first_region_too(app, pilot)
        screen = await make_here(app, pilot)
        made = screen.created
        assert isinstance(made, MadeHere)
        assert made.public_key.key_type == "ssh-ed25519"  # the default key type
        lines = region_lines(screen)
        assert lines[0] == "2 regions: 2 ok, 0 not"
        assert [line.split() for line in lines[1:]] == [
            [FORM_REGION, "Imported"],
            [FIRST_REGION, "Imported"],
        ]
        await pilot.press("c")
        await app.workers.wait_for_complete()
        assert clipboard.copies == [screen.private_key_text]
        assert screen.private_key_text.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
        assert screen.key_is_safe
    held = [backend.find_key_pairs(region, "laptop") for region in (FIRST_REGION, FORM_REGION)]
    assert [len(records) for records in held] == [1, 1]
    assert held[0][0].fingerprint == held[1][0].fingerprint == made.public_key.md5_fingerprint


@pilot_test
async def test_a_region_that_refuses_shows_its_code_beside_the_one_that_took_it(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    full = LocalBackend(KeyPairStore(home, quota=1))
    full.import_key_pair(ImportKeyPairRequest(FIRST_REGION, "other", OTHER_PUBLIC_KEY))
    app = make_app(backend=full)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "laptop")
        await choose_made_here(app, pilot)
        app.form.query_one("#key-type", Select).value = ("rsa", 3072)
        await pick_first_region_too(app, pilot)
        screen = await make_here(app, pilot)
        lines = region_lines(screen)
        assert lines[0] == "2 regions: 1 ok, 1 not"
        by_region = {line.split()[0]: line.split()[1:] for line in lines[1:]}
        assert by_region[FORM_REGION] == ["Imported"]
        assert by_region[FIRST_REGION][:2] == ["Failed", "QuotaExceed.KeyPair:"]
        assert screen.created.public_key.key_type == "ssh-rsa"
    assert full.find_key_pairs(FORM_REGION, "laptop")
    assert not full.find_key_pairs(FIRST_REGION, "laptop")


@pilot_test
async def test_no_region_picked_is_an_error_under_the_field_and_makes_nothing(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "laptop")
        await choose_made_here(app, pilot)
        picker = app.form.query_one("#import-regions", RegionPicker)
        picker.focus()
        await pilot.press("space")  # un-pick the form's region, highlighted
        await pilot.pause()
        verdict = app.form.query_one("#import-verdict", Verdict)
        assert verdict.state == "problem"
        assert verdict.text == "pick at least one region to import into (space)"
        app.form.query_one("#name").focus()
        await press_and_settle(app, pilot, "enter")
        assert app.screen is app.form
        assert app.form.focused is picker
        status = app.form.query_one("#status", Verdict).text
        assert status == "Import into: pick at least one region to import into (space)"
    assert backend.find_key_pairs(FORM_REGION) == []


@pilot_test
async def test_made_by_ecs_is_the_default_and_still_runs_create_key_pair(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.form.query_one("#key-source", Select).value == "ecs"
        screen = await create(app, pilot)
        assert isinstance(screen.created, CreatedKeyPair)
        assert screen.created.public_key.key_type == "ssh-rsa"
        assert not screen.query("#region-results")
        assert screen.private_key_text.startswith("-----BEGIN PRIVATE KEY-----")
    assert [record.key_pair_name for record in backend.find_key_pairs(FORM_REGION)] == ["web-1"]


@pilot_test
async def test_the_regions_to_import_into_follow_the_form_region_until_picked(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_made_here(app, pilot)
        picker = app.form.query_one("#import-regions", RegionPicker)
        assert picker.picked == [FORM_REGION]
        app.form.query_one("#region", Select).value = "cn-beijing"
        await pilot.pause()
        assert picker.picked == ["cn-beijing"]
        await pick_first_region_too(app, pilot)  # picked by hand: the form's region no longer leads
        app.form.query_one("#region", Select).value = FORM_REGION
        await pilot.pause()
        assert picker.picked == ["cn-beijing", FIRST_REGION]


@pilot_test
async def test_an_ed25519_key_made_here_saves_where_and_as_proposed(
    make_app: Callable[..., KeyPairApp], user_home: Path
) -> None:
    """s, then Enter: the proposed format (openssh, the one shown) and path (no ending, as
    ssh-keygen names its files) save the key; ssh reads ed25519 keys from no pem file."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ed-1")
        await choose_made_here(app, pilot)
        app.form.name_input.focus()
        screen = await make_here(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#path", Input).value == "~/.ssh/ed-1"
        assert dialog.query_one("#key-format", Select).value == "openssh"
        await press_and_settle(app, pilot, "enter")
        assert app.screen is screen
        key_file = user_home / ".ssh" / "ed-1"
        assert key_file.read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
        assert screen.saved_to == key_file


@pilot_test
async def test_the_proposed_path_follows_the_format_until_it_is_edited(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ed-1")
        await choose_made_here(app, pilot)
        app.form.name_input.focus()
        await make_here(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        path = dialog.query_one("#path", Input)
        key_format = dialog.query_one("#key-format", Select)
        offered = [value for _, value in key_format._options]  # noqa: SLF001
        assert offered == ["openssh", "ppk"]  # ssh reads ed25519 keys from no pem file
        for chosen, proposed in (("ppk", "~/.ssh/ed-1.ppk"), ("openssh", "~/.ssh/ed-1")):
            key_format.value = chosen
            await pilot.pause()
            assert path.value == proposed
        path.focus()
        await pilot.press("end", *"-work")
        key_format.value = "ppk"
        await pilot.pause()
        assert path.value == "~/.ssh/ed-1-work"  # the user's own path stays theirs
