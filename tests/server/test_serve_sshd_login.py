"""A key pair created through ``serve`` with the official SDK logs in to a real sshd.

The sshd fixture and the ssh call are the integration tests' own (tests/integration).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models

from tests.support.serve import RunningServe
from tests.support.sshd import Sshd, ssh
from tests.support.tools import write_private_file

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
