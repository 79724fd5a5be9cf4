"""The dialog that copies a key pair's public key into other regions, picked from a list.

It lists every region but the key pair's own (the backend's :meth:`regions`, through
:class:`BackendCalls`), lets the user pick several with space, and on Enter runs the screen's
``copy_key`` (the engine's ``copy_key_pair``) off the event loop; each region's answer is then
shown in the dialog in the picker's place, which Enter or escape closes (the Footer then says
so). The dialog scrolls: in a small terminal the answers are read with the arrow and page keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from ecs_keypair.contract.regions import Region
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.tui.backend_calls import BackendCalls, Failed
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.reading_scroll import ReadingScroll
from ecs_keypair.tui.widgets.region_picker import RegionPicker
from ecs_keypair.tui.widgets.region_results import RegionResults
from ecs_keypair.tui.widgets.verdict import Verdict
from ecs_keypair.workflows.multi_region import RegionResult

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
        Binding("enter", "close_answered", "Close", priority=True, tooltip="Close the dialog",
                id="copy-key-pair.close-answered"),
        Binding("escape", "close", "Close", tooltip="Close the dialog", id="copy-key-pair.close"),
    ]

    answered = reactive(False, bindings=True, toggle_class="-answered")
    """The regions' answers are shown: Enter closes instead of copying."""

    def __init__(self, backend: Any, region_id: str, key_pair_name: str, copy_key: CopyKey) -> None:
        super().__init__()
        self.backend = backend
        self.region_id = region_id
        self.key_pair_name = key_pair_name
        self._copy_key = copy_key
        self.calls = BackendCalls(self, backend)
        self.results: list[RegionResult] | None = None

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="dialog"):
            title = f"Copy {self.key_pair_name} from {self.region_id} into other regions"
            yield Label(visible(title), id="title", markup=False)
            yield RegionPicker(id="regions", compact=True)
            yield Verdict(PICK_HINT, id="copy-problem")
            yield RegionResults(id="copy-results")
        yield Footer()

    def on_mount(self) -> None:
        self.calls.run("regions", self._other_regions, self._regions_listed, locally="worker")

    def _other_regions(self) -> list[Region]:
        return [region for region in self.backend.regions() if region.region_id != self.region_id]

    def _regions_listed(self, outcome: list[Region] | Failed) -> None:
        if isinstance(outcome, Failed):
            self.query_one("#copy-problem", Verdict).show_problem(outcome.problem)
            return
        self.query_one("#regions", RegionPicker).add_regions(outcome)

    @on(RegionPicker.SelectedChanged, "#regions")
    def _picks_changed(self) -> None:
        """"Pick at least one region" (or a failed copy) judged the picks as they were."""
        verdict = self.query_one("#copy-problem", Verdict)
        if verdict.state == "problem":
            verdict.show_hint()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter copies until the answers are shown, then closes (the Footer shows which)."""
        if action == "copy":
            return not self.answered
        if action == "close_answered":
            return self.answered
        return True

    def action_copy(self) -> None:
        if self.calls.in_flight("copy") or not self.is_current:
            return
        picked = self.query_one("#regions", RegionPicker).picked
        verdict = self.query_one("#copy-problem", Verdict)
        if not picked:
            verdict.show_problem("pick at least one region (space)")
            verdict.scroll_visible(animate=False)  # below the list, in a small terminal
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
            verdict.scroll_visible(animate=False)
            return
        self.results = outcome
        verdict.show_hint("enter or escape closes")
        self.answered = True  # the answers take the picker's place
        self.query_one("#copy-results", RegionResults).show(outcome)
        self.call_after_refresh(self._to_the_answers)

    def _to_the_answers(self) -> None:
        """From their first line; the dialog has the focus if they need scrolling."""
        dialog = self.query_one("#dialog", ReadingScroll)
        dialog.scroll_home(animate=False)
        self.set_focus(dialog if dialog.focusable else None)

    def action_close(self) -> None:
        self.dismiss(self.results)

    action_close_answered = action_close  # Enter, once the answers are shown
