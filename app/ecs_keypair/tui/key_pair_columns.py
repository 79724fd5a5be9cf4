"""Which columns of the key pairs table fit the terminal, and the cells that fill them.

A column is shown whole or not at all: a table wider than the screen scrolled sideways, with a
header cut in half at the edge (``Reso``) and nothing to say there was more. Name and
fingerprint always fit (the fingerprint shortened in the middle when it must); then tags, the
count of instances (when the region has any), resource group and creation time, in that order,
each while it fits. What a dropped column held
is in the details line under the table. Tags, the last column, take the room that is left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.text import Text

from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.tui.outside_text import cell

ColumnKey = Literal["name", "fingerprint", "instances", "created", "group", "tags"]

PADDING = 2  # DataTable's cell_padding of 1 on each side of every column
FULL_FINGERPRINT = 47  # ``aa:bb:…`` for 16 bytes
SHORT_FINGERPRINT = 11  # ``2a:d4…e9:8f``: the least that still tells keys apart by eye
NAME_MOST = 32  # a wider name is cut with "…" in the table (whole in the details)
NAME_LEAST = 12
GROUP_MOST = 24
TAGS_LEAST = 16  # or as wide as the widest tags, if narrower
CREATED = 17  # ``2026-12-03T02:44Z``
INSTANCES = len("Instances")  # its label: the counts are a few digits

LABELS: dict[ColumnKey, str] = {
    "name": "Name",
    "fingerprint": "Fingerprint (MD5)",
    "instances": "Instances",
    "created": "Created (UTC)",
    "group": "Group",
    "tags": "Tags",
}
ORDER: tuple[ColumnKey, ...] = ("name", "fingerprint", "instances", "created", "group", "tags")


@dataclass(frozen=True, slots=True)
class Column:
    key: ColumnKey
    width: int  # cells of content, without the padding

    @property
    def label(self) -> str:
        return LABELS[self.key] if self.key != "fingerprint" or self.width >= 17 else "MD5"


def _widest(texts: Iterable[str], key: ColumnKey, most: int) -> int:
    """The width of the widest text (up to ``most``), or of the column's label if wider."""
    return max(min(max(map(cell_len, texts), default=0), most), len(LABELS[key]))


def plan_columns(
    room: int,
    names: Iterable[str],
    groups: Iterable[str],
    tags: Iterable[str],
    instances: bool = False,
) -> tuple[Column, ...]:
    """The columns for a table ``room`` cells wide, left to right, given the names, group names
    and tags it will show (each as drawn: escapes already in), and whether it has instance
    counts to show."""
    name = _widest(names, "name", NAME_MOST)
    fingerprint = min(FULL_FINGERPRINT, room - PADDING - (name + PADDING))
    if fingerprint < SHORT_FINGERPRINT:  # too narrow: the name gives way, down to its least
        name = max(NAME_LEAST, room - 2 * PADDING - SHORT_FINGERPRINT)
        fingerprint = max(SHORT_FINGERPRINT, room - 2 * PADDING - name)
    chosen: dict[ColumnKey, int] = {"name": name, "fingerprint": fingerprint}
    left = room - (name + PADDING) - (fingerprint + PADDING)
    optional: list[tuple[ColumnKey, int]] = [("tags", _widest(tags, "tags", TAGS_LEAST))]
    if instances:
        optional.append(("instances", INSTANCES))
    optional += [("group", _widest(groups, "group", GROUP_MOST)), ("created", CREATED)]
    for key, width in optional:
        if width + PADDING <= left:
            chosen[key] = width
            left -= width + PADDING
    if "tags" in chosen:
        chosen["tags"] += left  # the last column takes the rest
    return tuple(Column(key, chosen[key]) for key in ORDER if key in chosen)


def short_fingerprint(fingerprint: str, width: int) -> str:
    """The fingerprint in ``width`` cells: whole, or its first and last bytes around ``…``."""
    if len(fingerprint) <= width:
        return fingerprint
    octets = fingerprint.split(":")
    kept = max((width + 1) // 3, 2)
    head = (kept + 1) // 2
    return ":".join(octets[:head]) + "…" + ":".join(octets[len(octets) - (kept - head) :])


def fitted(text: str, width: int) -> Text:
    """Outside text as a cell ``width`` wide at most, cut with ``…``."""
    shown = cell(text)
    shown.truncate(width, overflow="ellipsis")
    return shown


def row_cells(
    columns: tuple[Column, ...], record: KeyPairRecord, group: str, tags: str, instances: int = 0
) -> tuple[Text, ...]:
    """One table row for the planned columns (``instances``: how many the key pair is bound to)."""
    values: dict[ColumnKey, str] = {
        "name": record.key_pair_name,
        "created": record.creation_time,
        "group": group,
        "tags": tags,
    }
    return tuple(
        cell(short_fingerprint(record.fingerprint, column.width))
        if column.key == "fingerprint"
        else Text(str(instances), justify="right")
        if column.key == "instances"
        else fitted(values[column.key], column.width)
        for column in columns
    )
