"""Each region's answer to one import: Imported, AlreadyThere, Conflict, or Failed with its code.

Shared by the copy dialog of the key pairs screen and the results of a key made here: one line
per region, the outcome coloured by whether it succeeded, the API's code and message when not.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from ecs_keypair.contract.text_safety import visible
from ecs_keypair.workflows.multi_region import RegionResult

OUTCOME_STYLES = {
    "Imported": "bold green",
    "AlreadyThere": "green",
    "Conflict": "bold yellow",
    "Failed": "bold red",
}


def result_line(result: RegionResult) -> Text:
    """``region  Outcome  Code: message`` for one region."""
    line = Text.assemble(
        (f"{visible(result.region_id):<16}", "bold"),
        (f"{result.outcome:<13}", OUTCOME_STYLES[result.outcome]),
    )
    if result.error is not None:
        line.append(result.error.line)
    return line


def counted(count: int, noun: str) -> str:
    """``1 region``, ``3 regions``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def results_summary(results: Sequence[RegionResult]) -> str:
    """``3 regions: 2 ok, 1 not`` so the outcome reads at a glance."""
    good = sum(result.ok for result in results)
    return f"{counted(len(results), 'region')}: {good} ok, {len(results) - good} not"


class RegionResults(Static):
    """The lines of :func:`result_line`, one per region (user text is never read as markup)."""

    def show(self, results: Sequence[RegionResult]) -> None:
        self.update(Text("\n").join([Text(results_summary(results)), *map(result_line, results)]))
