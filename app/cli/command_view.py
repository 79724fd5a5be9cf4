"""What the aliyun conventions (region, output, pager, dry run, completion) need of the command
table, read in this one module so that a change of the table is adapted here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.cli.parsing import UsageError
    from app.cli.request import Request

REGION_PARAMETER = "RegionId"
TAG_OPTIONS = ("Tag.N.Key", "Tag.N.Value")


class Paging(Enum):
    """How a command's answers come a page at a time; the value is the parameter that moves on."""

    PAGE_NUMBER = "PageNumber"
    NEXT_TOKEN = "NextToken"


_PAGING_BY_PARAMETER = {paging.value: paging for paging in Paging}


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """One command as the conventions see it. ``parameters`` are spelled as typed after ``--``
    (numbered ones with ``N``: ``Tag.N.Key``); ``choices`` holds the values a parameter takes,
    where the table knows them."""

    name: str
    parameters: tuple[str, ...]
    paging: Paging | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def takes_region(self) -> bool:
        return REGION_PARAMETER in self.parameters


def command_infos() -> dict[str, CommandInfo]:
    """Every API command of the table, by name, in the table's order."""
    from app.cli.commands import COMMANDS

    infos = {}
    for command in COMMANDS.values():
        names = tuple(param.name for param in command.params)
        paging = next((_PAGING_BY_PARAMETER[n] for n in names if n in _PAGING_BY_PARAMETER), None)
        infos[command.name] = CommandInfo(
            command.name, names + (TAG_OPTIONS if command.tags else ()), paging
        )
    return infos


def usage_error(message: str, command_name: str | None) -> UsageError:
    """The table's usage error, pointing at ``command_name``'s ``--help`` when it is a command."""
    from app.cli.commands import COMMANDS
    from app.cli.parsing import UsageError

    return UsageError(message, COMMANDS.get(command_name or ""))


def flat_parameters(request: Request) -> dict[str, str]:
    """A parsed request as the flat ``{name: value}`` map the API receives."""
    flat = {name: str(value) for name, value in {**request.values, **request.numbers}.items()}
    for number, parts in sorted(request.tags.items()):
        for part, value in parts.items():
            flat[f"Tag.{number}.{part}"] = value
    return flat


def with_parameters(command_name: str, request: Request, values: dict[str, str]) -> Request:
    """``request`` with some parameters set anew (the pager's next page), typed as the table
    types them; the same request, so that its service (and connection) serves every page."""
    from app.cli.commands import COMMANDS

    command = COMMANDS[command_name]
    for name, value in values.items():
        param = command.param(name)
        if param is not None and param.integer:
            request.numbers[name] = int(value)
        else:
            request.values[name] = value
    return request


def api_version() -> str:
    from app.server.actions import API_VERSION

    return API_VERSION


def endpoint_of(request: Request) -> str | None:
    """The ``--endpoint`` the request goes to; None: the local store."""
    return request.backend.get("endpoint")
