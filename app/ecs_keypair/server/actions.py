"""The ECS actions ``serve`` answers: those of the engine's table that are ECS's own.

Parameters arrive flat, as the RPC style spells them (``Tag.1.Key``, ``PageSize``); the table
reads them (:func:`ecs_keypair.contract.actions.call`) exactly as it reads the command line's, and
the backend applies every rule. Parameters an action does not take (``OwnerId``…) are ignored, as
the cloud ignores them; a declared list's entry written wrong (``Tag.x.Key``) is refused, as on
the command line (see :mod:`ecs_keypair.contract.params`). CreateResourceGroup and
ListResourceGroups are Resource Manager's, not ECS's: not served.
"""

from __future__ import annotations

from collections.abc import Mapping

from ecs_keypair.contract.actions import ACTIONS, AnyAction, call
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.results import Body

API_VERSION = "2014-05-26"

SERVED: dict[str, AnyAction] = {name: action for name, action in ACTIONS.items() if action.ecs}


def run_action(backend: KeyPairBackend, action: str, params: Mapping[str, str]) -> Body:
    """The response body of one served action (its name checked against :data:`SERVED`)."""
    return call(backend, SERVED[action], params).body()
