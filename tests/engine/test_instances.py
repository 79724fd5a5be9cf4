"""The local store's instances: RunInstances and its neighbours, statuses, the quota, paging."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.settings import ConfigError, instance_quota
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.store.store_paths import StoreError

from tests.support.engine import OTHER_REGION, REGION, api_error_of
from tests.support.instances import api, described, imported, run

INSTANCE_ID = re.compile(r"^i-[a-z0-9]{20}$")


def refused(backend: LocalBackend, action: str, **flat: str) -> tuple[str, int, str]:
    error = api_error_of(lambda: api(backend, action, **flat))
    return error.code, error.status, error.message


def test_run_instances_makes_running_instances_with_the_key_pair_bound(
    backend: LocalBackend,
) -> None:
    imported(backend, REGION, "web-1")
    ids = run(backend, REGION, 3, KeyPairName="web-1", InstanceName="web", ZoneId="ignored")

    assert len(ids) == len(set(ids)) == 3
    assert all(INSTANCE_ID.match(i) for i in ids)
    found = described(backend, REGION)
    assert set(found) == set(ids)
    item = found[ids[0]]
    assert {k: item[k] for k in ("InstanceName", "RegionId", "Status", "KeyPairName")} == {
        "InstanceName": "web",
        "RegionId": REGION,
        "Status": "Running",
        "KeyPairName": "web-1",
    }
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\dZ$", item["CreationTime"])
    assert described(backend, OTHER_REGION) == {}


def test_an_instance_without_a_name_is_named_by_its_id(backend: LocalBackend) -> None:
    [instance] = run(backend, REGION)
    assert described(backend, REGION)[instance]["InstanceName"] == instance
    assert described(backend, REGION)[instance]["KeyPairName"] == ""


@pytest.mark.parametrize(
    ("flat", "expected"),
    [
        ({"Amount": "0"}, ("InvalidAmount.ValueNotSupported", 400)),
        ({"Amount": "101"}, ("InvalidAmount.ValueNotSupported", 400)),
        ({"ImageId": ""}, ("MissingParameter", 400)),
        ({"ImageId": "img\x1b]52;c;x\x07"}, ("InvalidParameter", 400)),
        ({"InstanceType": "t\u202e"}, ("InvalidParameter", 400)),
        ({"ImageId": "m" * 129}, ("InvalidImageId.NotFound", 404)),
        ({"InstanceType": "ecs." + "g" * 61}, ("InvalidInstanceType.ValueNotSupported", 400)),
        ({"InstanceName": "1web"}, ("InvalidInstanceName.Malformed", 400)),
        ({"InstanceName": "web 1"}, ("InvalidInstanceName.Malformed", 400)),
        ({"KeyPairName": "nobody"}, ("InvalidKeyPairName.NotFound", 404)),
        ({"RegionId": "cn-nowhere"}, ("InvalidRegionId.NotFound", 404)),
    ],
)
def test_run_instances_refuses_what_the_cloud_refuses_and_makes_nothing(
    backend: LocalBackend, flat: dict[str, str], expected: tuple[str, int]
) -> None:
    request = {"RegionId": REGION, "ImageId": "img", "InstanceType": "t", **flat}
    assert refused(backend, "RunInstances", **request)[:2] == expected
    assert described(backend, REGION) == {}


def test_the_longest_image_id_and_instance_type_are_kept_as_given(
    backend: LocalBackend,
) -> None:
    image, kind = "m" * 128, "ecs." + "g" * 60
    [instance] = run(backend, REGION, ImageId=image, InstanceType=kind)
    item = described(backend, REGION)[instance]
    assert (item["ImageId"], item["InstanceType"]) == (image, kind)


def test_a_region_holds_at_most_its_quota_of_instances(home: Path) -> None:
    backend = LocalBackend(KeyPairStore(home, instances_quota=3))
    run(backend, REGION, 2)
    code, status, message = refused(
        backend, "RunInstances", RegionId=REGION, ImageId="i", InstanceType="t", Amount="2"
    )
    assert (code, status) == ("QuotaExceed.ElasticQuota", 403)
    assert message == "No additional quota is available for the specified ECS instance type."
    assert len(described(backend, REGION)) == 2
    run(backend, REGION, 1)
    run(backend, OTHER_REGION, 3)  # the quota is per region


def test_the_instance_quota_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECS_KEYPAIR_INSTANCE_QUOTA", raising=False)
    assert instance_quota() == 100
    monkeypatch.setenv("ECS_KEYPAIR_INSTANCE_QUOTA", "7")
    assert instance_quota() == 7
    monkeypatch.setenv("ECS_KEYPAIR_INSTANCE_QUOTA", "many")
    with pytest.raises(ConfigError, match="ECS_KEYPAIR_INSTANCE_QUOTA"):
        instance_quota()


def status(backend: LocalBackend, instance: str) -> str:
    return str(described(backend, REGION)[instance]["Status"])


def test_statuses_move_as_the_cloud_moves_them(backend: LocalBackend) -> None:
    [instance] = run(backend, REGION)
    wrong = ("IncorrectInstanceStatus", 403)
    message = "The current status of the resource does not support this operation."

    assert refused(backend, "StartInstance", InstanceId=instance) == (*wrong, message)
    api(backend, "StopInstance", InstanceId=instance)
    assert status(backend, instance) == "Stopped"
    assert refused(backend, "StopInstance", InstanceId=instance)[:2] == wrong
    assert refused(backend, "RebootInstance", InstanceId=instance)[:2] == wrong
    api(backend, "StartInstance", InstanceId=instance, RegionId=REGION)
    assert status(backend, instance) == "Running"
    api(backend, "RebootInstance", InstanceId=instance)
    assert status(backend, instance) == "Running"


def test_delete_instance_releases_a_stopped_one_or_with_force_a_running_one(
    backend: LocalBackend,
) -> None:
    stopped, running = run(backend, REGION, 2)
    api(backend, "StopInstance", InstanceId=stopped)

    assert refused(backend, "DeleteInstance", InstanceId=running)[:2] == (
        "IncorrectInstanceStatus",
        403,
    )
    api(backend, "DeleteInstance", InstanceId=stopped)
    api(backend, "DeleteInstance", InstanceId=running, Force="true")
    assert described(backend, REGION) == {}


@pytest.mark.parametrize(
    "action", ["StartInstance", "StopInstance", "RebootInstance", "DeleteInstance"]
)
def test_an_instance_that_is_not_there_is_not_found(backend: LocalBackend, action: str) -> None:
    [instance] = run(backend, REGION)
    expected = ("InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist.")
    assert refused(backend, action, InstanceId="i-nothere") == expected
    # an id is looked for in every region, unless a region is named
    assert refused(backend, action, InstanceId=instance, RegionId=OTHER_REGION) == expected


def test_not_found_names_the_region_it_was_looked_for_in(backend: LocalBackend) -> None:
    [instance] = run(backend, REGION)
    elsewhere = api_error_of(
        lambda: api(backend, "StopInstance", InstanceId=instance, RegionId=OTHER_REGION)
    )
    assert elsewhere.reason == f"there is no instance {instance!r} in {OTHER_REGION}"
    anywhere = api_error_of(lambda: api(backend, "StopInstance", InstanceId="i-nothere"))
    assert anywhere.reason == "there is no instance 'i-nothere'"


def test_describe_instances_filters(backend: LocalBackend) -> None:
    imported(backend, REGION, "web-1")
    imported(backend, REGION, "db-1")
    web = run(backend, REGION, 2, KeyPairName="web-1", InstanceName="web-node")
    [db] = run(backend, REGION, 1, KeyPairName="db-1", InstanceName="db-node")
    api(backend, "StopInstance", InstanceId=web[0])

    assert set(described(backend, REGION, KeyPairName="web-1")) == set(web)
    assert set(described(backend, REGION, Status="Stopped")) == {web[0]}
    assert set(described(backend, REGION, InstanceName="*-node")) == {*web, db}
    assert set(described(backend, REGION, InstanceName="db*")) == {db}
    ids = json.dumps([db, web[1], "i-gone"])
    assert set(described(backend, REGION, InstanceIds=ids)) == {db, web[1]}
    assert refused(backend, "DescribeInstances", RegionId=REGION, Status="Sleeping")[:2] == (
        "InvalidParameter",
        400,
    )


def test_describe_instances_pages_by_number(backend: LocalBackend) -> None:
    ids = run(backend, REGION, 5)
    body = api(backend, "DescribeInstances", RegionId=REGION, PageNumber="2", PageSize="2")
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (5, 2, 2)
    assert "NextToken" not in body
    assert len(body["Instances"]["Instance"]) == 2
    assert [item["InstanceId"] for item in body["Instances"]["Instance"]] == sorted_ids(
        backend, ids
    )[2:4]
    assert refused(backend, "DescribeInstances", RegionId=REGION, PageSize="101")[:2] == (
        "InvalidParameter",
        400,
    )


def sorted_ids(backend: LocalBackend, ids: list[str]) -> list[str]:
    """``ids`` in the order DescribeInstances lists them: by creation time, then id."""
    created = {i: item["CreationTime"] for i, item in described(backend, REGION).items()}
    return sorted(ids, key=lambda i: (created[i], i))


def test_describe_instances_pages_by_token_and_skips_nothing_still_there(
    backend: LocalBackend,
) -> None:
    ids = run(backend, REGION, 5)
    seen: list[str] = []
    body = api(backend, "DescribeInstances", RegionId=REGION, MaxResults="2")
    assert "TotalCount" not in body
    seen += [item["InstanceId"] for item in body["Instances"]["Instance"]]
    # the instance the token names is released between the pages
    api(backend, "DeleteInstance", InstanceId=seen[-1], Force="true")
    while "NextToken" in body:
        body = api(
            backend,
            "DescribeInstances",
            RegionId=REGION,
            MaxResults="2",
            NextToken=body["NextToken"],
        )
        seen += [item["InstanceId"] for item in body["Instances"]["Instance"]]
    assert sorted(seen) == sorted(ids)
    assert len(seen) == len(set(seen))
    code = refused(backend, "DescribeInstances", RegionId=REGION, NextToken="forged")[0]
    assert code == "InvalidNextToken"


def test_a_damaged_instance_file_is_refused_by_name(backend: LocalBackend, home: Path) -> None:
    run(backend, REGION)
    path = home / "instances" / f"{REGION}.json"
    path.write_text('{"not": "ours"}')
    with pytest.raises(StoreError) as caught:
        described(backend, REGION)
    assert str(path) in str(caught.value)
    assert path.read_text() == '{"not": "ours"}'


def test_a_store_without_instances_has_no_instances_folder(
    backend: LocalBackend, home: Path
) -> None:
    assert described(backend, REGION) == {}
    assert not (home / "instances").exists()


def test_an_instances_folder_that_is_a_link_is_refused(home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home.mkdir()
    (home / "instances").symlink_to(elsewhere)
    with pytest.raises(StoreError, match="symbolic link"):
        KeyPairStore(home)


def test_a_dry_run_checks_everything_and_changes_nothing(backend: LocalBackend) -> None:
    [running] = run(backend, REGION)
    before = described(backend, REGION)
    dry = ("DryRunOperation", 400, "Request validation has been passed with DryRun flag set.")
    assert refused(
        backend, "RunInstances", RegionId=REGION, ImageId="i", InstanceType="t", DryRun="true"
    ) == dry
    assert refused(backend, "StopInstance", InstanceId=running, DryRun="true") == dry
    assert refused(
        backend, "DeleteInstance", InstanceId=running, Force="true", DryRun="true"
    ) == dry
    assert refused(backend, "RebootInstance", InstanceId=running, DryRun="true") == dry
    assert refused(backend, "DescribeInstances", RegionId=REGION, DryRun="true") == dry
    assert described(backend, REGION) == before
    # a dry run that would fail fails as the call would
    assert refused(backend, "StartInstance", InstanceId=running, DryRun="true")[0] == (
        "IncorrectInstanceStatus"
    )
    assert refused(
        backend, "RunInstances", RegionId=REGION, ImageId="i", InstanceType="t", Amount="0",
        DryRun="true",
    )[0] == "InvalidAmount.ValueNotSupported"


def test_each_store_object_sees_the_changes_of_another(home: Path) -> None:
    """A region's records are kept per version of its file: another writer's version is read."""
    first, second = LocalBackend(KeyPairStore(home)), LocalBackend(KeyPairStore(home))
    [instance] = run(first, REGION)
    assert described(second, REGION)[instance]["Status"] == "Running"
    api(second, "StopInstance", InstanceId=instance, RegionId=REGION)
    assert described(first, REGION)[instance]["Status"] == "Stopped"
    api(first, "DeleteInstance", InstanceId=instance)
    assert described(second, REGION) == {}
