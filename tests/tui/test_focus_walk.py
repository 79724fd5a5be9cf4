"""Every screen and dialog by keyboard alone, at each size: Tab and shift+Tab visit every control
and come back, each control shows its focus, no stop is one that cannot be seen, and no control
is left out of the Tab chain (reachable by the mouse alone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp

from tests.support.focus import (
    assert_every_stop_shows_its_focus,
    controls_left_out,
    describe,
    look_of,
    walk,
)
from tests.support.pilot import create, pilot_test
from tests.support.scenes import (
    PLACES,
    SIZES,
    Place,
    go_to,
    scene_service,
    screen_classes,
    size_id,
)

KNOWN_BUGS: dict[tuple[str, str], str] = {}
"""(place, size) -> the app bug that makes its walk fail, as a strict xfail (none known)."""


def walks() -> list[Any]:
    """Each place at each size; a known app bug makes its walk a strict xfail."""
    cases = []
    for place in PLACES:
        for size in SIZES:
            bug = KNOWN_BUGS.get((place.name, size_id(size)))
            marks = (
                [pytest.mark.xfail(strict=True, raises=AssertionError, reason=bug)] if bug else []
            )
            cases.append(pytest.param(place, size, marks=marks, id=f"{place.name}-{size_id(size)}"))
    return cases


@pytest.mark.parametrize(("place", "size"), walks())
@pilot_test
async def test_by_tab_and_shift_tab(
    make_app: Callable[..., KeyPairApp],
    store: KeyPairStore,
    size: tuple[int, int],
    place: Place,
) -> None:
    with scene_service(store) as backend:
        app = make_app(backend=backend)
        async with app.run_test(size=size) as pilot:
            await go_to(pilot, place)
            forward = await walk(pilot, "tab")
            backward = await walk(pilot, "shift+tab")
            names = [describe(stop.widget) for stop in forward]
            assert names == list(place.chain)
            assert [describe(stop.widget) for stop in backward] == [names[0], *reversed(names[1:])]
            assert controls_left_out(app.screen, forward) == []
            assert_every_stop_shows_its_focus(forward)
            assert_every_stop_shows_its_focus(backward)


def test_every_screen_is_walked() -> None:
    """A screen or dialog added to the app without a place here fails this test."""
    walked = {place.shows for place in PLACES}
    missing = sorted(cls.__qualname__ for cls in screen_classes() - walked)
    assert not missing, f"screens without a place in tests/support/scenes.py: {missing}"


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
            ("#field-sha256", screen.created.public_key.sha256_fingerprint),
        ):
            widget = screen.query_one(field)
            widget.scroll_visible(animate=False)
            await pilot.pause()
            shown = "".join(text for line in look_of(widget) for text, _ in line).replace(" ", "")
            assert shown == value
            assert "…" not in shown
