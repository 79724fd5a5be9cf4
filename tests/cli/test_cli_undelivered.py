"""Output that cannot be written: stdout closed (``>&-``) or full (``/dev/full``), real processes.

Whatever carried a private key or a secret is undone; every command exits 1 with one line on
stderr and no traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import REGION, REPO, run_module

CREATE = ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "lost-1")


def _closed_stdout(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m ecs_keypair ARGS >&-`` through a shell, from the worktree."""
    line = " ".join([sys.executable, "-m", "ecs_keypair", *args])
    return subprocess.run(
        ["bash", "-c", f"{line} >&-"],
        cwd=REPO,
        env=dict(os.environ),
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


def _full_stdout(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m ecs_keypair ARGS > /dev/full``."""
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "ecs_keypair", *args],
            cwd=REPO,
            env=dict(os.environ),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )


RUNNERS = pytest.mark.parametrize("run", [_closed_stdout, _full_stdout], ids=["closed", "full"])


def _assert_one_line_failure(completed: subprocess.CompletedProcess[str]) -> str:
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    return lines[0]


def _key_pair_names() -> list[str]:
    body = run_module("DescribeKeyPairs", "--RegionId", REGION).body
    return [pair["KeyPairName"] for pair in body["KeyPairs"]["KeyPair"]]


@RUNNERS
def test_create_key_pair_undelivered_is_deleted(home: Path, run) -> None:
    line = _assert_one_line_failure(run(*CREATE))
    assert "lost-1" in line
    assert "PRIVATE KEY" not in line
    assert _key_pair_names() == []


@RUNNERS
def test_create_access_key_undelivered_is_deleted(home: Path, run) -> None:
    line = _assert_one_line_failure(run("CreateAccessKey"))
    assert "LTAI" in line  # names the key it deleted, never its secret
    listed = json.loads(run_module("ListAccessKeys").out)
    assert listed["AccessKeys"]["AccessKey"] == []


@RUNNERS
@pytest.mark.parametrize(
    "args",
    [
        ("DescribeRegions",),
        ("DescribeKeyPairs", "--RegionId", REGION),
        ("ListAccessKeys",),
        ("--help",),
        ("--version",),
        ("CreateKeyPair", "--help"),
        ("fingerprint", "--help"),
        ("completion", "bash"),
        ("DescribeRegions", "--output", "cols=RegionId"),
    ],
    ids=lambda args: args[0] if len(args) == 1 else "-".join(args[:2]),
)
def test_any_command_undelivered_is_one_line(home: Path, run, args: tuple[str, ...]) -> None:
    _assert_one_line_failure(run(*args))


@RUNNERS
def test_create_key_pair_with_a_query_undelivered_is_deleted(home: Path, run) -> None:
    _assert_one_line_failure(run(*CREATE, "--cli-query", "KeyPairName"))
    assert _key_pair_names() == []


def test_created_key_pair_when_delivered_stays(home: Path) -> None:
    """The undo is for what was not delivered only: a written answer keeps its key pair."""
    assert "PRIVATE KEY" in run_module(*CREATE).body["PrivateKeyBody"]
    assert _key_pair_names() == ["lost-1"]


def _full_pipe() -> tuple[int, int]:
    """A pipe whose buffer is full already: a writer blocks until someone reads."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        while True:
            os.write(write_end, b"x" * 4096)
    except BlockingIOError:
        pass
    os.set_blocking(write_end, True)
    return read_end, write_end


def _wait_until_blocked_writing(pid: int, bound: float = 60.0) -> None:
    deadline = time.monotonic() + bound
    while "pipe_write" not in Path(f"/proc/{pid}/wchan").read_text():
        assert time.monotonic() < deadline, "the command never blocked writing its answer"
        time.sleep(0.05)


@pytest.mark.parametrize(
    "signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"]
)
def test_a_signal_while_the_answer_is_being_written_deletes_the_key_pair(
    home: Path, signum: int, status: int
) -> None:
    read_end, write_end = _full_pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "ecs_keypair", *CREATE],
            cwd=REPO, env=dict(os.environ), stdout=write_end, stderr=subprocess.PIPE, text=True,
        )
        try:
            _wait_until_blocked_writing(process.pid)
            process.send_signal(signum)
            _, err = process.communicate(timeout=120)
        finally:
            process.kill()
    finally:
        os.close(read_end)
        os.close(write_end)
    assert process.returncode == status
    assert err == (
        "ecs-keypair: interrupted: the key pair lost-1 was deleted, since its secret was never "
        "delivered\n"
    )
    assert _key_pair_names() == []
