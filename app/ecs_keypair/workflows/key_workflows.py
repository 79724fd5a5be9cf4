"""The journeys after a key is made, one function each, for every door (CLI now, TUI later):

* :func:`create_and_deliver`: CreateKeyPair, then save the key (and its ``.pub``) and/or add it
  to the agent. The save is checked before the key pair is created, and a save that fails
  anyway (or an agent that refuses a key not saved) deletes the key pair again: a key pair
  whose private key went nowhere is not kept.
* :func:`make_key_here`: a key generated on this machine (ed25519, rsa, ecdsa), saved first,
  then imported into each region with ImportKeyPair.

The agent comes after the save and never undoes it: its failure is reported beside the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecs_keypair.contract import errors, rules
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.contract.rules import Tag
from ecs_keypair.keys.agent import AgentKey, add_to_agent, check_lifetime
from ecs_keypair.keys.key_formats import (
    PrivateKey,
    generate_private_key,
    private_key_from_pem,
    public_key_of,
)
from ecs_keypair.keys.key_save import SavedKey, SaveRequest, check_save_path, save_key
from ecs_keypair.keys.key_specs import check_key_format, check_key_spec
from ecs_keypair.workflows.multi_region import (
    RegionResult,
    import_into_regions,
    region_ids,
    undo_create,
    where_taken,
)

Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class AgentRequest:
    """Add the key to the agent at ``SSH_AUTH_SOCK``; the agent drops it after ``lifetime`` s."""

    lifetime: int | None = None


@dataclass(frozen=True, slots=True)
class Delivered:
    """Where the key went: the files saved, and the agent's listing or why it could not."""

    saved: SavedKey | None = None
    agent_key: AgentKey | None = None
    agent_error: ApiError | None = None

    def body(self) -> Body:
        body: Body = dict(self.saved.body()) if self.saved else {}
        if self.agent_key:
            body.update(self.agent_key.body())
        return body


def check_delivery(
    save: SaveRequest | None, agent: AgentRequest | None, key_type: str
) -> ApiError | None:
    """Everything about a delivery that can be judged before a key exists; None when fine."""
    if save is not None:
        problem = check_key_format(key_type, save.key_format) or check_save_path(save.path)
        if problem:
            return problem
    if agent is not None:
        try:
            check_lifetime(agent.lifetime)
        except ApiException as exc:
            return exc.error
    return None


def deliver(
    private_key: PrivateKey,
    comment: str,
    save: SaveRequest | None,
    agent: AgentRequest | None,
) -> Delivered:
    """Save (raises ApiException, nothing left behind), then add to the agent (error kept)."""
    saved = (
        save_key(save.path, private_key, save.key_format, comment, save.passphrase)
        if save is not None
        else None
    )
    if agent is None:
        return Delivered(saved)
    try:
        return Delivered(saved, add_to_agent(private_key, comment, agent.lifetime))
    except ApiException as exc:
        return Delivered(saved, agent_error=exc.error)


@dataclass(frozen=True, slots=True)
class CreatedAndDelivered:
    """CreateKeyPair's answer and where its private key went."""

    response: Body = field(repr=False)
    delivered: Delivered

    def body(self) -> Body:
        """The response without ``PrivateKeyBody``, plus the files and the agent."""
        public = {key: value for key, value in self.response.items() if key != "PrivateKeyBody"}
        return {**public, **self.delivered.body()}


def create_and_deliver(
    backend: KeyPairBackend,
    region_id: str | None,
    key_pair_name: str | None,
    resource_group_id: str | None,
    tags: Sequence[Tag],
    save: SaveRequest | None,
    agent: AgentRequest | None,
    undone: Callable[[str], object] | None = None,
) -> CreatedAndDelivered:
    """CreateKeyPair on ``backend``, then :func:`deliver`; see the module docstring.

    ``undone`` is told the key pair's name when it was deleted again on the way out of an
    interruption (Ctrl-C, SIGTERM), so that a door can say so: nothing else will.
    """
    problem = check_delivery(save, agent, "rsa")
    if problem:
        raise ApiException(problem)
    created = backend.create_key_pair(
        CreateKeyPairRequest(region_id, key_pair_name, resource_group_id, tuple(tags))
    )
    try:
        delivered = deliver(
            private_key_from_pem(created.private_key_pem),
            created.record.key_pair_name,
            save,
            agent,
        )
    except BaseException as exc:
        undo_create(backend, created.record.region_id, created.record.key_pair_name)
        if undone is not None and not isinstance(exc, Exception):
            undone(created.record.key_pair_name)
        raise
    if delivered.saved is None and delivered.agent_error is not None:  # the key went nowhere
        undo_create(backend, created.record.region_id, created.record.key_pair_name)
        raise ApiException(delivered.agent_error)
    return CreatedAndDelivered(created.body(), delivered)


@dataclass(frozen=True, slots=True)
class MadeHere:
    """A key made on this machine: where it went and each region's answer.

    ``private_key`` is the secret (for a door that saves it later); never shown.
    """

    key_pair_name: str
    public_key: PublicKey
    delivered: Delivered
    results: tuple[RegionResult, ...]
    private_key: PrivateKey = field(repr=False)

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    def body(self) -> Body:
        return {
            "KeyPairName": self.key_pair_name,
            "KeyPairFingerPrint": self.public_key.md5_fingerprint,
            "SHA256FingerPrint": self.public_key.sha256_fingerprint,
            **self.delivered.body(),
            "Regions": [result.body() for result in self.results],
        }


def make_key_here(
    backend: KeyPairBackend,
    key_pair_name: str | None,
    regions: str | None,
    key_type: str = "ed25519",
    bits: int | None = None,
    save: SaveRequest | None = None,
    agent: AgentRequest | None = None,
    skip_existing: bool = False,
) -> MadeHere:
    """Generate a key, deliver it (save first), then ImportKeyPair into each region.

    Everything that can be judged first is (the name, the regions, the key type and size, the
    save path and format, and whether every region can take the name), so a refusal makes
    nothing: a name taken in one region would otherwise hold different keys in different
    regions. With ``skip_existing`` the regions that cannot take it are reported as they are
    and the key goes to the others. ``regions`` is ``R1,R2,…`` or ``all``. Raises ApiException
    before anything is imported; after that every region answers for itself.
    """
    problem = rules.check_key_pair_name(key_pair_name) or check_key_spec(key_type, bits)
    problem = problem or check_delivery(save, agent, key_type)
    if problem:
        raise ApiException(problem)
    assert key_pair_name
    chosen = region_ids(backend, regions)
    blocked = where_taken(backend, key_pair_name, chosen)
    free = [region for region in chosen if region not in blocked]
    if blocked and (not skip_existing or not free):
        raise ApiException(_nothing_made(key_pair_name, list(blocked.values())))
    private_key = generate_private_key(key_type, bits)  # type: ignore[arg-type]
    delivered = deliver(private_key, key_pair_name, save, agent)
    public_key = public_key_of(private_key)
    imported = {
        result.region_id: result
        for result in import_into_regions(backend, key_pair_name, public_key, free)
    }
    results = tuple(blocked.get(region) or imported[region] for region in chosen)
    return MadeHere(key_pair_name, public_key, delivered, results, private_key)


def _nothing_made(key_pair_name: str, blocked: list[RegionResult]) -> ApiError:
    """Why no key was made: the regions that hold the name already, else the first region that
    could not be asked."""
    taken = [result.region_id for result in blocked if result.outcome == "Conflict"]
    if not taken:
        first = blocked[0]
        assert first.error is not None
        return first.error
    return errors.KEY_PAIR_ALREADY_EXIST.at(
        "KeyPairName",
        f"a key pair named {key_pair_name} is already in {', '.join(taken)}: no key was made "
        "or imported anywhere",
    )

