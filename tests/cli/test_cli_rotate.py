"""``ecs-keypair rotate``: one result per instance, exit 0 only when every instance moved, what
did not move said on stderr, a rerun that finishes the job, a NEW made elsewhere used only with
--use-existing, and a wrong command line refused as one (exit 2)."""

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

    rerun = rotate(cli, tmp_path, "--delete-old", "--reboot")

    assert (rerun.status, rerun.err) == (0, (
        "ecs-keypair: rotate: --save was not used: web-2 exists already, so nothing was made "
        "or saved\n"
    ))
    again = json.loads(rerun.out)
    assert again["NewKeyPair"]["Outcome"] == "AlreadyThere"
    assert [item["Outcome"] for item in again["Instances"]] == ["Moved"]
    assert key_pairs(cli) == ["web-2"]


def test_a_new_key_pair_this_machine_never_held_is_refused(cli: Cli, tmp_path: Path) -> None:
    instances = instances_on(cli, "web-3", 2)
    cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "stranger",
        "--PublicKeyBody", public_line()).ok()
    mine = tmp_path / "mine.pem"

    refused = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-3", "--NewKeyPairName",
                  "stranger", "--save", str(mine), "--type", "ed25519", "--reboot")

    assert refused.error["Code"] == "KeyPair.AlreadyExist"
    assert refused.reason.startswith(
        f"ecs-keypair: NewKeyPairName: stranger exists in {REGION} and this machine has no "
        "record of holding its private key"
    )
    assert "--use-existing" in refused.reason
    assert not mine.exists()
    bound = cli("DescribeInstances", "--RegionId", REGION, "--KeyPairName", "web-3").body
    assert sorted(item["InstanceId"] for item in bound["Instances"]["Instance"]) == sorted(
        instances
    )


def test_use_existing_says_what_it_did_not_use(cli: Cli, tmp_path: Path) -> None:
    instances_on(cli, "web-3")
    cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "stranger",
        "--PublicKeyBody", public_line()).ok()
    mine = tmp_path / "mine.pem"

    used = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-3", "--NewKeyPairName",
               "stranger", "--save", str(mine), "--type", "ed25519", "--reboot",
               "--use-existing")

    assert (used.status, used.err) == (0, (
        "ecs-keypair: rotate: --save and --type were not used: stranger exists already, so "
        "nothing was made or saved\n"
    ))
    body = json.loads(used.out)
    assert body["NewKeyPair"]["Outcome"] == "AlreadyThere"
    assert [item["Outcome"] for item in body["Instances"]] == ["Moved"]
    assert not mine.exists()


def test_use_existing_needs_no_delivery(cli: Cli) -> None:
    instances_on(cli, "web-3")
    cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "mine",
        "--PublicKeyBody", public_line()).ok()

    body = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-3", "--NewKeyPairName",
               "mine", "--use-existing", "--reboot", "--delete-old").body

    assert body["OldKeyPair"]["Outcome"] == "Deleted"
    assert key_pairs(cli) == ["mine"]


def test_errors_about_new_name_new(cli: Cli, tmp_path: Path) -> None:
    instances_on(cli, "web-1")
    for name, said in [
        ("1bad", "NewKeyPairName: must start with a letter"),
        ("n" * 129, "NewKeyPairName: must be at most 128 characters long"),
    ]:
        outcome = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1",
                      "--NewKeyPairName", name, "--save", str(tmp_path / "k.pem"))
        assert outcome.error["Code"] == "InvalidKeyPairName.Malformed"
        assert outcome.reason.startswith(f"ecs-keypair: {said}")
    assert key_pairs(cli) == ["web-1"]


def test_a_key_made_here(cli: Cli, tmp_path: Path) -> None:
    instances_on(cli, "web-1")

    body = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
               "web-2", "--type", "ed25519", "--save", str(tmp_path / "web-2"), "--reboot").body

    assert body["NewKeyPair"]["Outcome"] == "MadeHere"
    assert (tmp_path / "web-2").read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert [item["Outcome"] for item in body["Instances"]] == ["Moved"]


def test_a_key_that_would_go_nowhere_is_a_usage_error(cli: Cli) -> None:
    instances_on(cli, "web-1")

    outcome = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
                  "web-2")

    assert outcome.usage.startswith(
        "ecs-keypair: give --save PATH or --add-to-agent: the private key of web-2"
    )
    assert key_pairs(cli) == ["web-1"]


def test_use_existing_with_no_new_key_pair_to_use_makes_nothing(cli: Cli) -> None:
    instances_on(cli, "web-1")

    outcome = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName",
                  "web-2", "--use-existing")

    assert outcome.error["Code"] == "InvalidParameter"
    assert "must be saved or added to the agent" in outcome.reason
    assert key_pairs(cli) == ["web-1"]


def test_usage_errors_call_nothing(cli: Cli, tmp_path: Path) -> None:
    instances_on(cli, "web-1")
    missing = cli("rotate", "--RegionId", REGION, "--KeyPairName", "web-1")
    assert "missing required parameter --NewKeyPairName" in missing.usage
    line = ("rotate", "--RegionId", REGION, "--KeyPairName", "web-1", "--NewKeyPairName", "web-2")
    save = ("--save", str(tmp_path / "web-2"))
    for extra, said in [
        (("--format", "pem"), "ecs-keypair: --format goes with --save PATH"),
        ((*save, "--type", "rsa", "--bits", "99999999"),
         "ecs-keypair: --bits 99999999: rsa keys must have 2048 to 4096 bits"),
        ((*save, "--bits", "2048"),
         "ecs-keypair: --bits 2048: the key type proposed here is ed25519 (no --type was "
         "given), and ed25519 keys have one size: leave --bits out, or choose the type with "
         "--type"),
        (("--add-to-agent", "--lifetime", "-5"),
         "ecs-keypair: --lifetime must be a positive whole number of seconds, not '-5'"),
        (("--add-to-agent", "--lifetime", "0"),
         "ecs-keypair: --lifetime 0: must be 1 to 4294967295 seconds"),
        ((*save, "--bits", "-5"),
         "ecs-keypair: --bits must be a positive whole number of bits, not '-5'"),
    ]:
        assert cli(*line, *extra).usage.startswith(said), extra
    assert key_pairs(cli) == ["web-1"]
    assert not (tmp_path / "web-2").exists()


def test_rotate_help_names_every_option(cli: Cli) -> None:
    text = cli("rotate", "--help").out
    assert text.startswith("Usage: ecs-keypair rotate --RegionId R --KeyPairName OLD")
    for option in ("--NewKeyPairName NAME", "--reboot", "--delete-old", "--save PATH",
                   "--add-to-agent", "--type TYPE", "--bits N", "--use-existing"):
        assert option in text
    usage, _, example = text.partition("\nExample:\n")
    assert all(len(line) <= 100 for line in usage.splitlines())
    assert example.startswith("  ecs-keypair rotate --RegionId cn-hangzhou")
