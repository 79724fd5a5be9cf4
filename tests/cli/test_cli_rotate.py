"""``ecs-keypair rotate``: one result per instance, exit 0 only when every instance moved, what
did not move said on stderr, a rerun that finishes the job."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

from tests.support.cli import Outcome
from tests.support.instances import public_line

REGION = "cn-hangzhou"
Cli = Callable[..., Outcome]


def instances_on(cli: Cli, name: str, amount: int = 1) -> list[str]:
    """Key pair ``name`` imported and ``amount`` instances launched with it."""
    cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", name,
        "--PublicKeyBody", public_line()).ok()
    body = cli("RunInstances", "--RegionId", REGION, "--ImageId", "img", "--InstanceType", "t",
               "--KeyPairName", name, "--Amount", str(amount)).body
    ids: list[str] = body["InstanceIdSets"]["InstanceIdSet"]
    return ids


def key_pairs(cli: Cli) -> list[str]:
    body = cli("DescribeKeyPairs", "--RegionId", REGION).body
    return sorted(item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"])


def rotate(cli: Cli, tmp_path: Path, *extra: str) -> Outcome:
    return cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
               "web-2", "--save", str(tmp_path / "web-2.pem"), *extra)


def test_rotate_moves_every_instance_and_deletes_old(cli: Cli, tmp_path: Path) -> None:
    instances = instances_on(cli, "web-1", 2)

    body = rotate(cli, tmp_path, "--reboot", "--delete-old").body

    moved = {item["InstanceId"]: item["Outcome"] for item in body["Instances"]}
    assert moved == {instance: "Moved" for instance in instances}
    assert body["NewKeyPair"]["Outcome"] == "Created"
    assert body["OldKeyPair"] == {"KeyPairName": "web-1", "Outcome": "Deleted"}
    assert "PrivateKeyBody" not in json.dumps(body)
    key_file = tmp_path / "web-2.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_pairs(cli) == ["web-2"]
    described = cli("DescribeInstances", "--RegionId", REGION, "--KeyPairName", "web-2").body
    assert len(described["Instances"]["Instance"]) == 2


def test_what_did_not_move_is_said_and_a_rerun_finishes(cli: Cli, tmp_path: Path) -> None:
    [instance] = instances_on(cli, "web-1")

    first = rotate(cli, tmp_path, "--delete-old")

    assert first.status == 1
    body = json.loads(first.out)
    assert [item["Outcome"] for item in body["Instances"]] == ["Attached"]
    assert first.err.splitlines() == [
        f"ecs-keypair: rotate: {instance}: Attached: web-2 bound; it takes effect when the "
        "instance is rebooted",
        f"ecs-keypair: rotate: web-1 kept: 1 instance has not moved: {instance}",
    ]

    again = rotate(cli, tmp_path, "--delete-old", "--reboot").body

    assert again["NewKeyPair"]["Outcome"] == "AlreadyThere"
    assert [item["Outcome"] for item in again["Instances"]] == ["Moved"]
    assert key_pairs(cli) == ["web-2"]


def test_a_key_made_here(cli: Cli, tmp_path: Path) -> None:
    instances_on(cli, "web-1")

    body = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
               "web-2", "--type", "ed25519", "--save", str(tmp_path / "web-2"), "--reboot").body

    assert body["NewKeyPair"]["Outcome"] == "MadeHere"
    assert (tmp_path / "web-2").read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert [item["Outcome"] for item in body["Instances"]] == ["Moved"]


def test_a_key_that_would_go_nowhere_is_refused(cli: Cli) -> None:
    instances_on(cli, "web-1")

    outcome = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
                  "web-2")

    assert outcome.error["Code"] == "InvalidParameter"
    assert "must be saved or added to the agent" in outcome.reason
    assert key_pairs(cli) == ["web-1"]


def test_usage_errors_call_nothing(cli: Cli, tmp_path: Path) -> None:
    instances_on(cli, "web-1")
    missing = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1")
    assert "missing required parameter --NewKeyPairName" in missing.usage
    loose = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
                "web-2", "--format", "pem")
    assert "--format goes with --save PATH" in loose.usage
    assert key_pairs(cli) == ["web-1"]


def test_rotate_help_names_every_option(cli: Cli) -> None:
    text = cli("rotate", "--help").out
    assert text.startswith("Usage: ecs-keypair rotate --RegionId R --KeyPairName OLD")
    for option in ("--NewKeyPairName NAME", "--reboot", "--delete-old", "--save PATH",
                   "--add-to-agent", "--type TYPE", "--bits N"):
        assert option in text
    usage, _, example = text.partition("\nExample:\n")
    assert all(len(line) <= 100 for line in usage.splitlines())
    assert example.startswith("  ecs-keypair rotate --RegionId cn-hangzhou")
