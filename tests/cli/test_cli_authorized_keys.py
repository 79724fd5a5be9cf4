"""``ecs-keypair authorized-keys``: the key in effect, or nothing; any problem said on stderr with
exit 0 and nothing on stdout (sshd reads stdout); nothing created or written."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.cli import run_module
from tests.support.engine import REGION
from tests.support.instances import api, imported, run


def keys_of(*args: str) -> tuple[str, str]:
    outcome = run_module("authorized-keys", *args)
    assert outcome.status == 0
    return outcome.out, outcome.err


def test_it_prints_the_key_in_effect_of_a_running_instance(backend: LocalBackend) -> None:
    line = imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")

    assert keys_of("--RegionId", REGION, f"--InstanceId={instance}") == (line + "\n", "")
    api(backend, "StopInstance", InstanceId=instance)
    assert keys_of("--RegionId", REGION, "--InstanceId", instance) == ("", "")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--RegionId", REGION, "--InstanceId", "i-gone"), ""),
        (("--RegionId", "../keypairs", "--InstanceId", "i-1"), "--RegionId"),
        (("--RegionId", REGION), "missing --InstanceId"),
        (("--InstanceId",), "needs a value"),
        (("--Bogus", "x"), "unknown argument"),
    ],
)
def test_a_problem_prints_nothing_and_exits_0(
    backend: LocalBackend, args: tuple[str, ...], said: str
) -> None:
    imported(backend, REGION, "web-1")
    run(backend, REGION, KeyPairName="web-1")
    out, err = keys_of(*args)
    assert out == ""
    assert said in err


def test_a_damaged_file_or_a_bad_setting_prints_nothing(
    backend: LocalBackend, home: Path
) -> None:
    [instance] = run(backend, REGION)
    path = home / "instances" / f"{REGION}.json"
    path.write_text("[")
    out, err = keys_of("--RegionId", REGION, "--InstanceId", instance)
    assert out == "" and str(path) in err
    outcome = run_module(
        "authorized-keys", "--RegionId", REGION, "--InstanceId", instance,
        ECS_KEYPAIR_INSTANCE_QUOTA="lots",
    )
    assert (outcome.status, outcome.out) == (0, "")
    assert "ECS_KEYPAIR_INSTANCE_QUOTA" in outcome.err


def test_it_reads_only(home: Path) -> None:
    assert keys_of("--RegionId", REGION, "--InstanceId", "i-1") == ("", "")
    assert not home.exists()


def test_help() -> None:
    out, _ = keys_of("--help")
    assert "AuthorizedKeysCommand" in out
