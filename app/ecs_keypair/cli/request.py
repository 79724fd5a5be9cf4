"""A parsed command line: the action, its parameters as given, and the backend to call."""

from __future__ import annotations

from ecs_keypair.backends import Target, open_backend
from ecs_keypair.contract.actions import AnyAction, Result
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.errors import ApiError, ApiException


class Request:
    """What the user asked for: ``params`` flat, as the API spells them (``Tag.1.Key``).

    ``typed`` is the action's request as the table read it; ``problem`` is the API's error the
    table found instead (a value it refuses, such as ``Tag.21.Key``), answered when called.
    ``target``: ``--endpoint`` / ``--profile`` / ``--cloud``, when given. A plain class, filled
    in as the line is read (a dataclass cost every command about a millisecond to build).
    """

    __slots__ = ("action", "params", "typed", "problem", "target")

    def __init__(self, action: AnyAction) -> None:
        self.action = action
        self.params: dict[str, str] = {}
        self.typed: object | None = None
        self.problem: ApiError | None = None
        self.target: Target = {}

    @property
    def region_id(self) -> str | None:
        return self.params.get("RegionId")

    def checked(self) -> object:
        """The typed request, or the API's error the table found in it."""
        if self.problem is not None:
            raise ApiException(self.problem)
        return self.typed

    def open_backend(self) -> KeyPairBackend:
        return open_backend(**self.target)

    def call(self) -> Result:
        """Run the action on the backend (opened only now: a refused request opens nothing)."""
        typed = self.checked()
        result: Result = self.action.run(self.open_backend(), typed)
        return result
