"""A private sshd for login tests: its own config, host key and authorized_keys, 127.0.0.1 only."""

from __future__ import annotations

import getpass
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.cli import REPO
from tests.support.tools import run_tool

SSHD = Path("/usr/sbin/sshd")  # sshd re-executes itself, so it must be started by absolute path
PRIVSEP_DIR = Path("/run/sshd")
READY_TIMEOUT = 20.0  # seconds for sshd to listen; a bound on waiting, not a speed check
SSH_TIMEOUT = 60


@dataclass(frozen=True)
class Sshd:
    port: int
    authorized_keys: Path
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(
    directory: Path, port: int, host_key: Path, authorized_keys: Path, extra: Sequence[str]
) -> str:
    return "\n".join(
        [
            "ListenAddress 127.0.0.1",
            f"Port {port}",
            f"HostKey {host_key}",
            f"PidFile {directory / 'sshd.pid'}",
            f"AuthorizedKeysFile {authorized_keys}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            *extra,
            "",
        ]
    )


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sshd exited with {process.returncode}: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"sshd did not listen on port {port} within {READY_TIMEOUT}s: {log.read_text()}")


def ssh(server: Sshd, key_file: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "ssh",
            "-F", "/dev/null",
            "-i", str(key_file),
            "-p", str(server.port),
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes",
            "-o", "IdentitiesOnly=yes",
            "-o", "ConnectTimeout=20",
            "-o", "LogLevel=ERROR",
            f"{getpass.getuser()}@127.0.0.1",
            *command,
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SSH_TIMEOUT,
    )


def logs_in(server: Sshd, key: Path) -> bool:
    """Whether ``key`` logs in; a refusal must be the publickey refusal, nothing else."""
    result = ssh(server, key, "echo", "in")
    if result.returncode == 0:
        assert result.stdout == "in\n"
        return True
    assert "Permission denied (publickey)" in result.stderr, server.log.read_text()
    return False


def authorized_keys_command(home: Path, region_id: str, instance_id: str) -> list[str]:
    """sshd_config lines that let in the key in effect on the instance of the store at ``home``.
    sshd runs the command with an empty environment and checks only its path (env's), so the
    data folder and this checkout are handed over as env's arguments."""
    return [
        "AuthorizedKeysCommand /usr/bin/env "
        f"ECS_KEYPAIR_HOME={home} PYTHONPATH={REPO / 'app'} {sys.executable} "
        f"-m ecs_keypair authorized-keys --RegionId {region_id} --InstanceId {instance_id}",
        f"AuthorizedKeysCommandUser {getpass.getuser()}",
    ]


@contextmanager
def running_sshd(tmp_path: Path, extra: Sequence[str] = ()) -> Iterator[Sshd]:
    """An sshd on 127.0.0.1 with its own host key and authorized_keys under ``tmp_path``;
    ``extra``: more lines of its config."""
    if not PRIVSEP_DIR.is_dir():
        try:
            PRIVSEP_DIR.mkdir(mode=0o755, parents=True)
        except PermissionError:
            pytest.fail(f"sshd needs {PRIVSEP_DIR}; create it (as root) and run again")
    directory = tmp_path / "sshd"
    directory.mkdir()
    host_key = directory / "host_ed25519"
    run_tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key)
    authorized_keys = directory / "authorized_keys"
    authorized_keys.write_text("")
    config = directory / "sshd_config"
    log = directory / "sshd.log"
    port = _free_port()
    config.write_text(_config(directory, port, host_key, authorized_keys, extra))
    run_tool(SSHD, "-t", "-f", config)  # a bad config fails here with sshd's own words

    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(process, port, log)
        yield Sshd(port, authorized_keys, log)
    finally:
        process.kill()
        process.wait(timeout=SSH_TIMEOUT)
