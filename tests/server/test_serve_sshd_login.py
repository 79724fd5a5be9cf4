"""A key pair created through ``serve`` with the official SDK logs in to a real sshd, and one
rotated through ``serve`` (``rotate --endpoint``) moves the login of an instance whose sshd asks
serve's store for its key (``AuthorizedKeysCommand``).

The sshd fixture and the ssh call are the integration tests' own (tests/integration).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models

from tests.conftest import require_tool
from tests.support.serve import RunningServe
from tests.support.serve_process import cli_on
from tests.support.sshd import SSHD, Sshd, authorized_keys_command, logs_in, running_sshd, ssh
from tests.support.tools import run_tool, write_private_file

REGION = "cn-hangzhou"

pytestmark = pytest.mark.system


def test_a_key_pair_created_through_serve_logs_in(
    serve: RunningServe,
    sshd: Sshd,
    tmp_path: Path,
) -> None:
    client = serve.client()
    created = client.create_key_pair(
        models.CreateKeyPairRequest(region_id="cn-hangzhou", key_pair_name="ssh-login")
    ).body
    listed = client.describe_key_pairs(
        models.DescribeKeyPairsRequest(
            region_id="cn-hangzhou", key_pair_name="ssh-login", include_public_key=True
        )
    ).body
    [item] = listed.key_pairs.key_pair
    sshd.authorized_keys.write_text(item.public_key + "\n")
    key_file = write_private_file(tmp_path / "ssh-login.pem", created.private_key_body)

    result = ssh(sshd, key_file, "echo", "ok")

    assert result.returncode == 0, f"{result.stderr}\n--- sshd log ---\n{sshd.log.read_text()}"
    assert result.stdout == "ok\n"


def test_rotate_through_serve_moves_the_login_and_deletes_the_old_key_pair(
    serve: RunningServe, tmp_path: Path
) -> None:
    require_tool("ssh", "ssh-keygen", str(SSHD))
    client = serve.client()
    old = tmp_path / "rotate-old"
    run_tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", old)
    client.import_key_pair(models.ImportKeyPairRequest(
        region_id=REGION, key_pair_name="rotate-old",
        public_key_body=old.with_suffix(".pub").read_text().strip(),
    ))
    [instance] = client.run_instances(models.RunInstancesRequest(
        region_id=REGION, image_id="ubuntu_24_04_x64_20G", instance_type="ecs.g7.large",
    )).body.instance_id_sets.instance_id_set
    client.attach_key_pair(models.AttachKeyPairRequest(
        region_id=REGION, key_pair_name="rotate-old", instance_ids=json.dumps([instance])
    ))
    client.reboot_instance(models.RebootInstanceRequest(instance_id=instance))
    new = tmp_path / "rotate-new.pem"
    key = {"AccessKeyId": serve.key.access_key_id, "AccessKeySecret": serve.key.secret}

    with running_sshd(tmp_path, authorized_keys_command(serve.home, REGION, instance)) as server:
        assert logs_in(server, old), server.log.read_text()

        body = cli_on(serve.port, key, tmp_path, "rotate", "--RegionId", REGION,
                      "--KeyPairName", "rotate-old", "--NewKeyPairName", "rotate-new",
                      "--save", str(new), "--reboot", "--delete-old").body

        assert body["InEffect"] == "NotShownByTheApi"
        assert [item["Outcome"] for item in body["Instances"]] == ["Moved"]
        assert logs_in(server, new), server.log.read_text()
        assert not logs_in(server, old)
    assert body["OldKeyPair"]["Outcome"] == "Deleted"
    listed = client.describe_key_pairs(
        models.DescribeKeyPairsRequest(region_id=REGION, key_pair_name="rotate-*")
    ).body.key_pairs.key_pair
    assert [item.key_pair_name for item in listed] == ["rotate-new"]
