"""``ecs-keypair serve`` and ``CreateAccessKey`` as real processes, and the command line on serve.

serve runs as the installed console script on a free port (``--port 0``); the command line is
pointed at it with ``--endpoint http://127.0.0.1:PORT`` and credentials in the environment.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.models import Config
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.server.access_keys import FILE_NAME
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

from tests.support.serve_process import (
    STOP_TIMEOUT,
    ServeProcess,
    cli_on,
    create_access_key,
    start_serve,
)
from tests.support.tools import ecs_keypair_command, run_cli


@pytest.fixture
def served(home: Path) -> Iterator[tuple[ServeProcess, dict]]:
    key = create_access_key(home)
    server = start_serve(home)
    try:
        yield server, key
    finally:
        if server.process.poll() is None:
            server.stop(signal.SIGTERM)


def test_create_access_key_prints_the_secret_once_and_keeps_it_owner_only(home: Path) -> None:
    result = run_cli(home, "CreateAccessKey")
    body = result.body

    key = body["AccessKey"]
    assert set(body) == {"RequestId", "AccessKey"}
    assert key["AccessKeyId"].startswith("LTAI") and len(key["AccessKeySecret"]) == 30
    assert key["Status"] == "Active" and key["CreateDate"].endswith("Z")
    assert stat.S_IMODE((home / FILE_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert run_cli(home, "CreateAccessKey").body["AccessKey"]["AccessKeyId"] != key["AccessKeyId"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_says_where_it_listens_and_stops_cleanly(served, signum: int) -> None:
    server, _ = served

    status, out = server.stop(signum)

    assert f"serving on http://127.0.0.1:{server.port} (loopback only)" in server.banner
    assert status == 0
    assert out.rstrip().endswith("stopped") and "Traceback" not in out


def test_serve_warns_when_bound_beyond_loopback(home: Path) -> None:
    server = start_serve(home, "--host", "0.0.0.0")
    status, out = server.stop(signal.SIGTERM)

    assert "no access key yet" in server.banner
    assert f"serving on http://0.0.0.0:{server.port}\n" in server.banner
    assert "warning: 0.0.0.0 is reachable from other machines" in out + server.banner
    assert status == 0


def test_serve_refuses_a_taken_port(served, home: Path) -> None:
    server, _ = served
    result = subprocess.run(
        [*ecs_keypair_command(), "serve", "--port", str(server.port)],
        capture_output=True,
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home)},
        timeout=STOP_TIMEOUT,
    )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{server.port}" in result.stderr


def test_the_command_line_on_serve_creates_lists_and_deletes(served, home: Path) -> None:
    server, key = served
    region = ("--RegionId", "cn-hangzhou")

    created = cli_on(
        server,
        key,
        home,
        "CreateKeyPair",
        *region,
        "--KeyPairName",
        "via-serve",
        "--Tag.1.Key",
        "env",
        "--Tag.1.Value",
        "dev",
    ).body
    listed = cli_on(
        server, key, home, "DescribeKeyPairs", *region, "--KeyPairName", "via-*"
    ).body
    taken = cli_on(
        server, key, home, "CreateKeyPair", *region, "--KeyPairName", "via-serve"
    ).error
    deleted = cli_on(
        server, key, home, "DeleteKeyPairs", *region, "--KeyPairNames", '["via-serve"]'
    )
    after = cli_on(server, key, home, "DescribeKeyPairs", *region).body

    stored = LocalBackend(KeyPairStore(home))
    assert created["KeyPairName"] == "via-serve" and created["PrivateKeyBody"].startswith(
        "-----BEGIN"
    )
    assert [k["KeyPairName"] for k in listed["KeyPairs"]["KeyPair"]] == ["via-serve"]
    assert listed["KeyPairs"]["KeyPair"][0]["Tags"]["Tag"] == [{"TagKey": "env", "TagValue": "dev"}]
    assert (taken["Code"], taken["HttpStatusCode"]) == ("KeyPair.AlreadyExist", 400)
    assert deleted.status == 0 and after["TotalCount"] == 0
    assert stored.find_key_pairs("cn-hangzhou") == []
    # the command line on an endpoint keeps only its mirror, never a local store
    assert sorted(path.name for path in (home / "elsewhere").iterdir()) == ["mirrors"]


def test_the_command_line_with_refused_credentials(served, home: Path) -> None:
    server, key = served
    wrong = {**key, "AccessKeySecret": "not-the-secret"}

    error = cli_on(server, wrong, home, "DescribeRegions").error

    assert (error["Code"], error["HttpStatusCode"]) == ("SignatureDoesNotMatch", 400)


def test_the_command_line_on_a_stopped_serve(served, home: Path) -> None:
    server, key = served
    server.stop(signal.SIGTERM)

    error = cli_on(server, key, home, "DescribeRegions").error

    assert (error["Code"], error["HttpStatusCode"]) == ("SDK.ServerUnreachable", 503)
    assert f"127.0.0.1:{server.port} refused the connection" in error["Message"]


def test_the_command_line_without_credentials(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)

    error = run_cli(home, "DescribeRegions", "--endpoint", "http://127.0.0.1:8080").error

    assert error["Code"] == "InvalidCredentials" and "--profile" in error["Message"]


def test_profile_alone_opens_the_app_on_the_cloud(home: Path) -> None:
    # the app on Alibaba Cloud, as --cloud: without a terminal it says so and draws nothing
    result = run_cli(home, "--profile", "default")
    assert result.status == 2 and "not a terminal" in result.err


def test_serve_process_and_in_process_writers_share_the_store(served, home: Path) -> None:
    server, key = served
    client = Client(
        Config(
            access_key_id=key["AccessKeyId"],
            access_key_secret=key["AccessKeySecret"],
            endpoint=f"127.0.0.1:{server.port}",
            protocol="http",
            region_id="cn-hangzhou",
        )
    )
    local = LocalBackend(KeyPairStore(home))

    local.create_key_pair(CreateKeyPairRequest("cn-hangzhou", "written-here"))
    remote = client.describe_key_pairs(models.DescribeKeyPairsRequest(region_id="cn-hangzhou")).body

    assert [k.key_pair_name for k in remote.key_pairs.key_pair] == ["written-here"]
