"""Snapshots of every screen in its main states, at 80x24, with pinned keys, ids and times.

Review a change with ``pytest tests/tui/test_snapshots.py --snapshot-update``, then look at the
SVGs in tests/tui/__snapshots__/ (``rsvg-convert -o x.png x.svg``) before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot

from app.engine.service import KeyPairService
from app.engine.store import KeyPairStore
from app.tui.app import KeyPairApp
from tests.tui.snapshot_data import fixed_key, pinned, stock_key_pairs
from tests.tui.tui_support import SIZE

MakeApp = Callable[..., KeyPairApp]
Snap = Callable[..., bool]


@pytest.fixture
def empty_service(store: KeyPairStore) -> Iterator[KeyPairService]:
    """The real service over the test's store, with the fixed key and pinned ids and times."""
    with pinned():
        yield KeyPairService(store, generate=fixed_key)


@pytest.fixture
def stocked_service(empty_service: KeyPairService) -> KeyPairService:
    stock_key_pairs(empty_service)
    return empty_service


async def settle(pilot: Pilot[None]) -> None:
    """Let workers (key generation, the table's load) finish and the screen repaint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def after(*keys: str) -> Callable[[Pilot[None]], object]:
    """A ``run_before`` that presses ``keys`` ("settle" waits for workers) and then settles."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            if key == "settle":
                await settle(pilot)
            else:
                await pilot.press(key)
        await settle(pilot)

    return run


VALID_FORM = (*"web-3", "ctrl+t", *"env", "tab", *"prod", "ctrl+t", *"team", "tab", *"web")
RESULTS = (*VALID_FORM, "enter", "settle")


def test_form_empty(snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService) -> None:
    assert snap_compare(make_app(service=stocked_service), terminal_size=SIZE, run_before=after())


def test_form_with_an_error(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*"1web"))


def test_form_name_taken(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*"web-1"))


def test_form_valid_with_tags(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*VALID_FORM))


def test_results(snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*RESULTS))


def test_save_dialog(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*RESULTS, "s"))


def test_key_pairs_list(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after("ctrl+o"))


def test_key_pairs_list_light_theme(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE, run_before=after("ctrl+o"))


def test_key_pairs_filtered(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after("ctrl+o", "slash", *"web*"))


def test_key_pairs_empty_region(
    snap_compare: Snap, make_app: MakeApp, empty_service: KeyPairService
) -> None:
    app = make_app(service=empty_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after("ctrl+o"))


def test_import_dialog_with_an_error(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    keys = ("ctrl+o", "i", *"laptop-2027", "tab", *"ssh-rsa AAAA-not-a-key", "enter")
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*keys))


def test_delete_confirmation(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after("ctrl+o", "down", "d"))
