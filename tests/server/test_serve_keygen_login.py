"""A key made here by ``keygen --endpoint`` (ed25519), imported through serve, logs in to sshd.

The key never leaves this machine: only its public half goes to serve, and the sshd fixture and
the ssh call are the integration tests' own (tests/integration).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models
from ecs_keypair.cli import main

from tests.support.serve import RunningServe
from tests.support.sshd import Sshd, ssh

pytestmark = pytest.mark.system


def test_a_key_made_here_and_imported_through_serve_logs_in(
    serve: RunningServe,
    sshd: Sshd,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
    key_file = tmp_path / "made-here"

    status = main(["keygen", "--KeyPairName", "made-here", "--RegionId", "cn-hangzhou",
                   "--save", str(key_file), "--endpoint", f"http://{serve.endpoint}"])

    assert status == 0, capsys.readouterr().err
    listed = serve.client().describe_key_pairs(
        models.DescribeKeyPairsRequest(
            region_id="cn-hangzhou", key_pair_name="made-here", include_public_key=True
        )
    ).body
    [item] = listed.key_pairs.key_pair
    assert item.public_key.startswith("ssh-ed25519 ")
    sshd.authorized_keys.write_text(item.public_key + "\n")

    result = ssh(sshd, key_file, "echo", "ok")

    assert result.returncode == 0, f"{result.stderr}\n--- sshd log ---\n{sshd.log.read_text()}"
    assert result.stdout == "ok\n"
