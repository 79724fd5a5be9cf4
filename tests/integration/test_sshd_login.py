"""A key pair made by ``ecs-keypair CreateKeyPair`` logs in to a real sshd; another key does not.

The test starts its own ``sshd`` on 127.0.0.1 with a private config (its own host key, an
authorized_keys file in the test's temporary directory, public key authentication only), so it
touches nothing of the machine's SSH setup.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.keys.key_formats import generate_rsa_key

from tests.support.cli import Outcome
from tests.support.sshd import Sshd, ssh
from tests.support.tools import write_private_file

pytestmark = pytest.mark.system


def _create_and_authorize(cli: Callable[..., Outcome], server: Sshd, name: str) -> str:
    """Create a key pair with the command line, authorize its stored public key; the PEM."""
    region = ("--RegionId", "cn-hangzhou")
    body = cli("CreateKeyPair", *region, "--KeyPairName", name).body
    listed = cli(
        "DescribeKeyPairs", *region, "--KeyPairName", name, "--IncludePublicKey", "true"
    ).body
    (public_line,) = [item["PublicKey"] for item in listed["KeyPairs"]["KeyPair"]]
    server.authorized_keys.write_text(public_line + "\n")
    return body["PrivateKeyBody"]


def test_created_key_logs_in(
    sshd: Sshd, cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    private_pem = _create_and_authorize(cli, sshd, "login-1")
    key_file = write_private_file(tmp_path / "login-1.pem", private_pem)

    result = ssh(sshd, key_file, "echo", "ok")

    assert result.returncode == 0, f"{result.stderr}\n--- sshd log ---\n{sshd.log.read_text()}"
    assert result.stdout == "ok\n"


def test_another_key_is_refused(
    sshd: Sshd, cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    _create_and_authorize(cli, sshd, "login-2")
    stranger = write_private_file(tmp_path / "stranger.pem", generate_rsa_key().private_pem)

    result = ssh(sshd, stranger, "echo", "ok")

    assert result.returncode == 255, result.stdout
    assert "Permission denied (publickey)" in result.stderr
    assert result.stdout == ""
