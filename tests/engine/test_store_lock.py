"""A lock held by another process (issue 8, item 7): writers wait a bounded time, then answer
503 ServiceUnavailable naming the lock file; reads never take the lock; serve's shutdown makes
every waiter of its backend give up at once, and leaves other backends' waits alone."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    CreateResourceGroupRequest,
    DescribeKeyPairsRequest,
    DescribeRegionsRequest,
    ListResourceGroupsRequest,
)
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.contract.results import CreatedKeyPair
from ecs_keypair.store import storage
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.store.store_paths import StoreBusy

from tests.support.cli import has_open
from tests.support.engine import REGION, api_error_of, lock_held_elsewhere


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "0.5")


def assert_unavailable(caught: pytest.ExceptionInfo[ApiException], lock: Path) -> None:
    reason = f"the store's lock file {lock} is held by another process (waited 0.5 s)"
    assert caught.value.error.code == "ServiceUnavailable"
    assert caught.value.error.status == 503
    assert caught.value.error.message == (
        f"The request has failed due to a temporary failure of the server: {reason}."
    )


def test_a_writer_gives_up_with_503_naming_the_lock_file(
    fast_service: LocalBackend, home: Path
) -> None:
    with lock_held_elsewhere(home) as lock:
        with pytest.raises(ApiException) as caught:
            fast_service.create_key_pair(CreateKeyPairRequest(REGION, "blocked"))
        assert_unavailable(caught, lock)
        with pytest.raises(ApiException) as caught:
            fast_service.create_resource_group(CreateResourceGroupRequest("team", "Team"))
        assert_unavailable(caught, lock)
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "after"))  # the lock is back


def test_the_storage_says_busy_in_its_own_terms(home: Path) -> None:
    """Below the store's API answers: the lock file, the wait, and that nobody called it off."""
    with lock_held_elsewhere(home) as lock:
        with pytest.raises(StoreBusy) as caught:
            with storage.store_lock(home, timeout=0.2):
                pass
    assert (caught.value.lock_path, caught.value.waited, caught.value.called_off) == (
        lock,
        0.2,
        False,
    )
    assert str(caught.value) == (
        f"the store's lock file {lock} is held by another process (waited 0.2 s)"
    )


def test_reads_of_a_fresh_store_never_take_the_lock(
    fast_service: LocalBackend, home: Path
) -> None:
    with lock_held_elsewhere(home):
        assert fast_service.describe_key_pairs(DescribeKeyPairsRequest(REGION)).key_pairs == ()
        assert fast_service.describe_regions(DescribeRegionsRequest()).regions
        groups = fast_service.list_resource_groups(ListResourceGroupsRequest()).groups
        assert [group.name for group in groups] == ["default"]


FOR_EVER = "3600"  # seconds of lock timeout: only a stop can end such a wait within a test
WAIT_SECONDS = 60.0  # a bound on a thread that should be quick, not a speed check


class Waiter:
    """A call run on a thread of its own until it waits for the lock file (holds it open);
    ``outcome`` then gets what it returned or raised."""

    def __init__(self, call: Callable[[], object], lock: Path) -> None:
        self.outcome: list[object] = []
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while not has_open(os.getpid(), lock):
            assert self.thread.is_alive() and time.monotonic() < deadline, self.outcome
            time.sleep(0.01)

    def _run(self, call: Callable[[], object]) -> None:
        try:
            self.outcome.append(call())
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            self.outcome.append(exc)

    def result(self) -> object:
        self.thread.join(WAIT_SECONDS)
        assert not self.thread.is_alive(), "the call is still waiting for the lock"
        return self.outcome[0]


def test_a_stop_ends_a_wait_for_the_lock_at_once(home: Path) -> None:
    stop = threading.Event()

    def wait_for_ever() -> None:
        with storage.store_lock(home, timeout=float(FOR_EVER), stop=stop):
            pass

    with lock_held_elsewhere(home) as lock:
        waiter = Waiter(wait_for_ever, lock)
        stop.set()
        busy = waiter.result()
    assert isinstance(busy, StoreBusy)
    assert (busy.lock_path, busy.called_off) == (lock, True)
    assert str(busy) == (
        f"the store's lock file {lock} is held by another process (the server is stopping)"
    )


def test_stopping_a_backends_waits_answers_503_at_once(
    home: Path, ready_key: GeneratedKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", FOR_EVER)
    backend = LocalBackend(KeyPairStore(home), generate=lambda: ready_key)
    with lock_held_elsewhere(home) as lock:
        request = CreateKeyPairRequest(REGION, "waiting")
        waiter = Waiter(lambda: backend.create_key_pair(request), lock)
        backend.stop_waiting()
        refused = waiter.result()
    assert isinstance(refused, ApiException)
    assert (refused.error.code, refused.error.status) == ("ServiceUnavailable", 503)
    assert refused.error.reason == (
        f"the store's lock file {lock} is held by another process (the server is stopping)"
    )


def test_one_backends_stop_leaves_anothers_waits_alone(
    home: Path, ready_key: GeneratedKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two backends of one process on the same folder: stopping the first one's waits, the
    second one's call goes on waiting for the same lock file, and runs once it is free."""
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", FOR_EVER)
    stopped, going_on = (
        LocalBackend(KeyPairStore(home), generate=lambda: ready_key) for _ in range(2)
    )
    with lock_held_elsewhere(home) as lock:
        patient = Waiter(
            lambda: going_on.create_key_pair(CreateKeyPairRequest(REGION, "patient")), lock
        )
        stopped.stop_waiting()
        refused = api_error_of(
            lambda: stopped.create_key_pair(CreateKeyPairRequest(REGION, "stopped"))
        )
        assert refused.code == "ServiceUnavailable" and "stopping" in refused.message
        assert patient.thread.is_alive() and has_open(os.getpid(), lock)
    created = patient.result()
    assert isinstance(created, CreatedKeyPair)
    page = going_on.describe_key_pairs(DescribeKeyPairsRequest(REGION))
    assert [pair.key_pair_name for pair in page.key_pairs] == ["patient"]


def test_a_lock_file_that_is_a_symbolic_link_is_not_followed(home: Path, tmp_path: Path) -> None:
    home.mkdir()
    outside = tmp_path / "outside"
    (home / ".lock").symlink_to(outside)
    with pytest.raises(storage.StoreError) as caught:
        with storage.store_lock(home):
            pass
    assert str(home / ".lock") in str(caught.value) and "symbolic link" in str(caught.value)
    assert not outside.exists()
