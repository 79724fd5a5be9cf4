"""The Footer at 60, 70 and 80 columns on every screen: each key it draws is whole, nothing stray
follows the palette key, the most important keys are the ones kept, and ``f1 More`` says when
some were left out (the help lists them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui import app as tui_app
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.help import HelpScreen
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from screenshots.scenes import play
from tests.support.engine import PUBLIC_LINE
from tests.support.footer import drawn_labels, label_of
from tests.support.pilot import pilot_test

SIZES = [(60, 18), (70, 18), (80, 24)]
MORE = "f1 More"

RESULTS = (*"web-1", "enter", "settle")
KEY_PAIRS = ("ctrl+o", "settle")
SCREENS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    # name: (keys that open it, labels always drawn)
    "form": ((), {"⏎ Create", "^o Key pairs"}),
    "form, tag row": ((*"web-1", "ctrl+t"), {"⏎ Create", "^o Key pairs"}),
    "results": (RESULTS, {"c Copy key", "s Save", "esc Back"}),
    "save": ((*RESULTS, "s"), {"⏎ Save", "esc Cancel"}),
    "leave": ((*RESULTS, "escape"), {"y Yes", "n No"}),
    "key pairs": (KEY_PAIRS, {"esc Back", "/ Filter", "d Delete"}),
    "filter": ((*KEY_PAIRS, "slash"), {"esc Back"}),
    "tags": ((*KEY_PAIRS, "t"), {"esc Cancel"}),
    "import": ((*KEY_PAIRS, "i"), {"⏎ Import", "esc Cancel"}),
    "copy": ((*KEY_PAIRS, "c"), {"⏎ Copy", "esc Close"}),
    "delete": ((*KEY_PAIRS, "d"), {"y Yes", "n No"}),
    "where": ((*KEY_PAIRS, "w"), {"⏎ Close"}),
    "help": (("f1",), {"esc Close"}),
}


class QuitShownApp(KeyPairApp):
    """The app with ctrl+q in the Footer on every screen, as the app is to have it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=True, priority=True)
    ]


def footer_keys(app: KeyPairApp) -> list[str]:
    """The labels of every key the Footer has, drawn or left out (not the palette's)."""
    return [
        label_of(key)
        for key in app.screen.query(FooterKey)
        if not key.has_class("-command-palette") and label_of(key) != MORE
    ]


async def check_footer(
    make_app: Callable[..., KeyPairApp], size: tuple[int, int], screen: str
) -> None:
    keys, kept = SCREENS[screen]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await play(pilot, keys)
        drawn = drawn_labels(app)
        assert kept <= set(drawn), f"{drawn} lacks {kept - set(drawn)}"
        left_out = [label for label in footer_keys(app) if label not in drawn]
        assert (MORE in drawn) == bool(left_out), (drawn, left_out)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
@pilot_test
async def test_every_key_drawn_is_whole(
    make_app: Callable[..., KeyPairApp],
    backend: LocalBackend,
    size: tuple[int, int],
    screen: str,
) -> None:
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "laptop", PUBLIC_LINE))
    await check_footer(make_app, size, screen)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", ["form", "results", "key pairs", "filter"])
@pilot_test
async def test_every_key_drawn_is_whole_with_quit_shown(
    make_app: Callable[..., KeyPairApp],
    monkeypatch: pytest.MonkeyPatch,
    backend: LocalBackend,
    size: tuple[int, int],
    screen: str,
) -> None:
    monkeypatch.setattr(tui_app, "KeyPairApp", QuitShownApp)
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "laptop", PUBLIC_LINE))
    await check_footer(make_app, size, screen)


@pilot_test
async def test_the_keys_left_out_are_in_the_help(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=(60, 18)) as pilot:
        await play(pilot, RESULTS)
        drawn = drawn_labels(app)
        left_out = {label.split(" ", 1)[1] for label in footer_keys(app) if label not in drawn}
        assert left_out, "at 60 columns the results leave keys out"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert left_out <= {each.does for each in app.screen.keys}


@pilot_test
async def test_a_click_on_more_opens_the_help(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=(60, 18)) as pilot:
        await play(pilot, RESULTS)
        more = [key for key in app.screen.query(FooterKey) if label_of(key) == MORE]
        assert more, "at 60 columns the results leave keys out, and say so"
        await pilot.click(more[0])
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
