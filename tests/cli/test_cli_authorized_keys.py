"""``ecs-keypair authorized-keys``: the key in effect, or nothing; any problem said on stderr with
exit 0 and nothing on stdout (sshd reads stdout); nothing created or written."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.cli import run_module
from tests.support.engine import OTHER_REGION, REGION
from tests.support.instances import api, imported, public_line, run

NOBODY = 65534


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


def test_it_reads_only(backend: LocalBackend, home: Path) -> None:
    [instance] = run(backend, REGION)
    files = {path: path.stat().st_mtime_ns for path in home.rglob("*")}
    assert keys_of("--RegionId", REGION, "--InstanceId", instance) == ("", "")
    assert {path: path.stat().st_mtime_ns for path in home.rglob("*")} == files


def test_a_missing_data_folder_is_said_and_not_made(home: Path) -> None:
    out, err = keys_of("--RegionId", REGION, "--InstanceId", "i-1")
    assert out == "" and err.count("\n") == 1
    assert f"{home} does not exist" in err
    assert not home.exists()


def test_an_option_given_twice_is_said(backend: LocalBackend) -> None:
    imported(backend, REGION, "web-1")
    first, second = run(backend, REGION, amount=2, KeyPairName="web-1")
    out, err = keys_of("--RegionId", REGION, "--InstanceId", first, f"--InstanceId={second}")
    assert out == "" and err.count("\n") == 1
    assert "--InstanceId is given twice" in err


def _in_effect(home: Path, change: Callable[[list[dict[str, Any]]], None]) -> None:
    """Edit the region's file by hand, as an attacker with a shell would: ``change`` gets its
    instance documents, in the file's order, to alter or add to."""
    path = home / "instances" / f"{REGION}.json"
    tables = json.loads(path.read_text())
    documents = list(tables["instances"].values())
    change(documents)
    tables["instances"] = {str(n): d for n, d in enumerate(documents, start=1)}
    path.write_text(json.dumps(tables))


def _set_key(line: str) -> Callable[[list[dict[str, Any]]], None]:
    def change(documents: list[dict[str, Any]]) -> None:
        documents[0]["KeyPairInEffect"]["PublicKey"] = line

    return change


def _rsa_base64() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    line = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return line.decode("ascii").split()[1]


def _ed25519_base64() -> str:
    return public_line().split()[1]


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(lambda: f'command="/bin/sh" ssh-ed25519 {_ed25519_base64()}', id="option"),
        pytest.param(lambda: f"no-pty ssh-ed25519 {_ed25519_base64()}", id="flag-option"),
        pytest.param(lambda: "ssh-rsa !!!!", id="not-base64"),
        pytest.param(lambda: "ssh-ed25519 " + "A" * (5 * 1024 * 1024), id="5-MB"),
        pytest.param(lambda: f"ssh-ed25519 {_rsa_base64()}", id="rsa-blob-as-ed25519"),
        pytest.param(lambda: f"ssh-ed25519 {_ed25519_base64()[:-8]}", id="truncated"),
        pytest.param(
            lambda: f"ssh-ed25519 {_ed25519_base64()}\nssh-ed25519 {_ed25519_base64()}",
            id="two-lines",
        ),
        pytest.param(lambda: "", id="empty"),
    ],
)
def test_a_key_in_effect_that_does_not_parse_is_never_printed(
    backend: LocalBackend, home: Path, key: Callable[[], str]
) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    _in_effect(home, _set_key(key()))
    out, err = keys_of("--RegionId", REGION, "--InstanceId", instance)
    assert out == "" and err.count("\n") == 1
    assert "not one public key" in err and instance in err


def test_the_key_is_printed_as_parsed_without_comment_or_spaces(
    backend: LocalBackend, home: Path
) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    blob = _ed25519_base64()
    _in_effect(home, _set_key(f"  ssh-ed25519   {blob}  someone@somewhere  "))
    assert keys_of("--RegionId", REGION, "--InstanceId", instance) == (
        f"ssh-ed25519 {blob}\n", ""
    )


def _duplicate_id(documents: list[dict[str, Any]]) -> None:
    twin = json.loads(json.dumps(documents[0]))
    twin["KeyPairInEffect"]["PublicKey"] = public_line()
    documents.append(twin)


def _other_region(documents: list[dict[str, Any]]) -> None:
    stranger = json.loads(json.dumps(documents[0]))
    stranger["InstanceId"] = "i-stranger"
    stranger["RegionId"] = OTHER_REGION
    documents.append(stranger)


@pytest.mark.parametrize(
    ("change", "said"),
    [(_duplicate_id, "more than once"), (_other_region, OTHER_REGION)],
    ids=["duplicate-id", "other-region"],
)
def test_an_ambiguous_file_is_damaged(
    backend: LocalBackend,
    home: Path,
    change: Callable[[list[dict[str, Any]]], None],
    said: str,
) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    _in_effect(home, change)
    for asked in (instance, "i-stranger"):
        out, err = keys_of("--RegionId", REGION, "--InstanceId", asked)
        assert out == "" and err.count("\n") == 1
        assert str(home / "instances" / f"{REGION}.json") in err and said in err


@pytest.mark.parametrize(
    ("where", "mode"),
    [(".", 0o777), (".", 0o720), ("instances", 0o777), ("instances", 0o702),
     (f"instances/{REGION}.json", 0o666), (f"instances/{REGION}.json", 0o620)],
    ids=lambda value: f"{value:o}" if isinstance(value, int) else value,
)
def test_a_path_others_may_write_is_refused(
    backend: LocalBackend, home: Path, where: str, mode: int
) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    path = (home / where).resolve()
    path.chmod(mode)
    out, err = keys_of("--RegionId", REGION, "--InstanceId", instance)
    assert out == "" and err.count("\n") == 1
    assert f"chmod go-w {path}" in err


@pytest.mark.parametrize("where", [".", "instances", f"instances/{REGION}.json"])
def test_a_path_of_another_owner_is_refused(
    backend: LocalBackend, home: Path, where: str
) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    path = (home / where).resolve()
    os.chown(path, NOBODY, NOBODY)
    out, err = keys_of("--RegionId", REGION, "--InstanceId", instance)
    assert out == "" and err.count("\n") == 1
    assert f"chown root {path}" in err


def test_help() -> None:
    out, _ = keys_of("--help")
    assert "AuthorizedKeysCommand" in out


def test_a_region_file_that_is_a_link_is_refused(backend: LocalBackend, home: Path) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    path = home / "instances" / f"{REGION}.json"
    moved = path.rename(home / "elsewhere.json")
    path.symlink_to(moved)
    out, err = keys_of("--RegionId", REGION, "--InstanceId", instance)
    assert out == "" and err.count("\n") == 1
    assert f"{path} is a symbolic link" in err
