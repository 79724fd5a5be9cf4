"""The ``cli`` fixture: the command line run in this process, over a fresh data home."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.cli import main

from tests.support.cli import Outcome


@pytest.fixture(autouse=True)
def no_default_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No region from the machine running the tests: a home of the test's own (returned), so
    that no real ~/.aliyun/config.json is read (tests/conftest.py unsets the variable)."""
    user_home = tmp_path / "user-home"
    user_home.mkdir()
    monkeypatch.setenv("HOME", str(user_home))
    return user_home


@pytest.fixture
def cli(home: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """``cli("CreateKeyPair", "--RegionId", …)`` runs ``main`` in-process and captures it."""

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        status = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return Outcome(status, out, err)

    return run
