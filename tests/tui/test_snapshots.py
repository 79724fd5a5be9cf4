"""Every screen and dialog (tests/support/scenes.py), each at 60x18, 80x24 and 120x40, with
pinned keys, ids and times.

Regenerate every snapshot with one command, from the checkout (then look at the SVGs in
tests/tui/__snapshots__/test_snapshots/, ``rsvg-convert -o x.png x.svg``, before committing):

    CI=true python3 -m pytest -q -p no:cacheprovider tests/tui/test_snapshots.py --snapshot-update

Run the whole file when updating: syrupy then also deletes the SVGs of scenes that are gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp
from textual.pilot import Pilot

from tests.support.scenes import (
    SCENES,
    SIZES,
    Scene,
    play_scene,
    scene_service,
    screen_classes,
    size_id,
)

Snap = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("scene", SCENES, ids=lambda scene: scene.name)
def test_scene(
    snap_compare: Snap,
    make_app: Callable[..., KeyPairApp],
    store: KeyPairStore,
    scene: Scene,
    size: tuple[int, int],
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await play_scene(pilot, scene)

    with scene_service(store, stocked=scene.stocked) as backend:
        assert snap_compare(make_app(backend=backend), terminal_size=size, run_before=run_before)


def test_every_screen_has_a_scene() -> None:
    """A screen or dialog added to the app without a scene here fails this test."""
    pictured = {scene.shows for scene in SCENES}
    missing = sorted(cls.__qualname__ for cls in screen_classes() - pictured)
    assert not missing, f"screens without a scene in tests/support/scenes.py: {missing}"
    assert len({scene.name for scene in SCENES}) == len(SCENES)
