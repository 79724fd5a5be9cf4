"""The instance commands with ``--endpoint``, against a serve started by the test: each answer
comes back through the official SDK (RemoteBackend) as the local store gives it."""

from __future__ import annotations

import json

import pytest

from tests.support.instances import imported, run
from tests.support.serve import RunningServe

REGION = "cn-shenzhen"


@pytest.fixture
def endpoint(serve: RunningServe, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
    return f"http://{serve.endpoint}"


def test_every_instance_command_through_an_endpoint(
    cli, endpoint: str, serve: RunningServe
) -> None:
    imported(serve.backend(), REGION, "remote-old")
    line = imported(serve.backend(), REGION, "remote-new")

    def call(*args: str) -> dict:
        outcome = cli(*args, "--endpoint", endpoint)
        assert outcome.status == 0, outcome.err
        answer: dict = outcome.body
        return answer

    ids = call(
        "RunInstances",
        "--RegionId",
        REGION,
        "--ImageId",
        "img",
        "--InstanceType",
        "t",
        "--KeyPairName",
        "remote-old",
        "--Amount",
        "3",
    )["InstanceIdSets"]["InstanceIdSet"]
    attached = call(
        "AttachKeyPair",
        "--RegionId",
        REGION,
        "--KeyPairName",
        "remote-new",
        "--InstanceIds",
        json.dumps([ids[0], "i-gone"]),
    )
    assert (attached["TotalCount"], attached["FailCount"]) == (2, 1)
    assert [r["Success"] for r in attached["Results"]["Result"]] == [True, False]
    call("RebootInstance", "--InstanceId", ids[0])
    call("StopInstance", "--InstanceId", ids[1])
    call("StartInstance", "--InstanceId", ids[1])
    call("DeleteInstance", "--InstanceId", ids[2], "--Force", "true")
    assert serve.backend().store.instances.key_in_effect(REGION, ids[0]) == line

    first = call("DescribeInstances", "--RegionId", REGION, "--MaxResults", "1")
    assert "NextToken" in first and "TotalCount" not in first
    paged = call("DescribeInstances", "--RegionId", REGION, "--PageSize", "1")
    assert (paged["TotalCount"], paged["PageSize"]) == (2, 1)
    listed = call("DescribeInstances", "--RegionId", REGION, "--KeyPairName", "remote-new")
    [item] = listed["Instances"]["Instance"]
    assert (item["InstanceId"], item["Status"], item["KeyPairName"]) == (
        ids[0],
        "Running",
        "remote-new",
    )
    call(
        "DetachKeyPair",
        "--RegionId",
        REGION,
        "--KeyPairName",
        "remote-new",
        "--InstanceIds",
        json.dumps([ids[0]]),
    )
    refused = cli(
        "DeleteKeyPairs",
        "--RegionId",
        REGION,
        "--KeyPairNames",
        '["remote-old"]',
        "--endpoint",
        endpoint,
    )
    assert refused.status == 1
    assert refused.error["Code"] == "InvalidParameter.KeypairAlreadyAttachedInstance"


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("StopInstance", ()),
        ("RebootInstance", ()),
        ("DeleteInstance", ("--Force", "true")),
        ("StartInstance", ()),
    ],
)
def test_a_region_given_is_the_only_one_looked_in_as_on_the_local_store(
    cli, endpoint: str, serve: RunningServe, action: str, extra: tuple[str, ...]
) -> None:
    [instance] = run(serve.backend(), REGION)
    other = "cn-beijing"
    args = (action, "--InstanceId", instance, "--RegionId", other, *extra)
    remote = cli(*args, "--endpoint", endpoint)
    local = cli(*args)
    assert (remote.error["Code"], remote.reason) == (local.error["Code"], local.reason)
    assert remote.error["Code"] == "InvalidInstanceId.NotFound"
    assert f"there is no instance {instance!r} in {other}" in remote.reason
    stored = {r.instance_id: r.status for r in serve.backend().store.instances.instances(REGION)}
    assert stored[instance] == "Running", "the instance in another region is left alone"
