"""The instances that use each key pair, for the key pairs screen: the region's instances read
once (every page, up to a bound), counted per key pair, and told in a few lines under the table.

One DescribeInstances listing of the region, not one call per key pair: a region of many key
pairs costs a page of requests, not a request per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.text import Text

from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.instance_requests import DescribeInstancesRequest
from ecs_keypair.contract.instances import RUNNING, InstanceRecord
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.workflows.instance_pages import listed_instances

PAGE_SIZE = 100  # DescribeInstances' largest MaxResults
MOST_PAGES = 10  # 1,000 instances: past that a screen's count is no longer read at a glance
HEAD = "instances: "


@dataclass(frozen=True, slots=True)
class RegionInstances:
    """A region's instances as one listing read them.

    ``complete`` False: the listing stopped after :data:`MOST_PAGES` pages with more to read.
    ``tells_effect``: the records keep the key pair in effect apart from the bound one (the
    local store does; an endpoint's DescribeInstances names only the bound one).
    """

    records: tuple[InstanceRecord, ...]
    complete: bool
    tells_effect: bool
    _bound: dict[str, list[InstanceRecord]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bound: dict[str, list[InstanceRecord]] = defaultdict(list)
        for record in self.records:
            if record.key_pair_name:
                bound[record.key_pair_name].append(record)
        object.__setattr__(self, "_bound", dict(bound))

    def count(self, key_pair_name: str) -> int:
        """How many instances the key pair is bound to."""
        return len(self._bound.get(key_pair_name, ()))

    def bound_to(self, key_pair_name: str) -> list[InstanceRecord]:
        return self._bound.get(key_pair_name, [])

    def lingering(self, key_pair_name: str) -> list[InstanceRecord]:
        """Instances the key pair was detached from (or replaced on) that still let it in until
        their next reboot or start."""
        if not self.tells_effect:
            return []
        return [
            record
            for record in self.records
            if record.in_effect is not None
            and record.in_effect.key_pair_name == key_pair_name
            and record.key_pair_name != key_pair_name
        ]


def read_region_instances(backend: KeyPairBackend, region_id: str) -> RegionInstances:
    """Every instance of the region, page by page (by token), at most :data:`MOST_PAGES` pages."""
    records, whole = listed_instances(
        backend, DescribeInstancesRequest(region_id), MOST_PAGES, PAGE_SIZE
    )
    return RegionInstances(records, whole, backend.is_local)


def _effect(record: InstanceRecord, key_pair_name: str) -> str:
    """Whether the key pair lets one in on the instance now, or from when."""
    at_boot = "reboot" if record.status == RUNNING else "start"
    if record.key_pair_name != key_pair_name:
        return f"detached, in effect until {at_boot}"
    if record.in_effect == record.bound:
        return "in effect"
    return f"at next {at_boot}"


def instance_entry(record: InstanceRecord, key_pair_name: str, tells_effect: bool) -> str:
    """``web (Running, in effect) i-…``: the name, the status and, where the record tells,
    whether the key pair is in effect; then the id (alone when the name is the id), which a
    narrow line cuts first."""
    state = f"{record.status}, {_effect(record, key_pair_name)}" if tells_effect else record.status
    named = record.instance_name and record.instance_name != record.instance_id
    ending = f" {record.instance_id}" if named else ""
    return visible(f"{record.instance_name if named else record.instance_id} ({state}){ending}")


def fitted_line(text: str, width: int, suffix: str = "") -> Text:
    """``text`` cut with ``…`` so that it and ``suffix`` (kept whole) fit ``width`` cells."""
    line = Text(text, no_wrap=True)
    line.truncate(max(width - cell_len(suffix), 1), overflow="ellipsis")
    line.append(suffix)
    return line


def packed_lines(entries: Sequence[str], width: int, room: int, head: str = HEAD) -> list[Text]:
    """One entry a line, in at most ``room`` lines of ``width`` cells, ``head`` before the
    first; what does not fit is counted on the last line (``· +3 more``), which stays whole."""
    room = max(room, 1)
    shown = list(entries) if len(entries) <= room else list(entries[:room])
    hidden = len(entries) - len(shown)
    indent = " " * cell_len(head)
    lines = []
    for index, entry in enumerate(shown):
        prefix = head if index == 0 else indent
        suffix = f" · +{hidden} more" if hidden and index == len(shown) - 1 else ""
        lines.append(fitted_line(prefix + entry, width, suffix))
    return lines


def instances_lines(
    key_pair_name: str, instances: RegionInstances, width: int, room: int
) -> list[Text]:
    """The details' lines on the instances of one key pair: bound first, then those it is
    still in effect on."""
    head = HEAD if instances.complete else f"of the first {len(instances.records)} {HEAD}"
    records: Iterable[InstanceRecord] = [
        *instances.bound_to(key_pair_name),
        *instances.lingering(key_pair_name),
    ]
    entries = [instance_entry(each, key_pair_name, instances.tells_effect) for each in records]
    if not entries:
        return [fitted_line(f"{head}none", width)]
    return packed_lines(entries, width, room, head)


def not_shown_line(reason: str, width: int) -> Text:
    """Why the instances are not shown (a failed DescribeInstances, an unreachable endpoint)."""
    return fitted_line(f"instances not shown: {visible(reason)}", width)
