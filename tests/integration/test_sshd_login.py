"""A key pair made by ``ecs-keypair CreateKeyPair`` logs in to a real sshd; another key does not.

The test starts its own ``sshd`` on 127.0.0.1 with a private config (its own host key, an
authorized_keys file in the test's temporary directory, public key authentication only), so it
touches nothing of the machine's SSH setup.
"""

from __future__ import annotations

import getpass
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.engine.keys import generate_rsa_key
from tests.conftest import require_tool
from tests.support.tools import CliResult, run_tool, write_private_file

pytestmark = pytest.mark.system

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


def _config(directory: Path, port: int, host_key: Path, authorized_keys: Path) -> str:
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


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    require_tool("ssh", "ssh-keygen", str(SSHD))
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
    config.write_text(_config(directory, port, host_key, authorized_keys))
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


def _ssh(server: Sshd, key_file: Path, *command: str) -> subprocess.CompletedProcess[str]:
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


def _create_and_authorize(cli: Callable[..., CliResult], server: Sshd, name: str) -> str:
    """Create a key pair with the command line, authorize its stored public key; the PEM."""
    region = ("--RegionId", "cn-hangzhou")
    body = cli("CreateKeyPair", *region, "--KeyPairName", name).json()
    listed = cli(
        "DescribeKeyPairs", *region, "--KeyPairName", name, "--IncludePublicKey", "true"
    ).json()
    (public_line,) = [item["PublicKey"] for item in listed["KeyPairs"]["KeyPair"]]
    server.authorized_keys.write_text(public_line + "\n")
    return body["PrivateKeyBody"]


def test_created_key_logs_in(
    sshd: Sshd, cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    private_pem = _create_and_authorize(cli, sshd, "login-1")
    key_file = write_private_file(tmp_path / "login-1.pem", private_pem)

    result = _ssh(sshd, key_file, "echo", "ok")

    assert result.returncode == 0, f"{result.stderr}\n--- sshd log ---\n{sshd.log.read_text()}"
    assert result.stdout == "ok\n"


def test_another_key_is_refused(
    sshd: Sshd, cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    _create_and_authorize(cli, sshd, "login-2")
    stranger = write_private_file(tmp_path / "stranger.pem", generate_rsa_key().private_pem)

    result = _ssh(sshd, stranger, "echo", "ok")

    assert result.returncode == 255, result.stdout
    assert "Permission denied (publickey)" in result.stderr
    assert result.stdout == ""
