"""The dialog that copies a key pair's public key into other regions, picked from a list.

It lists every region but the key pair's own (DescribeRegions, through :class:`ServiceCalls`),
lets the user pick several with space, and on Enter runs the screen's ``copy_key`` (the engine's
``copy_key_pair``) off the event loop; each region's answer is then shown in the dialog, which
Enter or escape closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from app.engine.multi_region import ALL_REGIONS, RegionResult, region_ids
from app.engine.text_safety import visible
from app.tui.service_calls import Failed, ServiceCalls
from app.tui.styles import stylesheet
from app.tui.widgets.region_picker import RegionPicker
from app.tui.widgets.region_results import RegionResults
from app.tui.widgets.verdict import Verdict

# The regions picked -> each region's answer; raises ApiException when the key cannot be read.
CopyKey = Callable[[Sequence[str]], list[RegionResult]]

PICK_HINT = "space picks a region (several at once), enter copies"


class CopyKeyPairDialog(ModalScreen[list[RegionResult] | None]):
    """Picks regions, copies, shows each region's answer; dismisses with them (None: nothing)."""

    CSS_PATH = stylesheet("copy_key_pair.tcss")
    AUTO_FOCUS = "#regions"
    BINDINGS = [
        Binding("enter", "copy", "Copy", priority=True, tooltip="Copy into the picked regions",
                id="copy-key-pair.copy"),
        Binding("escape", "close", "Close", tooltip="Close the dialog", id="copy-key-pair.close"),
    ]

    def __init__(self, service: Any, region_id: str, key_pair_name: str, copy_key: CopyKey) -> None:
        super().__init__()
        self.service = service
        self.region_id = region_id
        self.key_pair_name = key_pair_name
        self._copy_key = copy_key
        self.calls = ServiceCalls(self, service)
        self.results: list[RegionResult] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = f"Copy {self.key_pair_name} from {self.region_id} into other regions"
            yield Label(visible(title), id="title", markup=False)
            yield RegionPicker(id="regions", compact=True)
            yield Verdict(PICK_HINT, id="copy-problem")
            yield RegionResults(id="copy-results")
        yield Footer()

    def on_mount(self) -> None:
        others = partial(region_ids, self.service, ALL_REGIONS, [self.region_id])
        self.calls.run("regions", others, self._regions_listed, locally="worker")

    def _regions_listed(self, outcome: list[str] | Failed) -> None:
        if isinstance(outcome, Failed):
            self.query_one("#copy-problem", Verdict).show_problem(outcome.problem)
            return
        self.query_one("#regions", RegionPicker).add_regions(outcome)

    def action_copy(self) -> None:
        if self.results is not None:
            self.dismiss(self.results)  # the answers are shown: Enter closes
            return
        if self.calls.in_flight("copy") or not self.is_current:
            return
        picked = self.query_one("#regions", RegionPicker).picked
        verdict = self.query_one("#copy-problem", Verdict)
        if not picked:
            verdict.show_problem("pick at least one region (space)")
            return
        verdict.show_hint(f"copying into {len(picked)} regions…")
        self.calls.run(
            "copy", partial(self._copy_key, picked), self._copied, locally="worker",
            every_answer=True,
        )

    def _copied(self, outcome: list[RegionResult] | Failed) -> None:
        verdict = self.query_one("#copy-problem", Verdict)
        if isinstance(outcome, Failed):
            verdict.show_problem(outcome.problem)
            return
        self.results = outcome
        verdict.show_hint("enter or escape closes")
        self.query_one("#regions", RegionPicker).disabled = True
        self.query_one("#copy-results", RegionResults).show(outcome)

    def action_close(self) -> None:
        self.dismiss(self.results)
