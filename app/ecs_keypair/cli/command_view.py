"""What the aliyun conventions (region, output, pager, dry run, completion) need of the command
table, read in this one module so that a change of the table is adapted here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecs_keypair.backends import Target
    from ecs_keypair.cli.parsing import UsageError
    from ecs_keypair.cli.request import Request

REGION_PARAMETER = "RegionId"
RESOURCE_TYPE_PARAMETER = "ResourceType"
TAG_OPTIONS = ("Tag.N.Key", "Tag.N.Value")


class Paging(Enum):
    """How a command's answers come a page at a time; the value is the parameter that moves on."""

    PAGE_NUMBER = "PageNumber"
    NEXT_TOKEN = "NextToken"


_PAGING_BY_PARAMETER = {paging.value: paging for paging in Paging}


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """One command as the conventions see it. ``parameters`` are spelled as typed after ``--``
    (numbered ones with ``N``: ``Tag.N.Key``, ``ResourceId.N``); ``choices`` holds the values a
    parameter takes, where they are known (booleans, ``ResourceType``)."""

    name: str
    parameters: tuple[str, ...]
    paging: Paging | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    needs_region: bool = False

    @property
    def takes_region(self) -> bool:
        return REGION_PARAMETER in self.parameters


def command_infos() -> dict[str, CommandInfo]:
    """Every API command of the table, by name, in the table's order."""
    from ecs_keypair.cli.commands import COMMANDS
    from ecs_keypair.contract.api_requests import KEYPAIR_RESOURCE_TYPE
    from ecs_keypair.contract.params import BOOLEANS, Kind

    infos = {}
    for command in COMMANDS.values():
        names = tuple(spelling for param in command.params for spelling in param.spellings)
        paging = next((_PAGING_BY_PARAMETER[n] for n in names if n in _PAGING_BY_PARAMETER), None)
        choices = tuple(
            (param.name, tuple(BOOLEANS))
            if param.kind is Kind.BOOLEAN
            else (param.name, (KEYPAIR_RESOURCE_TYPE,))
            for param in command.params
            if param.kind is Kind.BOOLEAN or param.name == RESOURCE_TYPE_PARAMETER
        )
        needs_region = any(p.name == REGION_PARAMETER and p.required for p in command.params)
        infos[command.name] = CommandInfo(command.name, names, paging, choices, needs_region)
    return infos


def usage_error(message: str, command_name: str | None) -> UsageError:
    """The table's usage error, pointing at ``command_name``'s ``--help`` when it is a command."""
    from ecs_keypair.cli.commands import COMMANDS
    from ecs_keypair.cli.parsing import UsageError

    return UsageError(message, COMMANDS.get(command_name or ""))


def flat_parameters(request: Request) -> dict[str, str]:
    """A parsed request as the flat ``{name: value}`` map the API receives."""
    return dict(request.params)


def with_parameters(request: Request, values: dict[str, str]) -> Request:
    """``request`` with some parameters set anew (the pager's next page), read again by the
    table; a value it refuses is answered as the API's error, as for any request."""
    request.params.update(values)
    request.typed = request.action.read(request.params)
    return request


def api_version() -> str:
    from ecs_keypair.server.actions import API_VERSION

    return API_VERSION


def target_of(request: Request) -> Target:
    """Where the request goes: ``--endpoint``, the cloud, or (empty) the local store."""
    return request.target
