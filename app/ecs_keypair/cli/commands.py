"""The commands: every action of the engine's table, by name, as the command line offers them.

``COMMANDS`` is :data:`ecs_keypair.contract.actions.ACTIONS`: each entry declares the command's
name, help,
parameters, typed request and backend method. Nothing about a command is written here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecs_keypair.contract.actions import ACTIONS, AnyAction

if TYPE_CHECKING:
    from ecs_keypair.cli.request import Request
    from ecs_keypair.contract.results import Body

COMMANDS: dict[str, AnyAction] = ACTIONS


def execute(request: Request) -> Body:
    """The response body of the call the command line asked for."""
    return request.call().body()
