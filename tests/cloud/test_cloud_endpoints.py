"""Cloud mode (--cloud, or --profile without --endpoint): each region's calls go to the endpoint
the official SDK resolves for it, unless ECS_KEYPAIR_ENDPOINTS names another; a bad value of
the variable or --cloud with --endpoint is a usage error. Nothing here reaches the network: the
dry run and the backend's clients say where a call would go."""

from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.models import Config
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.remote.backend import RemoteBackend

ENDPOINTS = "ECS_KEYPAIR_ENDPOINTS"


def resolved_by_the_sdk(region_id: str) -> str:
    """The host the official SDK's ECS client resolves for the region when given none."""
    return Client(Config(region_id=region_id, access_key_id="id", access_key_secret="s"))._endpoint


@pytest.fixture
def environment_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    monkeypatch.delenv(ENDPOINTS, raising=False)


def dry_run_endpoint(cli, region_id: str, *target: str) -> str:
    body = cli("DescribeKeyPairs", "--RegionId", region_id, "--cli-dry-run", *target).body
    assert body["query"]["RegionId"] == region_id
    return body["endpoint"]


@pytest.mark.usefixtures("environment_credentials")
def test_every_listed_region_goes_where_the_sdk_sends_it(cli) -> None:
    backend = RemoteBackend.connect_cloud()
    for region in REGIONS:
        expected = resolved_by_the_sdk(region.region_id)
        assert dry_run_endpoint(cli, region.region_id, "--cloud") == f"https://{expected}"
        client, endpoint = backend._client(region.region_id)  # the client the call would use
        assert (client._endpoint, client._protocol, endpoint.host) == (expected, "https", expected)
    # not one host for all: the SDK's map and its regional rule both show
    hosts = {resolved_by_the_sdk(region.region_id) for region in REGIONS}
    assert len(hosts) == len(REGIONS)


@pytest.mark.usefixtures("environment_credentials")
def test_a_profile_without_an_endpoint_means_the_cloud(cli) -> None:
    assert dry_run_endpoint(cli, "cn-beijing", "--profile", "work") == (
        f"https://{resolved_by_the_sdk('cn-beijing')}"
    )
    # a call without a region goes to the default region's endpoint
    body = cli("DescribeRegions", "--cloud", "--cli-dry-run").body
    assert body["endpoint"] == f"https://{resolved_by_the_sdk('cn-hangzhou')}"


@pytest.mark.usefixtures("environment_credentials")
def test_the_variable_decides_the_endpoints_on_the_cloud(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENDPOINTS, json.dumps(
        {"cn-hangzhou": "http://127.0.0.1:9001", "ap-southeast-2": "ecs.private.test"}
    ))
    assert dry_run_endpoint(cli, "cn-hangzhou", "--cloud") == "http://127.0.0.1:9001"
    assert dry_run_endpoint(cli, "ap-southeast-2", "--cloud") == "https://ecs.private.test"
    # a region with no entry and no "*": the SDK's endpoint
    assert dry_run_endpoint(cli, "cn-beijing", "--cloud") == (
        f"https://{resolved_by_the_sdk('cn-beijing')}"
    )
    monkeypatch.setenv(ENDPOINTS, '{"cn-hangzhou": "http://127.0.0.1:9001", '
                                  '"*": "http://127.0.0.1:9002"}')
    assert dry_run_endpoint(cli, "cn-beijing", "--cloud") == "http://127.0.0.1:9002"
    # --endpoint keeps its meaning: one endpoint for every region, the variable not read
    assert dry_run_endpoint(cli, "cn-hangzhou", "--endpoint", "http://127.0.0.1:9003") == (
        "http://127.0.0.1:9003"
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("{not json", "is not JSON"),
        ('["cn-hangzhou"]', "must be a JSON object"),
        ('{"cn-hangzhou": 8080}', "the endpoint of cn-hangzhou must be a string, not 8080"),
        ('{"*": "ftp://x/y"}', "the endpoint of *, 'ftp://x/y', is not a host"),
        ('{"cn hangzhou/x": "http://127.0.0.1:1"}', "'cn hangzhou/x' is neither a region id"),
        ('{"\\u001b]52;c;x\\u0007": "h"}', "'\\x1b]52;c;x\\x07' is neither a region id"),
    ],
)
@pytest.mark.parametrize(
    "line",
    [
        ("DescribeKeyPairs", "--RegionId", "cn-hangzhou", "--cloud"),
        ("DescribeKeyPairs", "--RegionId", "cn-hangzhou", "--profile", "work"),
        ("keygen", "--KeyPairName", "k", "--RegionId", "cn-hangzhou", "--save", "k", "--cloud"),
        ("--cloud",),  # the app: stopped before it looks for a terminal
    ],
    ids=["command", "profile", "keygen", "app"],
)
@pytest.mark.usefixtures("environment_credentials")
def test_a_bad_variable_is_one_line_and_exit_2(
    cli, monkeypatch: pytest.MonkeyPatch, value: str, why: str, line: tuple[str, ...]
) -> None:
    monkeypatch.setenv(ENDPOINTS, value)
    message = cli(*line).usage
    assert message.startswith("ecs-keypair: ECS_KEYPAIR_ENDPOINTS: ") and message.count("\n") == 1
    assert why in message


@pytest.mark.usefixtures("environment_credentials")
def test_a_bad_variable_is_not_read_off_the_cloud(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENDPOINTS, "{not json")
    assert cli("DescribeKeyPairs", "--RegionId", "cn-hangzhou").body["TotalCount"] == 0


def test_cloud_and_endpoint_together_are_a_usage_error(cli) -> None:
    first, pointer = cli("DescribeRegions", "--cloud", "--endpoint", "x").usage.splitlines()
    assert "--cloud calls each region at its own endpoint" in first and "give one" in first
    assert pointer == "Try 'ecs-keypair --help'."
    assert "--cloud takes no value" in cli("DescribeRegions", "--cloud=yes").usage
    assert "more than once" in cli("DescribeRegions", "--cloud", "--cloud").usage


def test_the_label_names_the_cloud_and_whose_credentials(
    no_default_region, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)
    config = no_default_region / ".aliyun" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"current": "home", "profiles": [
        {"name": "home", "mode": "AK", "access_key_id": "a", "access_key_secret": "b"},
        {"name": "work", "mode": "AK", "access_key_id": "c", "access_key_secret": "d"},
    ]}))
    assert RemoteBackend.connect_cloud("work").backend_label == "Alibaba Cloud · work"
    assert RemoteBackend.connect_cloud().backend_label == "Alibaba Cloud · home"
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    assert RemoteBackend.connect_cloud().backend_label == "Alibaba Cloud · environment"
