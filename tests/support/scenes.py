"""Every screen and dialog of the app, reached from the form by keyboard as a person would.

A scene is a state worth looking at: a name, the screen class in front once it is set up, and
the setup (what is typed from the form, over a store that holds the stock key pairs of
screenshots/scenes.py, with its pinned ids, times and key material, unless the scene says the
store is empty). The snapshot tests picture each scene at each of :data:`SIZES`.

A place is a screen to walk and operate by keyboard, with its Tab stops in order (the focus
walk and the operate tests). :func:`screen_classes` lists every screen class of the app, so a
test can ask that each has a scene and a place.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, cast

from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.choose_region import ChooseRegionDialog
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.copy_key_pair import CopyKeyPairDialog
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.screens.help import HelpScreen
from ecs_keypair.tui.screens.import_key_pair import ImportKeyPairDialog
from ecs_keypair.tui.screens.key_pair_everywhere import KeyPairEverywhereDialog
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.screens.rotate_key_pair import RotateKeyPairDialog
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from ecs_keypair.tui.textual_compat import KeysInOrderApp
from textual import events
from textual.app import REPLACED_KEYS
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.screen import Screen

from screenshots.scenes import fixed_key, pinned, settle, stock_key_pairs
from tests.support.pilot import until

SIZES = ((60, 18), (80, 24), (120, 40))
"""The sizes every screen must work at: the smallest usable, the default, a large one."""

Setup = Callable[[Pilot[Any]], Awaitable[None]]


class Typed(NamedTuple):
    """Text typed into the focused field in one go, as a fast typist or a paste without
    bracketed paste does (the app takes such keys together); far quicker than a key at a time."""

    text: str


Step = str | Typed  # a key name, "settle" (wait for the workers), or text typed in one go


class Scene(NamedTuple):
    name: str
    shows: type[Screen[Any]]
    """The screen in front once set up (checked when the scene is played)."""
    setup: Setup
    stocked: bool = True
    """Whether the form's region holds the stock key pairs; else the store is empty."""


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def key_event(key: str) -> events.Key:
    """The event a terminal read gives for ``key`` (a name, or a character), as Pilot makes it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        name = _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        character: str | None = unicodedata.lookup(name)
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def arrive(pilot: Pilot[Any], *keys: str) -> None:
    """Post ``keys`` as one read of the terminal brings them, then wait until the app has
    routed and handled every one (a marker on the App's queue goes behind them) and the workers
    they started have finished. Quicker than Pilot's press, which waits for the process to
    idle twice after each key."""
    app = cast(KeysInOrderApp[Any], pilot.app)  # Pilot types its app as a plain App
    for key in keys:
        app.post_message(key_event(key))
    read: list[bool] = []
    app.call_later(read.append, True)
    await until(pilot, lambda: bool(read) and app.routing_idle, f"{keys} handled")
    await app.workers.wait_for_complete()
    await pilot.pause()


def steps(*keys: Step) -> Setup:
    """A setup that plays ``keys`` in order, each key pressed as a person would."""

    async def play(pilot: Pilot[Any]) -> None:
        for key in keys:
            if isinstance(key, Typed):
                await arrive(pilot, *key.text)
            elif key == "settle":
                await settle(pilot)
            else:
                await pilot.press(key)

    return play


def then(first: Setup, *keys: Step) -> Setup:
    """``first``, let its workers finish, then ``keys``."""
    more = steps(*keys)

    async def play(pilot: Pilot[Any]) -> None:
        await first(pilot)
        await settle(pilot)
        await more(pilot)

    return play


async def light_theme(pilot: Pilot[Any]) -> None:
    pilot.app.theme = "textual-light"
    await pilot.pause()


# The paths a person takes; "settle" waits for the workers (key generation, the table's load).
TAGGED_FORM = steps(
    Typed("web-3"), "ctrl+t", Typed("env"), "tab", Typed("prod"), "ctrl+t", Typed("team"), "tab",
    Typed("web"),
)
RESULTS = then(TAGGED_FORM, "enter", "settle")
KEY_PAIRS = steps("ctrl+o", "settle")
# name, region, group, then "Key made": made here; the key type, then one more region to import into
MADE_HERE_FORM = steps(
    Typed("laptop"), "tab", "tab", "tab", "enter", "down", "enter", "tab", "tab", "down", "space"
)

SCENES: tuple[Scene, ...] = (
    Scene("form", CreateKeyPairScreen, steps()),
    Scene("form-name-taken", CreateKeyPairScreen, steps(Typed("web-1"))),
    Scene("form-tags", CreateKeyPairScreen, TAGGED_FORM),
    Scene("form-made-here", CreateKeyPairScreen, MADE_HERE_FORM),
    # the focus style of a compact Select, which has no border to show it
    Scene("form-select-focused", CreateKeyPairScreen, steps("tab")),
    Scene("form-region-picker-open", CreateKeyPairScreen, steps("tab", "enter")),
    Scene("help", HelpScreen, steps("f1")),
    Scene("results", ResultsScreen, RESULTS),
    Scene("save", SaveKeyDialog, then(RESULTS, "s")),
    Scene(
        "save-passphrases-differ",
        SaveKeyDialog,
        then(RESULTS, "s", "tab", "tab", Typed("secret"), "tab", Typed("secrex")),
    ),
    # the third row, db-primary: its group, tags and local key in the details below the table
    Scene("key-pairs-details", KeyPairsScreen, then(KEY_PAIRS, "down", "down")),
    Scene("key-pairs-filtered", KeyPairsScreen, then(KEY_PAIRS, "slash", Typed("web*"))),
    Scene("key-pairs-empty", KeyPairsScreen, KEY_PAIRS, stocked=False),
    Scene("key-pairs-light-theme", KeyPairsScreen, then(light_theme, "ctrl+o")),
    Scene(
        "import-with-an-error",
        ImportKeyPairDialog,
        then(KEY_PAIRS, "i", Typed("laptop-2027"), "tab", Typed("ssh-rsa AAAA-not-a-key"), "enter"),
    ),
    Scene("edit-tags", EditKeyPairDialog, then(KEY_PAIRS, "t")),
    Scene(
        "copy-with-each-regions-answer",
        CopyKeyPairDialog,
        then(KEY_PAIRS, "c", "settle", "down", "space", "down", "space", "enter"),
    ),
    Scene("key-pair-everywhere", KeyPairEverywhereDialog, then(KEY_PAIRS, "w")),
    Scene("delete-confirm", ConfirmDialog, then(KEY_PAIRS, "down", "d")),
    Scene("choose-region", ChooseRegionDialog, then(KEY_PAIRS, "g", Typed("bei"))),
    Scene("rotate", RotateKeyPairDialog, then(KEY_PAIRS, "R", Typed("web-9"))),
)


class Place(NamedTuple):
    """A screen or dialog to walk and operate by keyboard: how to get there from the form, and
    its Tab stops in order from the one focused on arrival (as :func:`focus.describe` names
    them)."""

    name: str
    shows: type[Screen[Any]]
    setup: Setup
    chain: tuple[str, ...]


PLACE_NAME = "web-9"  # the name typed on the form: free in the stock region
MADE = then(steps(Typed(PLACE_NAME)), "enter", "settle")
LISTED = KEY_PAIRS  # the first row, web-1, is highlighted: two tags, in the production group

PLACES: tuple[Place, ...] = (
    Place(
        "form",
        CreateKeyPairScreen,
        # a name, a tag row with a key; then back to the name
        steps(Typed(PLACE_NAME), "ctrl+t", Typed("env"), "shift+tab", "shift+tab", "shift+tab"),
        ("CheckedInput#name", "Select#region", "Select#resource-group", "CheckedInput",
         "CheckedInput", "Select#key-source", "Button#create"),
    ),
    Place(
        "form-made-here",
        CreateKeyPairScreen,
        # "Key made": made here; then back to the name
        steps(Typed(PLACE_NAME), "tab", "tab", "tab", "enter", "down", "enter", "shift+tab",
              "shift+tab"),
        ("CheckedInput#name", "Select#region", "Select#key-source", "Select#key-type",
         "RegionPicker#import-regions", "Button#create"),
    ),
    Place("help", HelpScreen, steps("f1"), ("VerticalScroll#keys",)),
    Place("results", ResultsScreen, MADE, ("TextArea#private-key",)),
    Place(
        "save",
        SaveKeyDialog,
        then(MADE, "s"),
        ("Input#path", "Select#key-format", "Input#passphrase", "Input#passphrase-again",
         "Button#save", "Button#cancel"),
    ),
    Place("leave", ConfirmDialog, then(MADE, "escape"), ("Button#no", "Button#yes")),
    Place("key-pairs", KeyPairsScreen, LISTED, ("DataTable#key-pairs", "Input#filter")),
    Place(
        "tags",
        EditKeyPairDialog,
        then(LISTED, "t"),
        ("Select#group", "CheckedInput", "CheckedInput", "CheckedInput", "CheckedInput",
         "Button#save", "Button#cancel"),
    ),
    Place(
        "import", ImportKeyPairDialog, then(LISTED, "i"), ("CheckedInput#name", "Input#public-key")
    ),
    Place("copy", CopyKeyPairDialog, then(LISTED, "c"), ("RegionPicker#regions",)),
    Place("where", KeyPairEverywhereDialog, then(LISTED, "w"), ("DataTable#everywhere",)),
    Place("delete", ConfirmDialog, then(LISTED, "d"), ("Button#no", "Button#yes")),
    Place(
        "choose-region", ChooseRegionDialog, then(LISTED, "g"),
        ("Input#region-search", "OptionList#regions"),
    ),
    Place(
        "rotate",
        RotateKeyPairDialog,
        then(LISTED, "R", Typed(PLACE_NAME)),
        ("CheckedInput#name", "Select#key-source", "Input#path", "Select#key-format",
         "Input#passphrase", "Input#passphrase-again", "Checkbox#reboot", "Checkbox#delete-old",
         "Button#rotate", "Button#cancel"),
    ),
)


async def go_to(pilot: Pilot[Any], place: Place) -> None:
    """From the whole form, to ``place``; then its screen must be in front."""
    await play_scene(pilot, Scene(place.name, place.shows, place.setup))


async def play_scene(pilot: Pilot[Any], scene: Scene) -> None:
    """From the whole form, the scene's setup; then its screen must be in front."""
    await cast(KeyPairApp, pilot.app).form.whole()  # Pilot types its app as a plain App
    await settle(pilot)
    await scene.setup(pilot)
    await settle(pilot)
    await pilot.wait_for_scheduled_animations()
    assert isinstance(pilot.app.screen, scene.shows), (
        f"{scene.name}: {type(pilot.app.screen).__name__} in front, not {scene.shows.__name__}"
    )


@contextmanager
def scene_service(store: KeyPairStore, stocked: bool = True) -> Iterator[LocalBackend]:
    """The real backend over ``store``, with the fixed key and pinned ids and times while in
    use, holding the stock key pairs unless told otherwise."""
    with pinned():
        backend = LocalBackend(store, generate=fixed_key)
        if stocked:
            stock_key_pairs(backend)
        yield backend


def screen_classes() -> set[type[Screen[Any]]]:
    """Every screen class the terminal app defines (its modules imported to find them), but
    the bases other screens are made from."""
    package = importlib.import_module(KeyPairApp.__module__.rpartition(".")[0])
    found: set[type[Screen[Any]]] = set()
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                found.add(value)
    bases = {base for cls in found for base in cls.__mro__[1:]}
    return found - bases
