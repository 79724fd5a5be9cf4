"""An instance of the local store as a real sshd: sshd asks ``ecs-keypair authorized-keys`` for
the instance's key on every login (``AuthorizedKeysCommand``), so the key pair in effect logs in,
a key pair attached takes over only once the instance is rebooted, and ``rotate`` moves the login
to a new key and the old one out.

The sshd is the test's own (127.0.0.1, its own config and host key, an empty authorized_keys
file), so only the command can let anyone in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend

from tests.conftest import require_tool
from tests.support.cli import Outcome
from tests.support.engine import REGION
from tests.support.instances import api, described, run
from tests.support.sshd import SSHD, authorized_keys_command, logs_in, running_sshd
from tests.support.tools import run_tool

pytestmark = pytest.mark.system


def _key(backend: LocalBackend, tmp_path: Path, name: str) -> Path:
    """A real key made by ssh-keygen, its public half imported as the key pair ``name``."""
    path = tmp_path / name
    run_tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path)
    line = path.with_suffix(".pub").read_text().strip()
    backend.import_key_pair(ImportKeyPairRequest(REGION, name, line))
    return path


def test_the_key_pair_in_effect_logs_in_and_an_attached_one_after_a_reboot(
    backend: LocalBackend, home: Path, tmp_path: Path
) -> None:
    require_tool("ssh", "ssh-keygen", str(SSHD))
    old = _key(backend, tmp_path, "login-old")
    new = _key(backend, tmp_path, "login-new")
    [instance] = run(backend, REGION, KeyPairName="login-old")

    with running_sshd(tmp_path, authorized_keys_command(home, REGION, instance)) as server:
        assert logs_in(server, old), server.log.read_text()
        assert not logs_in(server, new)

        ids = json.dumps([instance])
        api(backend, "AttachKeyPair", RegionId=REGION, KeyPairName="login-new", InstanceIds=ids)
        assert logs_in(server, old)  # bound, not yet in effect
        assert not logs_in(server, new)

        api(backend, "RebootInstance", InstanceId=instance)
        assert logs_in(server, new), server.log.read_text()
        assert not logs_in(server, old)

        api(backend, "StopInstance", InstanceId=instance)
        assert not logs_in(server, new)  # a stopped instance lets no one in


def test_rotate_moves_the_login_to_the_new_key_and_deletes_the_old_one(
    backend: LocalBackend, home: Path, tmp_path: Path, cli: Callable[..., Outcome]
) -> None:
    require_tool("ssh", "ssh-keygen", str(SSHD))
    old = _key(backend, tmp_path, "login-old")
    [instance] = run(backend, REGION)  # no key pair: the old one is attached, then in effect
    api(backend, "AttachKeyPair", RegionId=REGION, KeyPairName="login-old",
        InstanceIds=json.dumps([instance]))
    api(backend, "RebootInstance", InstanceId=instance)
    new = tmp_path / "login-new.pem"

    with running_sshd(tmp_path, authorized_keys_command(home, REGION, instance)) as server:
        assert logs_in(server, old), server.log.read_text()

        body = cli("rotate", "--RegionId", REGION, "--KeyPairName", "login-old",
                   "--NewKeyPairName", "login-new", "--save", str(new), "--reboot",
                   "--delete-old").body

        assert [item["Outcome"] for item in body["Instances"]] == ["Moved"]
        assert logs_in(server, new), server.log.read_text()
        assert not logs_in(server, old)
    assert body["OldKeyPair"]["Outcome"] == "Deleted"
    assert [record.key_pair_name for record in backend.find_key_pairs(REGION)] == ["login-new"]
    assert described(backend, REGION)[instance]["KeyPairName"] == "login-new"


def test_an_option_written_into_the_store_lets_no_one_in(
    backend: LocalBackend, home: Path, tmp_path: Path
) -> None:
    """A forced command put before the key in effect would reach sshd as an authorized_keys
    option: the line is not one public key, so nothing is printed and the key does not log in."""
    require_tool("ssh", "ssh-keygen", str(SSHD))
    key = _key(backend, tmp_path, "login-old")
    [instance] = run(backend, REGION, KeyPairName="login-old")
    path = home / "instances" / f"{REGION}.json"
    tables = json.loads(path.read_text())
    [document] = tables["instances"].values()
    line = document["KeyPairInEffect"]["PublicKey"]
    document["KeyPairInEffect"]["PublicKey"] = f'command="/bin/echo forced" {line}'
    path.write_text(json.dumps(tables))

    with running_sshd(tmp_path, authorized_keys_command(home, REGION, instance)) as server:
        assert not logs_in(server, key)


def test_a_data_folder_others_may_write_lets_no_one_in(
    backend: LocalBackend, home: Path, tmp_path: Path
) -> None:
    require_tool("ssh", "ssh-keygen", str(SSHD))
    key = _key(backend, tmp_path, "login-old")
    [instance] = run(backend, REGION, KeyPairName="login-old")

    with running_sshd(tmp_path, authorized_keys_command(home, REGION, instance)) as server:
        assert logs_in(server, key), server.log.read_text()
        home.chmod(0o777)
        assert not logs_in(server, key)
        home.chmod(0o700)
        assert logs_in(server, key)
