"""Fixtures for the serve tests: one ``serve`` per module on a free loopback port, and processes
(the console script, ``python -m app``) that run this checkout's code, not an installed copy."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.serve_support import RunningServe, running_serve

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _processes_run_this_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", f"{CHECKOUT}{os.pathsep}{path}" if path else str(CHECKOUT))


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServe]:
    with running_serve(tmp_path_factory.mktemp("serve") / "data", quota=100) as running:
        yield running
