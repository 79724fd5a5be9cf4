"""``ecs-keypair sync``: the mirror refreshed on demand, as a real process on a real ``serve``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.contract.regions import REGIONS

from tests.support.cli import Outcome
from tests.support.serve import RunningServe, running_serve
from tests.support.serve_process import cli_on
from tests.support.tools import run_cli

REGION = "cn-hangzhou"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[RunningServe]:
    with running_serve(tmp_path / "served") as serve:
        serve.backend().create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
        serve.backend().create_key_pair(CreateKeyPairRequest(REGION, "web-2"))
        serve.backend().create_key_pair(CreateKeyPairRequest("cn-qingdao", "db-1"))
        yield serve


def sync(serve: RunningServe, tmp_path: Path, *args: str) -> Outcome:
    key = {"AccessKeyId": serve.key.access_key_id, "AccessKeySecret": serve.key.secret}
    return cli_on(serve.port, key, tmp_path, "sync", *args)


def mirrored(tmp_path: Path, region_id: str) -> list[str]:
    """The names in the mirror the command line keeps (in its data home, ``elsewhere``)."""
    [path] = (tmp_path / "elsewhere" / "mirrors").glob(f"*/{region_id}.json")
    tables = json.loads(path.read_text())
    return sorted(row["KeyPairName"] for row in tables["keypairs"].values())


def test_sync_lists_the_regions_into_the_mirror_with_a_line_per_region(
    served: RunningServe, tmp_path: Path
) -> None:
    done = sync(served, tmp_path, "--RegionId", f"{REGION},cn-qingdao,cn-beijing")

    assert done.status == 0
    assert json.loads(done.out) == {
        "Endpoint": f"endpoint 127.0.0.1:{served.port}",
        "Regions": [
            {"RegionId": REGION, "Outcome": "Synced", "KeyPairs": 2},
            {"RegionId": "cn-qingdao", "Outcome": "Synced", "KeyPairs": 1},
            {"RegionId": "cn-beijing", "Outcome": "Synced", "KeyPairs": 0},
        ],
        "Synced": 3,
        "Failed": 0,
    }
    # the regions are asked at once: each line comes as its region answers
    assert sorted(done.err.splitlines()) == sorted(
        [f"{REGION}: 2 key pairs", "cn-qingdao: 1 key pair", "cn-beijing: 0 key pairs"]
    )
    assert mirrored(tmp_path, REGION) == ["web-1", "web-2"]
    assert mirrored(tmp_path, "cn-qingdao") == ["db-1"]


def test_sync_of_every_region_is_the_default(served: RunningServe, tmp_path: Path) -> None:
    done = sync(served, tmp_path)

    assert done.status == 0
    assert [entry["RegionId"] for entry in json.loads(done.out)["Regions"]] == [
        region.region_id for region in REGIONS
    ]
    assert len(done.err.splitlines()) == len(REGIONS)


def test_a_region_that_fails_is_reported_and_the_exit_status_says_so(
    served: RunningServe, tmp_path: Path
) -> None:
    done = sync(served, tmp_path, "--RegionId", f"{REGION},mars-1")

    body = json.loads(done.out)
    assert done.status == 1
    assert (body["Synced"], body["Failed"]) == (1, 1)
    failed = body["Regions"][1]
    assert (failed["RegionId"], failed["Outcome"]) == ("mars-1", "Failed")
    assert failed["Error"]["Code"] == "InvalidRegionId.NotFound"
    said = {line.split(": ")[0]: line for line in done.err.splitlines()}
    assert said["mars-1"].startswith("mars-1: failed: InvalidRegionId.NotFound: ")


def test_sync_with_the_endpoint_down_fails_every_region_and_keeps_the_mirror(
    tmp_path: Path,
) -> None:
    with running_serve(tmp_path / "served") as serve:
        serve.backend().create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
        assert sync(serve, tmp_path, "--RegionId", REGION).status == 0

    done = sync(serve, tmp_path, "--RegionId", f"{REGION},cn-qingdao")

    body = json.loads(done.out)
    assert done.status == 1
    assert (body["Synced"], body["Failed"]) == (0, 2)
    assert {entry["Error"]["Code"] for entry in body["Regions"]} == {"SDK.ServerUnreachable"}
    assert sorted(line.split(": failed: ")[0] for line in done.err.splitlines()) == sorted(
        [REGION, "cn-qingdao"]
    )
    assert mirrored(tmp_path, REGION) == ["web-1"]  # what it knew is kept


def test_sync_needs_an_endpoint(home: Path) -> None:
    refused = run_cli(home, "sync", "--RegionId", REGION)

    assert "sync refreshes the mirror of an endpoint's key pairs: give --endpoint or --cloud" in (
        refused.usage
    )
    assert not home.exists()


def test_sync_takes_the_output_options_and_has_its_help(
    served: RunningServe, tmp_path: Path, home: Path
) -> None:
    counted = sync(served, tmp_path, "--RegionId", REGION, "--cli-query", "Regions[0].KeyPairs")
    helped = run_cli(home, "sync", "--help")

    assert (counted.status, counted.out.strip()) == (0, "2")
    assert helped.out.startswith("Usage: ecs-keypair sync [--RegionId R1[,R2,…|all]] (--endpoint")
    assert "sync [--RegionId" in run_cli(home, "--help").out


def _bad_json(path: Path, elsewhere: Path) -> None:
    path.write_text('{"keypairs": ')


def _fifo(path: Path, elsewhere: Path) -> None:
    os.mkfifo(path, 0o600)


def _link(path: Path, elsewhere: Path) -> None:
    path.symlink_to(elsewhere)


@pytest.mark.parametrize("damage", [_bad_json, _fifo, _link], ids=["json", "fifo", "link"])
def test_sync_replaces_a_damaged_mirror_file_and_says_so(
    served: RunningServe, tmp_path: Path, damage: Callable[[Path, Path], None]
) -> None:
    assert sync(served, tmp_path, "--RegionId", REGION).status == 0
    [path] = (tmp_path / "elsewhere" / "mirrors").glob(f"*/{REGION}.json")
    elsewhere = tmp_path / "not-the-mirror.json"
    elsewhere.write_text("kept as it is")
    path.unlink()
    damage(path, elsewhere)

    done = sync(served, tmp_path, "--RegionId", REGION)

    assert done.status == 0, done.err
    [replaced, synced] = done.err.splitlines()
    assert replaced.startswith(f"{REGION}: the mirror file {path} ") and "was replaced" in replaced
    assert synced == f"{REGION}: 2 key pairs"
    assert path.is_file() and not path.is_symlink()
    assert mirrored(tmp_path, REGION) == ["web-1", "web-2"]
    assert elsewhere.read_text() == "kept as it is"  # the link was never followed
