"""Snapshots of every screen in its main states, at 80x24, with pinned keys, ids and times.

Review a change with ``pytest tests/tui/test_snapshots.py --snapshot-update``, then look at the
SVGs in tests/tui/__snapshots__/ (``rsvg-convert -o x.png x.svg``) before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

import pytest
from textual.pilot import Pilot

from app.engine.service import KeyPairService
from app.engine.store import KeyPairStore
from app.tui.app import KeyPairApp
from screenshots.scenes import (
    COPY_DIALOG,
    EVERYWHERE,
    FORM_ERROR,
    FORM_MADE_HERE,
    FORM_TAKEN,
    KEY_PAIRS,
    PASSPHRASES_DIFFER,
    RESULTS,
    SAVE_DIALOG,
    VALID_FORM,
    fixed_key,
    pinned,
    play,
    stock_key_pairs,
)
from tests.support.pilot import SIZE

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


def after(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A ``run_before`` that plays ``keys`` (see screenshots.scenes.play)."""

    def run(pilot: Pilot[None]) -> Awaitable[None]:
        return play(pilot, keys)

    return run


def test_form_empty(snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService) -> None:
    assert snap_compare(make_app(service=stocked_service), terminal_size=SIZE, run_before=after())


def test_form_with_an_error(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*FORM_ERROR))


def test_form_name_taken(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*FORM_TAKEN))


def test_form_valid_with_tags(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*VALID_FORM))


def test_form_made_here(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*FORM_MADE_HERE))


def test_results(snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*RESULTS))


def test_save_dialog(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*SAVE_DIALOG))


def test_save_dialog_passphrases_differ(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*PASSPHRASES_DIFFER))


def test_key_pairs_list(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*KEY_PAIRS))


def test_key_pairs_list_light_theme(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*KEY_PAIRS))


def test_key_pairs_filtered(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*KEY_PAIRS, "slash", *"web*"))


def test_key_pairs_empty_region(
    snap_compare: Snap, make_app: MakeApp, empty_service: KeyPairService
) -> None:
    app = make_app(service=empty_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*KEY_PAIRS))


def test_copy_dialog_with_each_regions_answer(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*COPY_DIALOG))


def test_key_pair_everywhere(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*EVERYWHERE))


def test_import_dialog_with_an_error(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    keys = (*KEY_PAIRS, "i", *"laptop-2027", "tab", *"ssh-rsa AAAA-not-a-key", "enter")
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*keys))


def test_delete_confirmation(
    snap_compare: Snap, make_app: MakeApp, stocked_service: KeyPairService
) -> None:
    app = make_app(service=stocked_service)
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*KEY_PAIRS, "down", "d"))
