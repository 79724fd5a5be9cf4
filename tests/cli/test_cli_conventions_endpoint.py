"""The conventions with --endpoint, against a serve started by the test: the region from the
environment and from the profile, --pager over HTTP, --cli-dry-run that sends nothing."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import CreateKeyPairRequest

from tests.support.cli import REGION
from tests.support.serve import RunningServe, running_serve


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServe]:
    with running_serve(tmp_path_factory.mktemp("serve") / "data") as running:
        backend = running.backend()
        for n in range(1, 6):
            backend.create_key_pair(CreateKeyPairRequest("cn-beijing", f"remote-{n}"))
        yield running


@pytest.fixture
def on_serve(serve: RunningServe, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
    return f"http://{serve.endpoint}"


def names(body: dict) -> list[str]:
    return [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]]


def test_pager_on_an_endpoint(cli, on_serve: str, monkeypatch, home: Path) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "cn-beijing")
    body = cli("DescribeKeyPairs", "--PageSize", "2", "--pager", "--endpoint", on_serve).body
    assert names(body) == [f"remote-{n}" for n in range(1, 6)]
    # all of it came through serve: the data home holds only the endpoint's mirror
    assert sorted(path.name for path in home.iterdir()) == ["mirrors"]


def test_the_profile_gives_credentials_and_region(
    cli, serve: RunningServe, no_default_region: Path, monkeypatch
) -> None:
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", raising=False)
    config = no_default_region / ".aliyun" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"current": "default", "profiles": [
        {"name": "default", "mode": "AK", "access_key_id": "nobody", "access_key_secret": "x",
         "region_id": REGION},
        {"name": "serve", "mode": "AK", "access_key_id": serve.key.access_key_id,
         "access_key_secret": serve.key.secret, "region_id": "cn-beijing"},
    ]}))
    endpoint = f"http://{serve.endpoint}"
    listed = cli("DescribeKeyPairs", "--endpoint", endpoint, "--profile", "serve",
                 "--output", "cols=KeyPairName", "rows=KeyPairs.KeyPair[]", "num=true").out
    assert listed.splitlines()[:3] == ["Num | KeyPairName", "--- | -----------", "0   | remote-1"]


def test_dry_run_sends_nothing(cli, on_serve: str, serve: RunningServe) -> None:
    before = serve.backend().find_key_pairs("cn-beijing")
    body = cli("CreateKeyPair", "--KeyPairName", "never", "--region", "cn-beijing",
               "--endpoint", on_serve, "--cli-dry-run").body
    assert body == {
        "style": "RPC",
        "endpoint": on_serve,
        "method": "POST",
        "action": "CreateKeyPair",
        "version": "2014-05-26",
        "query": {"KeyPairName": "never", "RegionId": "cn-beijing"},
    }
    assert serve.backend().find_key_pairs("cn-beijing") == before


def test_dry_run_reads_the_endpoint_as_a_call_would(cli) -> None:
    error = cli("DescribeRegions", "--endpoint", "ftp://x", "--cli-dry-run").error
    assert error["Code"] == "InvalidParameter"


def test_next_token_pager_on_an_endpoint(cli, on_serve: str) -> None:
    for n in range(1, 6):
        cli("TagResources", "--RegionId", "cn-beijing", "--ResourceType", "keypair",
            "--ResourceId.1", f"remote-{n}", "--Tag.1.Key", "env", "--Tag.1.Value", "prod",
            "--endpoint", on_serve).ok()
    tagged = cli("ListTagResources", "--region", "cn-beijing", "--ResourceType", "keypair",
                 "--MaxResults", "2", "--pager", "--endpoint", on_serve,
                 "--cli-query", "TagResources.TagResource[].ResourceId").body
    assert sorted(tagged) == [f"remote-{n}" for n in range(1, 6)]


@pytest.mark.usefixtures("on_serve")  # its access key: the call is made, and refused
def test_an_error_of_an_endpoint_names_its_host(cli) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: every connection is refused
        port = closed.getsockname()[1]
        error = cli("DescribeKeyPairs", "--RegionId", "cn-beijing",
                    "--endpoint", f"http://127.0.0.1:{port}").error

    assert (error["Code"], error["HostId"]) == ("SDK.ServerUnreachable", f"127.0.0.1:{port}")


def test_an_endpoints_own_refusal_keeps_the_host_it_named(cli, on_serve: str) -> None:
    error = cli("CreateKeyPair", "--RegionId", "cn-beijing", "--KeyPairName", "remote-1",
                "--endpoint", on_serve).error

    assert (error["Code"], error["HostId"]) == (
        "KeyPair.AlreadyExist", "ecs.cn-beijing.aliyuncs.com"
    )
