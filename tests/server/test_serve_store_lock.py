"""serve while another process holds one of its locks. The store's ``.lock``: a create answers 503
ServiceUnavailable naming the lock file; DescribeRegions and DescribeKeyPairs answer 200.
``nonces/.lock`` (every signed request records its nonce under it): every request answers 503
naming it after the lock timeout, all at once rather than one after another, and answers again
once it is free; a second serve stopped while holding it never leaves the first without an
answer. Stopping serve ends every wait at once."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from ecs_keypair.server.access_keys import AccessKey
from ecs_keypair.server.nonces import DIRECTORY, LOCK_NAME

from tests.support.cli import Outcome
from tests.support.engine import lock_held_elsewhere
from tests.support.serve import running_serve
from tests.support.serve_process import (
    STOP_TIMEOUT,
    ServeProcess,
    cli_on,
    create_access_key,
    start_serve,
)
from tests.support.signed_calls import signed_call
from tests.support.signing import rpc, send, v2_request

REGION = "cn-hangzhou"
NONCE_LOCK = f"{DIRECTORY}/{LOCK_NAME}"


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


@pytest.mark.parametrize(
    ("lock_name", "action"),
    [
        pytest.param(
            ".lock",
            ["CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "waiting"],
            id="store",
        ),
        pytest.param(NONCE_LOCK, ["DescribeRegions"], id="nonces"),
    ],
)
def test_sigterm_does_not_wait_on_the_lock(
    home: Path, monkeypatch: pytest.MonkeyPatch, lock_name: str, action: list[str]
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "3600")  # only the signal can end the wait
    key = create_access_key(home)
    with lock_held_elsewhere(home, lock_name) as lock:
        server = start_serve(home)
        answers: list[Outcome] = []
        create = threading.Thread(
            target=lambda: answers.append(cli_on(server, key, home, *action))
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


def test_a_held_nonce_lock_answers_503_naming_it_then_serve_answers_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "0.5")
    home = tmp_path / "data"
    with running_serve(home) as serve:
        with lock_held_elsewhere(home, NONCE_LOCK) as lock:
            status, body = signed_call(serve, "DescribeRegions", {})
            assert (status, body["Code"]) == (503, "ServiceUnavailable")
            assert str(lock) in body["Message"] and "waited 0.5 s" in body["Message"]
        status, body = signed_call(serve, "DescribeRegions", {})
        assert status == 200 and body["Regions"]["Region"]


LOCK_WAIT = 5.0  # seconds: each request's wait; several of them in a row would take far longer
AT_ONCE = 6


def test_requests_waiting_for_the_nonce_lock_all_give_up_after_one_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No request waits for another one's wait: serve's worker threads wait side by side."""
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", str(LOCK_WAIT))
    home = tmp_path / "data"
    with running_serve(home) as serve, lock_held_elsewhere(home, NONCE_LOCK):
        answers: list[tuple[int, str, float]] = []

        def call() -> None:
            status, body = signed_call(serve, "DescribeRegions", {})
            answers.append((status, body.get("Code", ""), time.monotonic() - start))

        start = time.monotonic()
        callers = [threading.Thread(target=call) for _ in range(AT_ONCE)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=STOP_TIMEOUT)
    codes = [(status, code) for status, code, _ in answers]
    assert codes == [(503, "ServiceUnavailable")] * AT_ONCE
    # One after another, the last would answer after AT_ONCE waits (30 s); side by side, all
    # answer after about one. The bound leaves a slow machine three waits to spare.
    assert max(took for _, _, took in answers) < 4 * LOCK_WAIT, answers


def _holds_flock(pid: int, path: Path) -> bool:
    """Whether process ``pid`` holds a flock on ``path`` (from /proc/locks)."""
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:  # made by the first request
        return False
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5].endswith(f":{inode}"):
            return True
    return False


def _all_threads_stopped(pid: int) -> bool:
    """Whether every thread of ``pid`` has stopped (state T), so nothing it holds can change."""
    states = (
        (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
        for task in Path(f"/proc/{pid}/task").iterdir()
    )
    return all(state == "T" for state in states)


def _stopped_holding(server: ServeProcess, lock: Path, keep_busy: threading.Event) -> bool:
    """SIGSTOP ``server`` at moments until it is caught holding ``lock``; True once it is.

    Its requests take the lock for a moment each: stopping it again and again while it is kept
    busy catches it inside one sooner or later."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and keep_busy.is_set():
        server.process.send_signal(signal.SIGSTOP)
        while not _all_threads_stopped(server.process.pid):
            assert time.monotonic() < deadline, "SIGSTOP did not stop serve"
            time.sleep(0.001)
        if _holds_flock(server.process.pid, lock):
            return True
        server.process.send_signal(signal.SIGCONT)
        time.sleep(0.001)
    return False


def test_a_serve_stopped_holding_the_nonce_lock_never_leaves_another_without_an_answer(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "1")
    created = create_access_key(home)
    key = AccessKey(created["AccessKeyId"], created["AccessKeySecret"], "Active", "")
    stopped, other = start_serve(home), start_serve(home)
    keep_busy = threading.Event()
    keep_busy.set()

    def busy() -> None:  # signed requests to the serve that gets stopped, one after another
        while keep_busy.is_set():
            send(v2_request(f"127.0.0.1:{stopped.port}", key, rpc("DescribeRegions")))

    worker = threading.Thread(target=busy)
    worker.start()
    try:
        lock = home / NONCE_LOCK
        assert _stopped_holding(stopped, lock, keep_busy), "never caught holding the lock"
        answer = send(v2_request(f"127.0.0.1:{other.port}", key, rpc("DescribeRegions")))
        assert (answer.status_code, answer.json()["Code"]) == (503, "ServiceUnavailable")
        assert str(lock) in answer.json()["Message"]
        stopped.process.send_signal(signal.SIGCONT)
        answer = send(v2_request(f"127.0.0.1:{other.port}", key, rpc("DescribeRegions")))
        assert answer.status_code == 200, answer.text
    finally:
        keep_busy.clear()
        stopped.process.send_signal(signal.SIGCONT)
        worker.join(timeout=STOP_TIMEOUT)
        for server in (stopped, other):
            assert server.stop(signal.SIGTERM)[0] == 0
