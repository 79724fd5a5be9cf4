"""The form's resource group list: blank is the default group, which is not listed again.

The backend lists every group, the default one too (the local store's, named ``default`` as
the cloud names it); the blank entry already stands for it (no ``ResourceGroupId``: the default
group), so it is not listed a second time. An endpoint cannot say which group is its default:
its groups are all listed, under the blank entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Select

from ecs_keypair.contract.records import ResourceGroup
from ecs_keypair.tui.outside_text import option

DEFAULT_GROUP_NAME = "default"
"""The default group's name, in the cloud's Resource Manager and in the local store alike."""

GroupOptions = list[tuple[Text, str]]


def group_options(groups: Sequence[ResourceGroup]) -> GroupOptions:
    """``Development  rg-…`` for each group but the default one (the blank entry)."""
    return [
        (option(f"{group.display_name}  {group.id}"), group.id)
        for group in groups
        if group.name != DEFAULT_GROUP_NAME
    ]


def relist(select: Select[str], options: GroupOptions) -> bool:
    """Give ``select`` these options, keeping its pick while that group is listed, without a
    ``Changed`` for the pick that stays; True when the pick had to go (its group is gone)."""
    chosen = select.value
    kept = any(group_id == chosen for _label, group_id in options)
    with select.prevent(Select.Changed):
        select.set_options(options)
        if kept:
            select.value = chosen
    return isinstance(chosen, str) and not kept
