"""Shared by the integration tests: running real tools, writing key files, the CLI as a process."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cli import Outcome

TOOL_TIMEOUT = 60  # seconds: a hung tool fails the test instead of hanging the run


def write_private_file(path: Path, text: str) -> Path:
    """Write a secret as the project requires: 0600 from its first byte, never over a file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(text)
    return path


def run_tool(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a system tool with no stdin; on failure the assertion shows what it printed."""
    result = subprocess.run(
        [str(arg) for arg in args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
    )
    if check:
        assert result.returncode == 0, f"{args[0]} failed ({result.returncode}): {result.stderr}"
    return result


def fingerprints(public_key_path: Path) -> tuple[str, str]:
    """(MD5, SHA256) as ``ssh-keygen -l`` prints them: ``MD5:aa:bb:…`` and ``SHA256:…``."""
    md5 = run_tool("ssh-keygen", "-l", "-E", "md5", "-f", public_key_path).stdout.split()[1]
    sha256 = run_tool("ssh-keygen", "-l", "-f", public_key_path).stdout.split()[1]
    return md5, sha256


def ecs_keypair_command() -> list[str]:
    """The installed ``ecs-keypair`` console script (the interpreter's own, not a version shim)."""
    script = Path(sysconfig.get_path("scripts")) / "ecs-keypair"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("ecs-keypair")
    if found is None:
        pytest.fail("the ecs-keypair console script is not installed: pip install -e '.[test]'")
    return [found]


def run_cli(home: Path, *args: str) -> Outcome:
    """Run ``ecs-keypair`` as a real process over the data home ``home``; never a traceback."""
    result = subprocess.run(
        [*ecs_keypair_command(), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home)},
        timeout=TOOL_TIMEOUT,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return Outcome(result.returncode, result.stdout, result.stderr)


AGENT_READY_TIMEOUT = 20.0  # seconds for ssh-agent to listen: a bound on waiting, not a speed check


@contextmanager
def running_ssh_agent() -> Iterator[str]:
    """A private ``ssh-agent -D`` on a socket in a fresh short folder; yields the socket path.

    The folder is short on purpose: a Unix socket path is limited to about 100 bytes.
    """
    folder = Path(tempfile.mkdtemp(prefix="agent-", dir="/tmp"))
    socket_path = folder / "agent.sock"
    process = subprocess.Popen(
        ["ssh-agent", "-D", "-a", str(socket_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + AGENT_READY_TIMEOUT
        while not socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ssh-agent did not start on {socket_path}")
            time.sleep(0.05)
        yield str(socket_path)
    finally:
        process.kill()
        process.wait(timeout=TOOL_TIMEOUT)
        shutil.rmtree(folder, ignore_errors=True)


def agent_listing(socket_path: str) -> str:
    """``ssh-add -l -E md5`` against that agent: one ``bits MD5:… comment (TYPE)`` line a key."""
    result = subprocess.run(
        ["ssh-add", "-l", "-E", "md5"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "SSH_AUTH_SOCK": socket_path},
        timeout=TOOL_TIMEOUT,
    )
    return result.stdout


def mode(path: Path) -> int:
    """The permission bits of ``path`` itself (a symlink is not followed)."""
    return stat.S_IMODE(os.lstat(path).st_mode)
