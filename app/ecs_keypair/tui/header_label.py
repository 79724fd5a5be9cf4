"""The header's second half: where the key pairs live and, on the cloud, the form's region,
cut to what the header has room for."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

HEADER_SIDES = 18  # Textual's Header: its icon (8 cells) and the room of its clock (10)
TITLE_JOIN = " — "  # how Textual's App.format_title joins the title and the sub-title
PART_JOIN = " · "
MIN_KEPT = 3  # cells of a name worth showing before its ellipsis


def header_room(width: int, title: str) -> int:
    """Cells of a ``width``-wide header left to the sub-title after the title."""
    return width - HEADER_SIDES - cell_len(title + TITLE_JOIN)


def header_label(label: str, region_id: str | None, room: int) -> str:
    """``label · region`` in ``room`` cells when it fits. Else the label's first parts give way
    (``Alibaba Cloud``), then its last part (the profile) is cut short with an ellipsis, then the
    region stands alone: the region is named whole. Without a region, the label as it is."""
    if region_id is None:
        return label
    parts = label.split(PART_JOIN)
    for first in range(len(parts)):
        text = PART_JOIN.join([*parts[first:], region_id])
        if cell_len(text) <= room:
            return text
    kept = room - cell_len(PART_JOIN + region_id) - 1
    if kept >= MIN_KEPT:
        return f"{set_cell_size(parts[-1], kept)}…{PART_JOIN}{region_id}"
    return region_id
