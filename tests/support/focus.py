"""Walking a screen's focus chain by keyboard, and telling whether a control shows its focus."""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.style import Style
from textual.pilot import Pilot
from textual.widget import Widget

CHAIN_LIMIT = 60  # more Tab stops than any screen has: a chain that never closes fails

Look = tuple[tuple[tuple[str, Style | None], ...], ...]


class Stop(NamedTuple):
    """A Tab stop: its control, its look focused and not, and whether it was wholly in sight
    while it had the focus."""

    widget: Widget
    focused: Look
    unfocused: Look
    in_sight: bool


def look_of(widget: Widget) -> Look:
    """What the widget's place on the screen shows: each cell's text and style."""
    strips = widget.screen._compositor.render_strips()
    region = widget.region.intersection(widget.screen.region)
    return tuple(
        tuple((segment.text, segment.style) for segment in strips[y].crop(region.x, region.right))
        for y in range(region.y, region.bottom)
    )


def in_sight(widget: Widget) -> bool:
    """Whether all of the widget is drawn: on the screen and not clipped by a container."""
    placed = widget.screen._compositor.visible_widgets.get(widget)
    if placed is None:
        return False
    region, clip = placed
    return bool(region.area) and clip.contains_region(region)


async def walk(pilot: Pilot[Any], key: str = "tab") -> list[Stop]:
    """Press ``key`` from the focused control until the focus comes back to it: each stop, with
    its look while focused and its look once the focus has moved on (or, for the only stop,
    with nothing focused)."""
    screen = pilot.app.screen
    seen: list[tuple[Widget, Look, bool]] = []
    stops: list[Stop] = []
    for _ in range(CHAIN_LIMIT):
        focused = screen.focused
        assert focused is not None, f"{key} left nothing focused after {[w for w, *_ in seen]}"
        if seen:
            before, look, shown = seen[-1]
            stops.append(Stop(before, look, look_of(before), shown))
        if any(widget is focused for widget, *_ in seen):
            if len(seen) == 1:  # the only control: compared with nothing focused at all
                screen.set_focus(None)
                await pilot.pause()
                stops = [Stop(focused, seen[0][1], look_of(focused), seen[0][2])]
                screen.set_focus(focused)
                await pilot.pause()
            return stops
        seen.append((focused, look_of(focused), in_sight(focused)))
        await pilot.press(key)
        await pilot.pause()
    raise AssertionError(f"{key} never came back to where it started: {[w for w, *_ in seen]}")


def describe(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__


def assert_every_stop_shows_its_focus(stops: list[Stop]) -> None:
    """Each Tab stop is wholly in sight while focused and looks different focused: no stop
    that cannot be seen, and none that hides that it has the focus."""
    for stop in stops:
        assert stop.in_sight, f"{describe(stop.widget)} has the focus out of sight"
        assert stop.focused != stop.unfocused, f"{describe(stop.widget)} looks the same focused and not"
