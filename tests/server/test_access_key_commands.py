"""The access key life cycle, with RAM's names: ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
as real processes; a running serve sees each change on its next request; serve refuses to start
on access keys that others may read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models

from tests.support.serve import refused, running_serve
from tests.support.tools import ecs_keypair_command, run_cli

PROCESS_TIMEOUT = 60


def _update(home: Path, key_id: str, status: str):
    return run_cli(home, "UpdateAccessKey", "--UserAccessKeyId", key_id, "--Status", status)


def _regions(client) -> list:
    return client.describe_regions(models.DescribeRegionsRequest()).body.regions.region


def test_list_shows_ids_status_and_dates_never_a_secret(home: Path) -> None:
    made = [run_cli(home, "CreateAccessKey").body["AccessKey"] for _ in range(2)]

    result = run_cli(home, "ListAccessKeys")

    body = result.body
    assert set(body) == {"RequestId", "AccessKeys"}
    listed = body["AccessKeys"]["AccessKey"]
    assert {k["AccessKeyId"] for k in listed} == {k["AccessKeyId"] for k in made}
    assert all(set(k) == {"AccessKeyId", "Status", "CreateDate"} for k in listed)
    assert all(k["Status"] == "Active" for k in listed)
    assert not any(k["AccessKeySecret"] in result.out for k in made)


def test_a_running_serve_sees_inactive_active_and_deleted_keys(home: Path) -> None:
    with running_serve(home) as serve:
        key_id = serve.key.access_key_id
        client = serve.client()
        assert _regions(client)

        assert _update(home, key_id, "Inactive").status == 0
        inactive = refused(lambda: _regions(client))
        listed = run_cli(home, "ListAccessKeys").body["AccessKeys"]["AccessKey"]

        assert _update(home, key_id, "Active").status == 0
        active_again = _regions(client)

        assert run_cli(home, "DeleteAccessKey", "--UserAccessKeyId", key_id).status == 0
        deleted = refused(lambda: _regions(client))

    assert (inactive.code, inactive.status_code) == ("InvalidAccessKeyId.Inactive", 400)
    assert [k["Status"] for k in listed if k["AccessKeyId"] == key_id] == ["Inactive"]
    assert active_again
    assert (deleted.code, deleted.status_code) == ("InvalidAccessKeyId.NotFound", 404)


@pytest.mark.parametrize(
    "args",
    [
        ("UpdateAccessKey", "--UserAccessKeyId", "LTAInosuchkey", "--Status", "Inactive"),
        ("DeleteAccessKey", "--UserAccessKeyId", "LTAInosuchkey"),
    ],
    ids=["update", "delete"],
)
def test_an_unknown_id_is_rams_entity_not_exist(home: Path, args: tuple[str, ...]) -> None:
    run_cli(home, "CreateAccessKey")

    error = run_cli(home, *args).error

    assert (error["Code"], error["HttpStatusCode"]) == ("EntityNotExist.User.AccessKey", 404)


@pytest.mark.parametrize(
    "args",
    [
        ("UpdateAccessKey", "--UserAccessKeyId", "LTAIx"),
        ("UpdateAccessKey", "--UserAccessKeyId", "LTAIx", "--Status", "Disabled"),
        ("UpdateAccessKey", "--Status", "Active"),
        ("DeleteAccessKey",),
        ("ListAccessKeys", "--UserAccessKeyId", "LTAIx"),
    ],
    ids=["no-status", "bad-status", "no-id", "delete-no-id", "list-extra"],
)
def test_usage_errors_exit_2_and_change_nothing(home: Path, args: tuple[str, ...]) -> None:
    run_cli(home, "CreateAccessKey")
    before = (home / "access-keys.json").read_bytes()

    result = run_cli(home, *args)

    assert result.status == 2 and result.out == "" and "usage:" in result.err
    assert (home / "access-keys.json").read_bytes() == before


@pytest.mark.parametrize("command", ["ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey"])
def test_each_command_has_help_and_is_in_the_program_help(home: Path, command: str) -> None:
    own = run_cli(home, command, "--help")
    program = run_cli(home, "--help")

    assert own.status == 0 and f"ecs-keypair {command}" in own.out
    assert f"ecs-keypair {command}" in program.out


@pytest.mark.parametrize(
    ("target", "mode", "fix"),
    [("home", 0o755, "chmod 700"), ("file", 0o644, "chmod 600"), ("file", 0o620, "chmod 600")],
    ids=["directory-readable", "file-readable", "file-group-writable"],
)
def test_serve_refuses_access_keys_open_to_others(
    home: Path, target: str, mode: int, fix: str
) -> None:
    run_cli(home, "CreateAccessKey")
    path = home if target == "home" else home / "access-keys.json"
    path.chmod(mode)

    result = subprocess.run(
        [*ecs_keypair_command(), "serve", "--port", "0"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home)},
        timeout=PROCESS_TIMEOUT,
    )

    assert result.returncode == 1
    assert f"{fix} {path}" in result.stderr and "refusing to start" in result.stderr
    assert "serving on" not in result.stdout and "Traceback" not in result.stderr
