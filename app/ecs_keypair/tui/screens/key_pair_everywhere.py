"""The dialog that shows which regions hold a key pair of this name or this fingerprint.

ECS key pairs live in one region each, so "where is my key?" means asking every region: the
engine's ``find_everywhere`` does, once by name and once by fingerprint, off the event loop.
A region that could not be asked is listed with its error, so a partial answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label

from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.tui.backend_calls import BackendCalls, Failed
from ecs_keypair.tui.outside_text import cell
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.reading_scroll import ReadingScroll
from ecs_keypair.tui.widgets.region_results import counted, result_line
from ecs_keypair.tui.widgets.verdict import Verdict
from ecs_keypair.workflows.multi_region import RegionResult, find_everywhere

COLUMNS = ("Region", "Name", "Holds", "Fingerprint (MD5)")


@dataclass(frozen=True, slots=True)
class Everywhere:
    """The key pairs of the name or the fingerprint, and the regions that did not answer."""

    found: list[KeyPairRecord]
    unanswered: list[RegionResult]


def search_everywhere(backend: Any, record: KeyPairRecord) -> Everywhere:
    """By name, then by fingerprint, each key pair once (slow: every region is asked twice)."""
    by_name, unanswered = find_everywhere(backend, key_pair_name=record.key_pair_name)
    by_key, more = find_everywhere(backend, fingerprint=record.fingerprint)
    found = {(each.region_id, each.key_pair_name): each for each in (*by_name, *by_key)}
    failed = {each.region_id: each for each in (*unanswered, *more)}
    in_order = sorted(found.values(), key=lambda each: each.region_id)
    return Everywhere(in_order, list(failed.values()))


def holds(record: KeyPairRecord, found: KeyPairRecord) -> str:
    """What a found key pair holds, compared with the one asked about."""
    if found.fingerprint != record.fingerprint:
        return "another key, same name"
    return "this key" if found.key_pair_name == record.key_pair_name else "this key, other name"


class KeyPairEverywhereDialog(ModalScreen[None]):
    """A table of every region's key pairs of this name or this key."""

    CSS_PATH = stylesheet("key_pair_everywhere.tcss")
    AUTO_FOCUS = "#everywhere"
    BINDINGS = [
        Binding("escape,enter", "close", "Close", priority=True, id="key-pair-everywhere.close")
    ]

    def __init__(self, backend: Any, record: KeyPairRecord) -> None:
        super().__init__()
        self.backend = backend
        self.record = record
        self.calls = BackendCalls(self, backend)

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="dialog"):
            record = self.record
            # the fingerprint on a line of its own: two lines at 60 columns, not three
            lines = (
                f"{record.key_pair_name} or its key in every region",
                f"key {record.fingerprint}",
            )
            yield Label("\n".join(map(visible, lines)), id="title", markup=False)
            table: DataTable[Text] = DataTable(id="everywhere", cursor_type="row")
            table.add_columns(*COLUMNS)
            yield table
            yield Verdict("asking every region…", id="everywhere-status")
        yield Footer()

    def on_mount(self) -> None:
        search = partial(search_everywhere, self.backend, self.record)
        self.calls.run("everywhere", search, self._answered, locally="worker")

    def _answered(self, outcome: Everywhere | Failed) -> None:
        status = self.query_one("#everywhere-status", Verdict)
        if isinstance(outcome, Failed):
            status.show_problem(outcome.problem)
            return
        table = self.query_one("#everywhere", DataTable)
        for found in outcome.found:
            cells = (
                found.region_id, found.key_pair_name, holds(self.record, found), found.fingerprint
            )
            table.add_row(*map(cell, cells))
        # it had the focus, and was scrolled into view, while it was empty and one line tall
        self.call_after_refresh(table.scroll_visible, animate=False)
        regions = len({found.region_id for found in outcome.found})
        pairs = counted(len(outcome.found), "key pair")
        status.show_hint(f"{pairs} in {counted(regions, 'region')}")
        if outcome.unanswered:
            lines = [Text("Not answered:"), *map(result_line, outcome.unanswered)]
            status.show_problem(str(Text("\n").join(lines)))

    def action_close(self) -> None:
        self.dismiss(None)
