"""What a command is: its name, its parameters (spelled as the API spells them), its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.cli.request import Request

Body = dict[str, Any]
Handler = Callable[["Request"], Body]


@dataclass(frozen=True, slots=True)
class Param:
    """One ``--Name value`` parameter of a command."""

    name: str
    help: str
    required: bool = False
    integer: bool = False
    metavar: str = "VALUE"


@dataclass(frozen=True, slots=True)
class Command:
    """One command: the parser reads ``params`` (and ``Tag.N.*`` when ``tags`` says what they
    do), the handler turns the parsed request into the response body."""

    name: str
    summary: str
    handler: Handler
    params: tuple[Param, ...] = ()
    tags: str = ""
    example: str = ""

    def param(self, name: str) -> Param | None:
        return next((param for param in self.params if param.name == name), None)
