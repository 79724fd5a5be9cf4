"""The instance commands on the command line: usage errors, the region an instance call takes
or leaves out, --pager over DescribeInstances."""

from __future__ import annotations

import pytest

from tests.support.cli import REGION


def run(cli, *args: str) -> list[str]:
    body = cli(
        "RunInstances", "--RegionId", REGION, "--ImageId", "img", "--InstanceType", "t", *args
    ).body
    ids: list[str] = body["InstanceIdSets"]["InstanceIdSet"]
    return ids


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--RegionId", REGION, "--InstanceType", "t"), "missing required parameter --ImageId"),
        (
            ("--RegionId", REGION, "--ImageId", "i", "--InstanceType", "t", "--Amount", "two"),
            "--Amount must be a whole number",
        ),
        (
            ("--RegionId", REGION, "--ImageId", "i", "--InstanceType", "t", "--Zone", "z"),
            "unknown option --Zone",
        ),
    ],
)
def test_usage_errors_call_nothing(cli, args: tuple[str, ...], said: str) -> None:
    outcome = cli("RunInstances", *args)
    assert outcome.status == 2
    assert said in outcome.err
    assert cli("DescribeInstances", "--RegionId", REGION).body["TotalCount"] == 0


def test_an_instance_call_needs_no_region_and_uses_one_given(cli, monkeypatch) -> None:
    [instance] = run(cli)
    assert cli("StopInstance", "--InstanceId", instance).status == 0
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "cn-beijing")  # looks there only
    assert cli("StartInstance", "--InstanceId", instance).error["Code"] == (
        "InvalidInstanceId.NotFound"
    )
    assert cli("StartInstance", "--InstanceId", instance, "--region", REGION).status == 0
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID")
    outcome = cli("DescribeInstances")
    assert outcome.status == 2 and "missing required parameter --RegionId" in outcome.err


def test_pager_merges_every_page(cli) -> None:
    ids = run(cli, "--Amount", "12")
    body = cli("DescribeInstances", "--RegionId", REGION, "--PageSize", "5", "--pager").body
    assert sorted(item["InstanceId"] for item in body["Instances"]["Instance"]) == sorted(ids)
