"""The commands: every action of the engine's table, by name, as the command line offers them.

``COMMANDS`` is :data:`app.engine.actions.ACTIONS`: each entry declares the command's name, help,
parameters, typed request and backend method. Nothing about a command is written here.
"""

from __future__ import annotations

from app.cli.request import Request
from app.engine.actions import ACTIONS, AnyAction
from app.engine.results import Body

COMMANDS: dict[str, AnyAction] = ACTIONS


def execute(request: Request) -> Body:
    """The response body of the call the command line asked for."""
    return request.call().body()
