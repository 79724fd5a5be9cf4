"""Every control of every screen and dialog, worked by the keyboard alone.

Each Tab stop is operated as its kind is: a list to pick from opens with Enter or space, moves
with the arrows and picks with Enter, and the dialog around it is not submitted; a field takes
what is typed; a table's or a list's cursor moves with the arrows, and space picks in a list of
regions; a button does what it says (its effect is looked for). Each change is then undone by
keyboard too, so the stops after it are the ones walked. The places and their Tab chains are in
tests/support/scenes.py; tests/tui/test_focus_walk.py walks the same chains at every size (and
asks that every screen class has a place).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.screens.rotate_key_pair import RotateKeyPairDialog
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from textual.app import App
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    OptionList,
    RadioButton,
    Select,
    SelectionList,
    Switch,
    TextArea,
)

from screenshots.scenes import REGION, TEST_ONLY_PUBLIC_KEYS, settle
from tests.support.focus import (
    controls_left_out,
    describe,
    focus_by_tab,
    in_sight,
    walk,
)
from tests.support.pilot import pilot_test
from tests.support.scenes import PLACES, Place, go_to, scene_service

SIZE = (60, 18)  # the smallest size: where an open list or a scrolled field is likeliest to fail
OTHER_REGION = "cn-shanghai"

Check = Callable[[KeyPairApp, LocalBackend], bool]


def in_front(kind: type[Any]) -> Check:
    return lambda app, _backend: isinstance(app.screen, kind)


def web_1_listed(app: KeyPairApp, backend: LocalBackend) -> bool:
    return bool(backend.find_key_pairs(REGION, key_pair_name="web-1"))


class Pressed(NamedTuple):
    """What Enter on a button does, as seen afterwards, and the keys that open its place again
    (none: the button is the last stop)."""

    does: str
    done: Check
    back: tuple[str, ...] = ()


BUTTONS: dict[tuple[str, str], Pressed] = {
    ("form", "Button#create"): Pressed("creates the key pair", in_front(ResultsScreen)),
    ("form-made-here", "Button#create"): Pressed("makes the key", in_front(ResultsScreen)),
    ("save", "Button#save"): Pressed(
        "saves the private key",
        lambda app, _: isinstance(app.screen, ResultsScreen) and app.screen.kept == "saved",
        ("s",),
    ),
    ("save", "Button#cancel"): Pressed("closes the dialog", in_front(ResultsScreen)),
    ("leave", "Button#no"): Pressed("stays on the results", in_front(ResultsScreen), ("escape",)),
    ("leave", "Button#yes"): Pressed("leaves for the form", lambda app, _: app.screen is app.form),
    ("tags", "Button#save"): Pressed("closes the dialog", in_front(KeyPairsScreen), ("t",)),
    ("tags", "Button#cancel"): Pressed("closes the dialog", in_front(KeyPairsScreen)),
    ("delete", "Button#no"): Pressed(
        "keeps web-1",
        lambda app, backend: isinstance(app.screen, KeyPairsScreen) and web_1_listed(app, backend),
        ("d",),
    ),
    ("delete", "Button#yes"): Pressed(
        "deletes web-1",
        lambda app, backend: isinstance(app.screen, KeyPairsScreen)
        and not web_1_listed(app, backend),
    ),
    ("rotate", "Button#rotate"): Pressed(
        "rotates web-1 and shows the outcomes",
        lambda app, _: isinstance(app.screen, RotateKeyPairDialog) and app.screen.answered,
        ("escape", "R"),
    ),
    ("rotate", "Button#cancel"): Pressed("closes the dialog", in_front(KeyPairsScreen)),
}


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys``, then let the workers they started finish and the screen catch up."""
    await pilot.press(*keys)
    await settle(pilot)


def not_left(app: App[Any], stack: list[Any], widget: Widget, keys: str) -> None:
    """The keys worked in the control: nothing was submitted or closed around it."""
    assert app.screen_stack == stack, (
        f"{keys} in {describe(widget)} left {type(stack[-1]).__name__} for "
        f"{type(app.screen).__name__}"
    )


def still_in(app: App[Any], stack: list[Any], widget: Widget, keys: str = "the keys") -> None:
    """Nothing was submitted or closed, and the control keeps the focus."""
    not_left(app, stack, widget, keys)
    assert app.focused is widget, f"{describe(widget)} lost the focus to {app.focused}"


async def operate_select(pilot: Pilot[Any], select: Select[Any]) -> None:
    """Space and Enter open the list, escape closes it; an arrow moves in it, and Enter picks
    there without submitting the dialog; the same keys pick the old value again."""
    app = pilot.app
    stack, before = list(app.screen_stack), select.value
    await press(pilot, "space")
    not_left(app, stack, select, "space")
    assert select.expanded, f"space did not open {describe(select)}"
    await press(pilot, "escape")
    assert not select.expanded and select.value == before
    still_in(app, stack, select, "escape")
    await press(pilot, "enter")
    not_left(app, stack, select, "enter")
    assert select.expanded, f"enter did not open {describe(select)}"
    overlay = select.query_one(OptionList)  # the open list
    assert in_sight(overlay), f"the open list of {describe(select)} is not wholly in sight"
    start = overlay.highlighted
    move, back = "down", "up"
    await press(pilot, move)
    if overlay.highlighted == start:  # the last option: the other way
        move, back = back, move
        await press(pilot, move)
    assert overlay.highlighted != start, f"no arrow moves in {describe(select)}"
    await press(pilot, "enter")
    still_in(app, stack, select, f"{move} and enter")
    assert not select.expanded, f"enter did not pick in {describe(select)}"
    assert select.value != before, f"enter picked nothing new in {describe(select)}"
    await press(pilot, "enter", back, "enter")
    still_in(app, stack, select, f"enter, {back} and enter")
    assert select.value == before, f"the old value of {describe(select)} was not picked again"


async def operate_picker(pilot: Pilot[Any], picker: SelectionList[Any]) -> None:
    """An arrow moves the highlight; space picks the region there, and space again unpicks it."""
    app = pilot.app
    stack, start, picked = list(app.screen_stack), picker.highlighted, list(picker.selected)
    await press(pilot, "down")
    if picker.highlighted == start:
        await press(pilot, "up")
    assert picker.highlighted != start, f"no arrow moves in {describe(picker)}"
    await press(pilot, "space")
    assert picker.selected != picked, f"space picked nothing in {describe(picker)}"
    await press(pilot, "space")
    assert picker.selected == picked
    still_in(app, stack, picker)


async def operate_list(pilot: Pilot[Any], options: OptionList) -> None:
    stack, start = list(pilot.app.screen_stack), options.highlighted
    await press(pilot, "down")
    if options.highlighted == start:
        await press(pilot, "up")
    assert options.highlighted != start, f"no arrow moves in {describe(options)}"
    still_in(pilot.app, stack, options)


async def operate_table(pilot: Pilot[Any], table: DataTable[Any]) -> None:
    stack, start = list(pilot.app.screen_stack), table.cursor_row
    assert table.row_count > 1, f"{describe(table)}: the place needs two rows to move in"
    await press(pilot, "down")
    if table.cursor_row == start:
        await press(pilot, "up")
    assert table.cursor_row != start, f"no arrow moves the cursor of {describe(table)}"
    await press(pilot, "up" if table.cursor_row > start else "down")
    assert table.cursor_row == start
    still_in(pilot.app, stack, table)


async def operate_text_area(pilot: Pilot[Any], area: TextArea) -> None:
    """The cursor moves; a read-only text (the private key) takes no typing."""
    stack, start, text = list(pilot.app.screen_stack), area.cursor_location, area.text
    await press(pilot, "down")
    assert area.cursor_location != start, f"down does not move in {describe(area)}"
    await press(pilot, "x")
    assert (area.text == text) if area.read_only else (area.text != text)
    if not area.read_only:
        await press(pilot, "backspace")
    await press(pilot, "up")
    still_in(pilot.app, stack, area)


async def operate_input(pilot: Pilot[Any], field: Input) -> None:
    """What is typed goes in (at the end: focusing a field selects its text), and backspace
    takes it out again."""
    stack, before = list(pilot.app.screen_stack), field.value
    await press(pilot, "end", "x")
    assert field.value == before + "x", f"typing into {describe(field)} gave {field.value!r}"
    await press(pilot, "backspace")
    assert field.value == before
    still_in(pilot.app, stack, field)


async def operate_toggle(pilot: Pilot[Any], toggle: Checkbox | Switch | RadioButton) -> None:
    stack, before = list(pilot.app.screen_stack), toggle.value
    await press(pilot, "space")
    assert toggle.value != before, f"space did not toggle {describe(toggle)}"
    await press(pilot, "space")
    assert toggle.value == before
    still_in(pilot.app, stack, toggle)


async def operate_scroll(pilot: Pilot[Any], scroll: ScrollableContainer) -> None:
    """A column that is a Tab stop of its own scrolls by keyboard when it holds more than it
    shows (the help's keys at 60x18), and back."""
    stack = list(pilot.app.screen_stack)
    if scroll.max_scroll_y > 0:
        await press(pilot, "end")
        assert scroll.scroll_y > 0, f"end does not scroll {describe(scroll)}"
        await press(pilot, "home")
        assert scroll.scroll_y == 0, f"home does not scroll {describe(scroll)} back"
    still_in(pilot.app, stack, scroll)


OPERATE: tuple[tuple[type[Widget], Callable[[Pilot[Any], Any], Any]], ...] = (
    (Select, operate_select),
    (SelectionList, operate_picker),  # before OptionList, which it is
    (OptionList, operate_list),
    (DataTable, operate_table),
    (TextArea, operate_text_area),
    (Input, operate_input),
    (Checkbox, operate_toggle),
    (RadioButton, operate_toggle),
    (Switch, operate_toggle),
    (ScrollableContainer, operate_scroll),
)


async def press_button(
    pilot: Pilot[Any], place: Place, button: Button, backend: LocalBackend
) -> Pressed:
    pressed = BUTTONS.get((place.name, describe(button)))
    assert pressed is not None, f"what does {describe(button)} on {place.name} do? (BUTTONS)"
    app = pilot.app
    assert isinstance(app, KeyPairApp)
    await press(pilot, "enter")
    assert pressed.done(app, backend), (
        f"{describe(button)} on {place.name} {pressed.does}: not seen, with "
        f"{type(app.screen).__name__} in front"
    )
    return pressed


def also_in_another_region(backend: LocalBackend) -> None:
    """web-1's key in a second region, so the table of where it is has two rows to move in."""
    line = TEST_ONLY_PUBLIC_KEYS.read_text().split("\n")[0]
    backend.import_key_pair(ImportKeyPairRequest(OTHER_REGION, "web-1", line)).body()


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.name)
@pilot_test
async def test_every_control_works_by_keyboard(
    make_app: Callable[..., KeyPairApp], store: KeyPairStore, place: Place
) -> None:
    with scene_service(store) as backend:
        also_in_another_region(backend)
        app = make_app(backend=backend)
        async with app.run_test(size=SIZE) as pilot:
            await go_to(pilot, place)
            stops = await walk(pilot, "tab")
            assert controls_left_out(app.screen, stops) == []
            names = [describe(stop.widget) for stop in stops]
            for index in range(len(stops)):
                widget = stops[index].widget
                await focus_by_tab(pilot, widget)
                if isinstance(widget, Button):
                    pressed = await press_button(pilot, place, widget, backend)
                    if pressed.back:  # open the place again, and walk its new controls
                        await press(pilot, *pressed.back)
                        stops = await walk(pilot, "tab")
                        assert [describe(stop.widget) for stop in stops] == names
                    continue
                operate = next((how for kind, how in OPERATE if isinstance(widget, kind)), None)
                assert operate is not None, f"no keyboard way known to operate {describe(widget)}"
                await operate(pilot, widget)


WITH_TAG_ROWS = [place for place in PLACES if place.name in ("form", "tags")]


@pytest.mark.parametrize("place", WITH_TAG_ROWS, ids=lambda place: place.name)
@pilot_test
async def test_ctrl_r_removes_a_tag_row_as_its_mouse_only_button_does(
    make_app: Callable[..., KeyPairApp], store: KeyPairStore, place: Place
) -> None:
    """The ✕ of a tag row takes no focus (KEYBOARD_WAYS): ctrl+r in the row does its work."""
    with scene_service(store) as backend:
        app = make_app(backend=backend)
        async with app.run_test(size=SIZE) as pilot:
            await go_to(pilot, place)
            editor = app.screen.query_one(TagEditor)
            rows = editor.rows
            await focus_by_tab(pilot, rows[0].key_input)
            await press(pilot, "ctrl+r")
            assert editor.rows == rows[1:]
            assert not rows[0].is_attached
