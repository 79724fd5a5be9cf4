"""The keys of the screen in front, grouped by where they work, with what each does (F1, or ?
where no text field takes it).

The list is one table that folds its second column to the width there is, in a column that
scrolls by keyboard (up, down, page up, page down, home, end): at 60x18 every row is reachable
and no line runs off to the right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from ecs_keypair.tui.styles import stylesheet

THIS_SCREEN = "This screen"
EVERYWHERE = "Everywhere"
CONTROLS: tuple[tuple[type[Widget], str], ...] = (
    (Input, "In a text field"),
    (TextArea, "In the private key"),
    (DataTable, "In the table"),
    (Select, "In a list to pick from"),
    (SelectionList, "In the regions to pick"),
    (Button, "On a button"),
    (Checkbox, "On a checkbox"),
)


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One key: where it works, how it is written, what it does, and the id a keymap in the
    settings file rebinds it by (none for Textual's own keys of a control)."""

    group: str
    key: str
    does: str
    ids: str = ""


def keys_of(screen: Screen[object]) -> list[KeyHelp]:
    """Every key the screen answers now: the screen's own first, then the focused control's,
    then those that work everywhere; keys that do the same thing share a row."""
    app = screen.app
    rows: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        does = binding.description or binding.tooltip
        if binding.system or not does:
            continue
        row = (_group(active.node, screen), does)
        rows.setdefault(row, []).append(app.get_key_display(binding))
        row_ids = ids.setdefault(row, [])
        if binding.id and binding.id not in row_ids:
            row_ids.append(binding.id)
    found = [
        KeyHelp(group, " ".join(keys), does, " ".join(ids[group, does]))
        for (group, does), keys in rows.items()
    ]
    order = {THIS_SCREEN: 0, EVERYWHERE: 2}
    return sorted(found, key=lambda each: order.get(each.group, 1))


def screen_name(screen: Screen[object]) -> str:
    """``KeyPairsScreen`` as a person says it: "key pairs"."""
    name = type(screen).__name__.removesuffix("Screen").removesuffix("Dialog")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _group(node: DOMNode, screen: Screen[object]) -> str:
    if node is screen:
        return THIS_SCREEN
    if node is screen.app:
        return EVERYWHERE
    for kind, where in CONTROLS:
        if isinstance(node, kind):
            return where
    return f"In the focused {type(node).__name__}"


class HelpScreen(ModalScreen[None]):
    """A table of the keys, scrolled by keyboard: escape, F1 (the App's) or ? closes it."""

    CSS_PATH = stylesheet("help.tcss")
    AUTO_FOCUS = "#keys"
    BINDINGS = [Binding("escape,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, keys: list[KeyHelp], title: str) -> None:
        super().__init__()
        self.keys = keys
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Keys: {self.title_text}", id="title", markup=False)
            with VerticalScroll(id="keys"):
                yield Static(key_table(self.keys), id="key-table")
        yield Footer()


def key_table(keys: list[KeyHelp]) -> Table:
    """The keys under a heading per group; what each does folds to the width there is."""
    table = Table(box=None, expand=True, pad_edge=False, header_style="bold")
    table.add_column("Key", no_wrap=True)
    table.add_column("What it does  (id for a keymap)", ratio=1, overflow="fold")
    group = ""
    for each in keys:
        if each.group != group:
            group = each.group
            table.add_row(Text(group, style="bold"), Text(""))
        does = Text(each.does)  # Text: never read as markup
        if each.ids:
            does.append(f"  {each.ids}", style="dim")
        table.add_row(Text(f"  {each.key}"), does)
    return table
