"""Fixtures for the tests that check our keys against real OpenSSH tools and the official SDK."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.support.cli import Outcome
from tests.support.tools import run_cli


@pytest.fixture
def cli(home: Path) -> Callable[..., Outcome]:
    """Run ``ecs-keypair`` as a real process over the test's data home."""
    return partial(run_cli, home)
