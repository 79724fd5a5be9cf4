"""Walking a screen's focus chain by keyboard, and telling whether a control shows its focus."""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.style import Style
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button

CHAIN_LIMIT = 60  # more Tab stops than any screen has: a chain that never closes fails

KEYBOARD_WAYS = {"remove-tag": "ctrl+r removes the tag row that has the focus"}
"""Controls drawn for the mouse alone (by CSS class), each with the key that does the same
(tests/tui/test_operate_controls.py presses it)."""

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
        assert stop.focused != stop.unfocused, (
            f"{describe(stop.widget)} looks the same focused and not"
        )


def shown(widget: Widget) -> bool:
    """Whether the widget is part of the screen as drawn: it and every container around it
    displayed and not hidden (it may still be scrolled out of view)."""
    around = (node for node in widget.ancestors_with_self if isinstance(node, Widget))
    return all(node.display and node.visible for node in around)


def controls_left_out(screen: Screen[Any], stops: list[Stop]) -> list[str]:
    """The controls on ``screen`` that Tab never reaches: each shown and enabled widget that can
    take the focus, and each button that cannot (a click alone works it), unless a key does
    the same (:data:`KEYBOARD_WAYS`)."""
    reached = {id(stop.widget) for stop in stops}
    left_out = []
    for widget in screen.query("*"):
        if id(widget) in reached or not shown(widget) or widget.is_disabled:
            continue
        if widget.focusable:
            left_out.append(describe(widget))
        elif isinstance(widget, Button) and not KEYBOARD_WAYS.keys() & widget.classes:
            left_out.append(f"{describe(widget)} (a click alone presses it)")
    return left_out


async def focus_by_tab(pilot: Pilot[Any], widget: Widget) -> None:
    """Press Tab until ``widget`` has the focus, as a person gets to a control."""
    for _ in range(CHAIN_LIMIT):
        if pilot.app.focused is widget:
            return
        await pilot.press("tab")
        await pilot.pause()
    raise AssertionError(f"Tab never reached {describe(widget)}")
