"""Every screen and dialog by keyboard alone: Tab and shift+Tab visit every control and come
back, each control shows its focus, and no stop is one that cannot be seen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from app.engine.requests import ImportKeyPairRequest
from app.engine.service import KeyPairService
from app.tui.app import KeyPairApp
from tests.support.focus import assert_every_stop_shows_its_focus, describe, look_of, walk
from tests.support.pilot import SIZE, create, open_key_pairs, pilot_test, press_and_settle

SIZES = [(60, 18), SIZE, (120, 40)]
PUBLIC_LINE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOGj3xkiwPBuJLHbb1VPm0QJZ0YLJsiw7mkTS7bg2kgg"
Opener = Callable[[KeyPairApp, Pilot[Any]], Awaitable[None]]


async def the_form(app: KeyPairApp, pilot: Pilot[Any]) -> None:
    pass


async def the_results(app: KeyPairApp, pilot: Pilot[Any]) -> None:
    await create(app, pilot)


def then(first: Opener, *keys: str) -> Opener:
    async def opened(app: KeyPairApp, pilot: Pilot[Any]) -> None:
        await first(app, pilot)
        await press_and_settle(app, pilot, *keys)

    return opened


async def the_key_pairs(app: KeyPairApp, pilot: Pilot[Any]) -> None:
    await open_key_pairs(pilot)


SCREENS: dict[str, tuple[Opener, list[str]]] = {
    "form": (
        the_form,
        ["CheckedInput#name", "Select#region", "Select#resource-group", "Select#key-source",
         "Button#create"],
    ),
    "results": (the_results, ["TextArea#private-key"]),
    "save": (
        then(the_results, "s"),
        ["Input#path", "Select#key-format", "Input#passphrase", "Input#passphrase-again",
         "Button#save", "Button#cancel"],
    ),
    "leave": (then(the_results, "escape"), ["Button#no", "Button#yes"]),
    "key pairs": (the_key_pairs, ["DataTable#key-pairs", "Input#filter"]),
    "tags": (then(the_key_pairs, "t"), ["Select#group", "Button#save", "Button#cancel"]),
    "import": (then(the_key_pairs, "i"), ["CheckedInput#name", "Input#public-key"]),
    "copy": (then(the_key_pairs, "c"), ["RegionPicker#regions"]),
    "delete": (then(the_key_pairs, "d"), ["Button#no", "Button#yes"]),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
@pilot_test
async def test_by_tab_and_shift_tab(
    make_app: Callable[..., KeyPairApp],
    service: KeyPairService,
    size: tuple[int, int],
    screen: str,
) -> None:
    service.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "laptop", PUBLIC_LINE))
    opener, expected = SCREENS[screen]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await opener(app, pilot)
        forward = await walk(pilot, "tab")
        backward = await walk(pilot, "shift+tab")
        names = [describe(stop.widget) for stop in forward]
        assert names == expected
        assert [describe(stop.widget) for stop in backward] == [names[0], *reversed(names[1:])]
        assert_every_stop_shows_its_focus(forward)
        assert_every_stop_shows_its_focus(backward)


@pilot_test
async def test_the_results_fold_what_is_compared_by_eye_at_60_columns(
    make_app: Callable[..., KeyPairApp],
) -> None:
    """At 60x18 the fingerprints fold onto a second line instead of ending in an ellipsis, and
    the screen scrolls to show them."""
    app = make_app()
    async with app.run_test(size=(60, 18)) as pilot:
        screen = await create(app, pilot)
        for field, value in (
            ("#field-keypairfingerprint", screen.fingerprint),
            ("#field-sha256", screen.query_one("#field-sha256").visual.plain),
        ):
            widget = screen.query_one(field)
            widget.scroll_visible(animate=False)
            await pilot.pause()
            shown = "".join(text for line in look_of(widget) for text, _ in line).replace(" ", "")
            assert shown == value
            assert "…" not in shown
