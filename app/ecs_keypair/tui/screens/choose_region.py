"""The dialog that picks the region whose key pairs to show: type to narrow, enter to pick.

The regions are the backend's, as the form offers them (:meth:`KeyPairBackend.regions`),
labelled as every region list in the app is (:func:`region_label`); the dialog only collects
the choice, the caller shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from ecs_keypair.contract.regions import Region
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.region_picker import region_label
from ecs_keypair.tui.widgets.verdict import Verdict

HINT = "type to narrow · ↑ ↓ move · enter shows it"
LIST_MOST = 12  # rows of regions on a tall terminal
AROUND_LIST = 12  # rows the rest takes: border, padding, title, search, hint, Footer


def matching(typed: str, regions: Sequence[Region]) -> tuple[list[str], int]:
    """The region ids whose label (id and local name) holds what was typed, any case, in the
    list's order, and the index of the best of them: the one where it starts earliest
    (``hang``: cn-hangzhou before cn-zhangjiakou and cn-shanghai)."""
    wanted = typed.strip().lower()
    found: list[tuple[str, int]] = []
    for region in regions:
        at = region_label(region.region_id, region.local_name).plain.lower().find(wanted)
        if at >= 0:
            found.append((region.region_id, at))
    best = min(range(len(found)), key=lambda index: found[index][1], default=0)
    return [region_id for region_id, _ in found], best


class ChooseRegionDialog(ModalScreen[str | None]):
    """Dismisses with the region picked, or None (escape)."""

    CSS_PATH = stylesheet("choose_region.tcss")
    AUTO_FOCUS = "#region-search"
    BINDINGS: ClassVar[list[BindingType]] = [
        # the search field binds neither: they move the list's highlight from there
        Binding("down", "move(1)", "Next", show=False, id="choose-region.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="choose-region.previous"),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Keep the region shown now",
            id="choose-region.cancel",
        ),
    ]

    def __init__(self, shown: str, regions: Sequence[Region]) -> None:
        super().__init__()
        self.shown = shown
        self.regions = regions
        self._names = {region.region_id: region.local_name for region in regions}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Show the key pairs of which region?", id="title")
            yield Input(placeholder="a region: id or city", id="region-search", compact=True)
            yield OptionList(id="regions", compact=True)
            yield Verdict(HINT, id="region-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._list("")

    def on_resize(self, event: events.Resize) -> None:
        """As many regions as the terminal leaves room for: at 18 lines the list, not the
        dialog, gives way, so the highlighted region stays in sight."""
        rows = max(3, min(LIST_MOST, event.size.height - AROUND_LIST))
        self.query_one("#regions", OptionList).styles.max_height = rows

    def _list(self, typed: str) -> None:
        """The regions that match, the best highlighted (before anything is typed, the one
        shown now)."""
        options = self.query_one("#regions", OptionList)
        found, best = matching(typed, self.regions)
        options.set_options(
            Option(self._label(region_id), id=region_id) for region_id in found
        )
        if found:
            shown_first = not typed.strip() and self.shown in found
            options.highlighted = found.index(self.shown) if shown_first else best
            self.query_one("#region-hint", Verdict).show_hint()
        else:
            self.query_one("#region-hint", Verdict).show_problem(
                f"no region matches '{typed.strip()}'"
            )

    def _label(self, region_id: str) -> Text:
        label = region_label(region_id, self._names.get(region_id))
        if region_id == self.shown:
            label.append("  (shown now)", style="dim")
        return label

    @on(Input.Changed, "#region-search")
    def _narrow(self, event: Input.Changed) -> None:
        self._list(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#regions", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#region-search")
    def _pick_highlighted(self) -> None:
        options = self.query_one("#regions", OptionList)
        if options.highlighted is None:
            return  # nothing matches: the hint says so
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#regions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
