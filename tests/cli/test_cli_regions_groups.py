"""DescribeRegions, CreateResourceGroup and ListResourceGroups from the command line."""

from __future__ import annotations

import re

from ecs_keypair.contract.regions import REGIONS


def test_describe_regions(cli) -> None:
    body = cli("DescribeRegions").body
    assert list(body) == ["RequestId", "Regions"]
    regions = body["Regions"]["Region"]
    assert [r["RegionId"] for r in regions] == [region.region_id for region in REGIONS]
    hangzhou = next(r for r in regions if r["RegionId"] == "cn-hangzhou")
    assert hangzhou == {
        "RegionId": "cn-hangzhou",
        "LocalName": "China (Hangzhou)",
        "RegionEndpoint": "ecs.cn-hangzhou.aliyuncs.com",
    }


def test_the_default_group_exists_from_the_start(cli) -> None:
    body = cli("ListResourceGroups").body
    assert list(body) == ["RequestId", "PageNumber", "PageSize", "TotalCount", "ResourceGroups"]
    (group,) = body["ResourceGroups"]["ResourceGroup"]
    assert (group["Name"], group["DisplayName"]) == ("default", "Default Resource Group")
    assert re.fullmatch(r"rg-[a-z0-9]{15}", group["Id"])


def test_create_and_list_groups(cli) -> None:
    created = cli("CreateResourceGroup", "--Name", "web", "--DisplayName", "Web servers").body
    group = created["ResourceGroup"]
    assert (group["Name"], group["DisplayName"], group["Status"]) == ("web", "Web servers", "OK")
    cli("CreateResourceGroup", "--Name=db", "--DisplayName=Databases").ok()
    body = cli("ListResourceGroups").body
    assert [g["Name"] for g in body["ResourceGroups"]["ResourceGroup"]] == ["default", "web", "db"]
    assert group in body["ResourceGroups"]["ResourceGroup"]
    page = cli("ListResourceGroups", "--PageNumber", "2", "--PageSize", "2").body
    assert [g["Name"] for g in page["ResourceGroups"]["ResourceGroup"]] == ["db"]
    assert page["TotalCount"] == 3


def test_group_name_taken(cli) -> None:
    cli("CreateResourceGroup", "--Name", "web", "--DisplayName", "Web").ok()
    error = cli("CreateResourceGroup", "--Name", "web", "--DisplayName", "Other").error
    assert (error["Code"], error["HttpStatusCode"]) == ("EntityAlreadyExists.ResourceGroup", 409)
    assert error["HostId"] == "ecs.aliyuncs.com"


def test_group_name_rules(cli) -> None:
    error = cli("CreateResourceGroup", "--Name", "9lives", "--DisplayName", "Cats").error
    assert (error["Code"], error["HttpStatusCode"]) == ("InvalidParameter", 400)


def test_group_parameters_are_required(cli) -> None:
    message = cli("CreateResourceGroup").usage
    assert "missing required parameters --Name, --DisplayName" in message


def test_group_paging_bounds(cli) -> None:
    assert cli("ListResourceGroups", "--PageSize", "100").status == 0
    error = cli("ListResourceGroups", "--PageSize", "101").error
    assert (error["Code"], error["HttpStatusCode"]) == ("InvalidParameter", 400)
