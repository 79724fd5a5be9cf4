"""``CreateKeyPair --add-to-agent`` against an agent that never finishes its answer, as real
processes: the command gives up at its deadline, and a signal while it waits deletes the key
pair whose private key went nowhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import REGION, REPO, run_module
from tests.support.hostile_agent import trickling_agent

CREATE = ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1", "--add-to-agent")
BOUND = 60.0  # seconds: only a hang fails these, never a slow machine


def _create(socket_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ecs_keypair", *CREATE],
        cwd=REPO,
        env={**os.environ, "SSH_AUTH_SOCK": str(socket_path)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _key_pair_names() -> list[str]:
    body = run_module("DescribeKeyPairs", "--RegionId", REGION).body
    return [pair["KeyPairName"] for pair in body["KeyPairs"]["KeyPair"]]


def test_add_to_agent_gives_up_on_an_agent_that_trickles(home: Path) -> None:
    with trickling_agent(interval=1.0) as agent:
        started = time.monotonic()
        process = _create(agent.path)
        try:
            out, err = process.communicate(timeout=BOUND)
        finally:
            process.kill()
        elapsed = time.monotonic() - started
    assert elapsed < BOUND
    assert (process.returncode, out) == (1, "")
    assert '"Code": "SshAgent.Refused"' in err and "it did not answer in time" in err
    assert _key_pair_names() == []  # its private key went nowhere


@pytest.mark.parametrize(
    "signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"]
)
def test_a_signal_while_the_agent_answers_deletes_the_key_pair(
    home: Path, signum: int, status: int
) -> None:
    with trickling_agent(interval=1.0) as agent:
        process = _create(agent.path)
        try:
            assert agent.asked.wait(BOUND), "the command never asked the agent"
            process.send_signal(signum)
            out, err = process.communicate(timeout=BOUND)
        finally:
            process.kill()
    assert (process.returncode, out) == (status, "")
    assert "Traceback" not in err
    assert err == (
        "ecs-keypair: interrupted: the key pair web-1 was deleted, since its secret was never "
        "delivered\n"
    )
    assert _key_pair_names() == []
