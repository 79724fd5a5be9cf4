"""A list of regions to pick several of at once (space toggles), for the copy dialog and the form.

The regions come from the caller (the backend's :meth:`regions`), so the widget never calls a
backend itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import SelectionList

from ecs_keypair.contract.regions import REGIONS_BY_ID, Region
from ecs_keypair.tui.outside_text import option


def region_label(region_id: str, local_name: str | None = None) -> Text:
    """``cn-hangzhou  China (Hangzhou)``: the id and the local name (the endpoint's, else the
    built-in list's), or the id alone if neither has one; shown safely."""
    if local_name is None:
        known = REGIONS_BY_ID.get(region_id)
        local_name = known.local_name if known else ""
    return option(f"{region_id}  {local_name}" if local_name else region_id)


class RegionPicker(SelectionList[str]):
    """Regions by id, several picked at once; ``picked`` keeps the list's order.

    A row is always highlighted, the first picked one to start with (else the first row):
    space and the arrows act from there, never from nowhere. The list keeps it in view (it
    scrolls to it as it changes, and as the list gets its size once shown).
    """

    def add_regions(self, regions: Iterable[Region], picked: Iterable[str] = ()) -> None:
        chosen = set(picked)
        listed = list(regions)
        self.add_options(
            [
                (label, region.region_id, region.region_id in chosen)
                for region in listed
                for label in [region_label(region.region_id, region.local_name)]
            ]
        )
        ids = [region.region_id for region in listed]
        self.show_region(next((region for region in ids if region in chosen), None))

    def relist(self, regions: Iterable[Region]) -> None:
        """Another list of regions (the endpoint's answer), the picks it still has kept."""
        picked = self.picked
        self.clear_options()
        self.add_regions(regions, picked)

    def show_region(self, region_id: str | None) -> None:
        """Highlight ``region_id``'s row (the first row when it is not listed)."""
        rows = [self.get_option_at_index(index).value for index in range(self.option_count)]
        if rows:
            self.highlighted = rows.index(region_id) if region_id in rows else 0

    @property
    def picked(self) -> list[str]:
        return list(self.selected)
