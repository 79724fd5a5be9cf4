"""The cloud's regions are DescribeRegions' answer: kept in the data home per endpoints and
access key id, used for a day, then asked again; the list known before (then the built-in one)
when the endpoint cannot answer. Serve lists the built-in regions, so a region only the cloud
knows is written into the kept file."""

from __future__ import annotations

import json
import os
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.backends import open_backend
from ecs_keypair.contract.regions import REGIONS, Region

from tests.support.engine import PUBLIC_LINE
from tests.support.region_cache import DAY, NEW_REGION, kept_file, region_ids, rewrite
from tests.support.serve_process import ServeProcess, serves_sharing_a_key

BUILT_IN = [region.region_id for region in REGIONS]


@pytest.fixture
def serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[ServeProcess]]:
    """cn-hangzhou at one serve, every other region at another, the key in the environment."""
    homes = (tmp_path / "hangzhou", tmp_path / "rest")
    with serves_sharing_a_key(*homes) as (servers, key):
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key["AccessKeySecret"])
        monkeypatch.setenv("ECS_KEYPAIR_ENDPOINTS", json.dumps({
            "cn-hangzhou": f"http://127.0.0.1:{servers[0].port}",
            "*": f"http://127.0.0.1:{servers[1].port}",
        }))
        yield servers


@pytest.fixture
def secret(serves: list[ServeProcess]) -> str:
    """The access key's secret, which no kept file may hold."""
    return os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"]


def ids(regions: tuple[Region, ...]) -> list[str]:
    return [region.region_id for region in regions]


def test_the_answer_is_kept_a_day_then_asked_again(secret: str, home: Path) -> None:
    first = open_backend(cloud=True)
    assert ids(first.regions(refresh=False)) == BUILT_IN  # nothing asked yet, nothing kept
    assert ids(first.regions()) == BUILT_IN  # serve's DescribeRegions
    kept = kept_file(home)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    text = kept.read_text()
    assert secret not in text and "China (Hangzhou)" in text

    rewrite(kept, age=DAY - 60)  # kept a minute short of a day, with a region serve lacks
    within_a_day = open_backend(cloud=True)
    assert ids(within_a_day.regions(refresh=False))[-1] == NEW_REGION[0]
    assert ids(within_a_day.regions())[-1] == NEW_REGION[0]  # used, not asked again

    rewrite(kept, age=DAY + 60, extra=None)  # a day old: asked again, and kept anew
    a_day_later = open_backend(cloud=True)
    assert ids(a_day_later.regions(refresh=False))[-1] == NEW_REGION[0]  # known until asked
    assert ids(a_day_later.regions()) == BUILT_IN
    assert region_ids(kept) == BUILT_IN
    assert json.loads(kept.read_text())["FetchedAt"] > json.loads(text)["FetchedAt"] - 1


def test_another_access_key_or_endpoints_keep_a_list_of_their_own(
    secret: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_backend(cloud=True).regions()
    rewrite(kept_file(home))
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "another-key-id")
    assert ids(open_backend(cloud=True).regions(refresh=False)) == BUILT_IN
    assert len(list(kept_file(home).parent.iterdir())) == 1


def test_an_endpoint_that_cannot_answer_leaves_the_list_known(
    serves: list[ServeProcess], home: Path
) -> None:
    open_backend(cloud=True).regions()
    kept = kept_file(home)
    rewrite(kept, age=3 * DAY)
    for server in serves:
        server.stop(signal.SIGTERM)
    assert ids(open_backend(cloud=True).regions())[-1] == NEW_REGION[0]  # kept, of any age
    kept.unlink()
    assert ids(open_backend(cloud=True).regions()) == BUILT_IN  # never kept: the built-in list


def test_copy_to_all_calls_a_region_only_the_cloud_lists(cli, secret: str, home: Path) -> None:
    open_backend(cloud=True).regions()
    rewrite(kept_file(home))
    cli("ImportKeyPair", "--cloud", "--RegionId", "cn-hangzhou", "--KeyPairName", "laptop",
        "--PublicKeyBody", PUBLIC_LINE).ok()
    copied = cli("copy", "--cloud", "--KeyPairName", "laptop", "--RegionId", "cn-hangzhou",
                 "--to", "all")
    assert copied.status == 1  # one region refused
    regions = json.loads(copied.out)["Regions"]
    others = [region for region in BUILT_IN if region != "cn-hangzhou"]
    assert [entry["RegionId"] for entry in regions] == [*others, NEW_REGION[0]]
    assert {entry["Outcome"] for entry in regions[:-1]} == {"Imported"}
    # asked at its endpoint, which answers in its own words (serve knows no such region)
    assert regions[-1]["Outcome"] == "Failed"
    assert regions[-1]["Error"]["Code"] == "InvalidRegionId.NotFound"


def test_the_name_check_accepts_a_region_the_cloud_lists(secret: str, home: Path) -> None:
    open_backend(cloud=True).regions()
    rewrite(kept_file(home))
    cloud = open_backend(cloud=True)
    refused = cloud.check_name("xx-nowhere-1", "web-9")
    assert refused is not None and refused.reason == "there is no region 'xx-nowhere-1'"
    asked = cloud.check_name(NEW_REGION[0], "web-9")  # the rules pass it to the endpoint
    assert asked is not None and (asked.reason or "").startswith("cannot check with the endpoint")
