"""The agent exchange has one deadline: an agent that trickles its answer is given up on."""

from __future__ import annotations

import threading

from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.keys.agent import add_to_agent
from ecs_keypair.keys.key_formats import generate_private_key

from tests.support.hostile_agent import trickling_agent

DEADLINE = 1.0  # seconds, for the whole exchange
BOUND = 30.0  # seconds: only a hang fails this, never a slow machine


def test_an_agent_that_trickles_its_answer_is_given_up_on_at_the_deadline() -> None:
    key = generate_private_key("ed25519")
    errors: list[ApiError] = []

    def add(socket_path: str) -> None:
        try:
            add_to_agent(key, "k", socket_path=socket_path, timeout=DEADLINE)
        except ApiException as exc:
            errors.append(exc.error)

    # each byte well within a per-read timeout
    with trickling_agent(interval=DEADLINE / 2) as agent:
        adding = threading.Thread(target=add, args=(str(agent.path),), daemon=True)
        adding.start()
        adding.join(timeout=BOUND)
        still_waiting = adding.is_alive()
    adding.join(timeout=BOUND)
    assert not still_waiting, f"still reading the agent's answer after {BOUND} s"
    [error] = errors
    assert error.code == "SshAgent.Refused"
    assert error.message.endswith("did not add the key: it did not answer in time.")
