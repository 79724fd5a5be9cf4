"""An instance of the local store as a real sshd: sshd asks ``ecs-keypair authorized-keys`` for
the instance's key on every login (``AuthorizedKeysCommand``), so the key pair in effect logs in,
and a key pair attached takes over only once the instance is rebooted.

The sshd is the test's own (127.0.0.1, its own config and host key, an empty authorized_keys
file), so only the command can let anyone in.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend

from tests.conftest import CHECKOUT, require_tool
from tests.support.engine import REGION
from tests.support.instances import api, run
from tests.support.sshd import SSHD, Sshd, running_sshd, ssh
from tests.support.tools import run_tool

pytestmark = pytest.mark.system


def _key(backend: LocalBackend, tmp_path: Path, name: str) -> Path:
    """A real key made by ssh-keygen, its public half imported as the key pair ``name``."""
    path = tmp_path / name
    run_tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path)
    line = path.with_suffix(".pub").read_text().strip()
    backend.import_key_pair(ImportKeyPairRequest(REGION, name, line))
    return path


def _command(home: Path, instance: str) -> list[str]:
    """sshd runs the command with an empty environment and checks only its path (env's), so the
    data folder and this checkout are handed over as env's arguments."""
    return [
        "AuthorizedKeysCommand /usr/bin/env "
        f"ECS_KEYPAIR_HOME={home} PYTHONPATH={CHECKOUT / 'app'} {sys.executable} "
        f"-m ecs_keypair authorized-keys --RegionId {REGION} --InstanceId {instance}",
        f"AuthorizedKeysCommandUser {getpass.getuser()}",
    ]


def _logs_in(server: Sshd, key: Path) -> bool:
    result = ssh(server, key, "echo", "in")
    if result.returncode == 0:
        assert result.stdout == "in\n"
        return True
    assert "Permission denied (publickey)" in result.stderr, server.log.read_text()
    return False


def test_the_key_pair_in_effect_logs_in_and_an_attached_one_after_a_reboot(
    backend: LocalBackend, home: Path, tmp_path: Path
) -> None:
    require_tool("ssh", "ssh-keygen", str(SSHD))
    old = _key(backend, tmp_path, "login-old")
    new = _key(backend, tmp_path, "login-new")
    [instance] = run(backend, REGION, KeyPairName="login-old")

    with running_sshd(tmp_path, _command(home, instance)) as server:
        assert _logs_in(server, old), server.log.read_text()
        assert not _logs_in(server, new)

        ids = json.dumps([instance])
        api(backend, "AttachKeyPair", RegionId=REGION, KeyPairName="login-new", InstanceIds=ids)
        assert _logs_in(server, old)  # bound, not yet in effect
        assert not _logs_in(server, new)

        api(backend, "RebootInstance", InstanceId=instance)
        assert _logs_in(server, new), server.log.read_text()
        assert not _logs_in(server, old)

        api(backend, "StopInstance", InstanceId=instance)
        assert not _logs_in(server, new)  # a stopped instance lets no one in
