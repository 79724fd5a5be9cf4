"""A parsed command line: the action, its parameters as given, and the backend to call."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.engine.actions import Action, Result
from app.engine.backend import KeyPairBackend, open_backend
from app.engine.errors import ApiError, ApiException

@dataclass
class Request:
    """What the user asked for: ``params`` flat, as the API spells them (``Tag.1.Key``).

    ``typed`` is the action's request as the table read it; ``problem`` is the API's error the
    table found instead (a value it refuses, such as ``Tag.21.Key``), answered when called.
    """

    action: Action[object]
    params: dict[str, str] = field(default_factory=dict)
    typed: object | None = None
    problem: ApiError | None = None
    backend: dict[str, str] = field(default_factory=dict)  # --endpoint / --profile, when given

    @property
    def region_id(self) -> str | None:
        return self.params.get("RegionId")

    def checked(self) -> object:
        """The typed request, or the API's error the table found in it."""
        if self.problem is not None:
            raise ApiException(self.problem)
        return self.typed

    def open_backend(self) -> KeyPairBackend:
        return open_backend(**self.backend)

    def call(self) -> Result:
        """Run the action on the backend (opened only now: a refused request opens nothing)."""
        typed = self.checked()
        return self.action.run(self.open_backend(), typed)
