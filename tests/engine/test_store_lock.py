"""A lock held by another process (issue 8, item 7): writers wait a bounded time, then answer
503 ServiceUnavailable naming the lock file; reads never take the lock; serve's shutdown makes
every waiter give up at once."""

from __future__ import annotations

import threading
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
from ecs_keypair.store import storage
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store_paths import StoreBusy

from tests.support.engine import REGION, lock_held_elsewhere


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


def test_abandoning_the_waits_makes_a_waiter_give_up_at_once(home: Path) -> None:
    caught: list[BaseException] = []

    def wait_for_ever() -> None:
        try:
            with storage.store_lock(home, timeout=3600):
                pass
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            caught.append(exc)

    with lock_held_elsewhere(home) as lock:
        waiter = threading.Thread(target=wait_for_ever)
        waiter.start()
        try:
            storage.abandon_lock_waits()
            waiter.join(timeout=60)
        finally:
            storage.resume_lock_waits()
        assert not waiter.is_alive()
    assert len(caught) == 1 and isinstance(caught[0], StoreBusy)
    assert (caught[0].lock_path, caught[0].called_off) == (lock, True)
    assert "the server is stopping" in str(caught[0])


def test_a_lock_file_that_is_a_symbolic_link_is_not_followed(home: Path, tmp_path: Path) -> None:
    home.mkdir()
    outside = tmp_path / "outside"
    (home / ".lock").symlink_to(outside)
    with pytest.raises(storage.StoreError) as caught:
        with storage.store_lock(home):
            pass
    assert str(home / ".lock") in str(caught.value) and "symbolic link" in str(caught.value)
    assert not outside.exists()
