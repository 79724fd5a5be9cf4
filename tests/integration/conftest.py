"""Fixtures for the tests that check our keys against real OpenSSH tools and the official SDK."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.integration.integration_support import TOOL_TIMEOUT, CliResult, ecs_keypair_command


@pytest.fixture
def cli(home: Path):
    """Run ``ecs-keypair`` as a real process over the test's data home."""
    command = ecs_keypair_command()

    def run(*args: str) -> CliResult:
        env = {**os.environ, "ECS_KEYPAIR_HOME": str(home)}
        result = subprocess.run(
            [*command, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=TOOL_TIMEOUT,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return CliResult(result.returncode, result.stdout, result.stderr)

    return run

