"""Fixtures shared by every test: a private data home, the engine over it, system tools."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from hypothesis import settings as hypothesis_settings

from tests.support.serve import RunningServe, running_serve
from tests.support.sshd import SSHD, Sshd, running_sshd

IN_CI = bool(os.environ.get("CI"))
CHECKOUT = Path(__file__).resolve().parents[1]

# A test never fails because a machine was slow: no per-example deadline for hypothesis.
hypothesis_settings.register_profile("ecs-keypair", deadline=None)
hypothesis_settings.load_profile("ecs-keypair")


def require_tool(*names: str) -> None:
    """Skip when a system tool is missing on a developer's machine; in CI, fail instead."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (installed by .ci/run)"
    if IN_CI:
        pytest.fail(message + " but CI is set: the tool must be there")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _no_region_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line takes a missing RegionId from ALIBABA_CLOUD_REGION_ID: never the one of
    the machine running the tests."""
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID", raising=False)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory, also exported as ECS_KEYPAIR_HOME for subprocesses."""
    path = tmp_path / "data"
    monkeypatch.setenv("ECS_KEYPAIR_HOME", str(path))
    monkeypatch.delenv("ECS_KEYPAIR_QUOTA", raising=False)
    monkeypatch.delenv("ECS_KEYPAIR_INSTANCE_QUOTA", raising=False)
    return path


@pytest.fixture
def store(home: Path) -> KeyPairStore:
    return KeyPairStore(home)


@pytest.fixture
def backend(store: KeyPairStore) -> LocalBackend:
    return LocalBackend(store)


@pytest.fixture(scope="session", autouse=True)
def _processes_run_this_checkout() -> Iterator[None]:
    """Processes a test starts (the console script, ``python -m ecs_keypair``) import this
    checkout's ``app``, not an installed copy that may be another version. Session-wide, so
    that module fixtures which start processes (the completion scripts) see it too."""
    path = os.environ.get("PYTHONPATH")
    source = CHECKOUT / "app"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", f"{source}{os.pathsep}{path}" if path else str(source))
        yield


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    """A private sshd started for the test (integration and serve login tests)."""
    require_tool("ssh", "ssh-keygen", str(SSHD))
    with running_sshd(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServe]:
    """One ``serve`` per module on a free loopback port (serve and TUI endpoint tests)."""
    with running_serve(tmp_path_factory.mktemp("serve") / "data", quota=100) as running:
        yield running
