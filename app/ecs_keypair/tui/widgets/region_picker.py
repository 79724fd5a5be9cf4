"""A list of regions to pick several of at once (space toggles), for the copy dialog and the form.

The regions come from the caller (DescribeRegions, or the fixed list), so the widget never calls
a backend itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import SelectionList

from ecs_keypair.contract.regions import REGIONS_BY_ID
from ecs_keypair.tui.outside_text import option


def region_label(region_id: str) -> Text:
    """``cn-hangzhou  China (Hangzhou)``: the id and the local name, or the id if unknown (an
    endpoint's, shown safely)."""
    region = REGIONS_BY_ID.get(region_id)
    return option(f"{region_id}  {region.local_name}" if region else region_id)


class RegionPicker(SelectionList[str]):
    """Regions by id, several picked at once; ``picked`` keeps the list's order.

    A row is always highlighted, the first picked one to start with (else the first row):
    space and the arrows act from there, never from nowhere. The list keeps it in view (it
    scrolls to it as it changes, and as the list gets its size once shown).
    """

    def add_regions(self, region_ids: Iterable[str], picked: Iterable[str] = ()) -> None:
        chosen = set(picked)
        regions = list(region_ids)
        self.add_options([(region_label(region), region, region in chosen) for region in regions])
        self.show_region(next((region for region in regions if region in chosen), None))

    def show_region(self, region_id: str | None) -> None:
        """Highlight ``region_id``'s row (the first row when it is not listed)."""
        rows = [self.get_option_at_index(index).value for index in range(self.option_count)]
        if rows:
            self.highlighted = rows.index(region_id) if region_id in rows else 0

    @property
    def picked(self) -> list[str]:
        return list(self.selected)
