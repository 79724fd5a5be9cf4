"""serve while another process holds the store's lock (issue 8, item 7): a create answers 503
ServiceUnavailable naming the lock file; DescribeRegions and DescribeKeyPairs answer 200."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from tests.support.cli import Outcome
from tests.support.engine import lock_held_elsewhere
from tests.support.serve import running_serve
from tests.support.serve_process import (
    STOP_TIMEOUT,
    cli_on,
    create_access_key,
    start_serve,
)
from tests.support.signed_calls import signed_call

REGION = "cn-hangzhou"


def test_serve_answers_503_to_a_write_and_200_to_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "0.5")
    home = tmp_path / "data"
    with running_serve(home) as serve, lock_held_elsewhere(home) as lock:
        status, body = signed_call(
            serve, "CreateKeyPair", {"RegionId": REGION, "KeyPairName": "blocked"}
        )
        assert (status, body["Code"]) == (503, "ServiceUnavailable")
        assert str(lock) in body["Message"]
        status, body = signed_call(serve, "DescribeRegions", {})
        assert status == 200 and body["Regions"]["Region"]
        status, body = signed_call(serve, "DescribeKeyPairs", {"RegionId": REGION})
        assert (status, body["TotalCount"]) == (200, 0)


def _has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` holds a descriptor on ``path`` (it is waiting for that lock)."""
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir():
        try:
            if os.readlink(fd) == str(path):
                return True
        except OSError:  # closed since the listing
            continue
    return False


def test_sigterm_does_not_wait_on_the_lock(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "3600")  # only the signal can end the wait
    key = create_access_key(home)
    with lock_held_elsewhere(home) as lock:
        server = start_serve(home)
        answers: list[Outcome] = []
        create = threading.Thread(
            target=lambda: answers.append(
                cli_on(server, key, home, "CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "waiting")
            )
        )
        create.start()
        try:
            while not _has_open(server.process.pid, lock):  # the request waits for the lock
                assert create.is_alive() and server.process.poll() is None, answers
                time.sleep(0.01)
        finally:
            status, out = server.stop(signal.SIGTERM)
            create.join(timeout=STOP_TIMEOUT)
    assert status == 0 and "stopped" in out
    error = answers[0].error
    assert error["Code"] == "ServiceUnavailable" and "stopping" in error["Message"]
    assert str(lock) in error["Message"]
