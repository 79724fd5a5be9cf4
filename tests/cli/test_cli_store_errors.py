"""A store or setting that cannot be used: the error body with InternalError, the file named,
the file left exactly as it was; and no traceback, whatever goes wrong."""

from __future__ import annotations

from pathlib import Path

import ecs_keypair.cli.request
import pytest

from tests.support.cli import REGION

GARBAGE = b'{"keypairs": {"1": {"KeyPairName": \x00 not json at all'


@pytest.fixture
def damaged(cli, home: Path) -> Path:
    """The region's store file, with garbage written over it after one create."""
    cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "before").ok()
    path = home / "keypairs" / f"{REGION}.json"
    path.write_bytes(GARBAGE)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "after"),
        ("DescribeKeyPairs", "--RegionId", REGION),
        ("DeleteKeyPairs", "--RegionId", REGION, "--KeyPairNames", '["before"]'),
    ],
)
def test_damaged_store_file(cli, damaged: Path, args) -> None:
    error = cli(*args).error
    assert (error["Code"], error["HttpStatusCode"]) == ("InternalError", 500)
    assert str(damaged) in error["Message"]
    assert error["HostId"] == "ecs.cn-hangzhou.aliyuncs.com"
    assert damaged.read_bytes() == GARBAGE
    assert [p.name for p in damaged.parent.iterdir()] == [damaged.name]


def test_other_regions_still_work(cli, damaged: Path) -> None:
    assert cli("CreateKeyPair", "--RegionId", "cn-beijing", "--KeyPairName", "ok").status == 0
    assert damaged.read_bytes() == GARBAGE


def test_damaged_resource_groups_file(cli, home: Path) -> None:
    cli("ListResourceGroups").ok()
    path = home / "resource-groups.json"
    path.write_bytes(b"[]")
    for args in (
        ("ListResourceGroups",),
        ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1"),
    ):
        error = cli(*args).error
        assert (error["Code"], error["HttpStatusCode"]) == ("InternalError", 500)
        assert str(path) in error["Message"]
    assert path.read_bytes() == b"[]"


def test_data_home_that_cannot_be_created(cli, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ECS_KEYPAIR_HOME", str(blocker / "data"))
    error = cli("DescribeKeyPairs", "--RegionId", REGION).error
    assert (error["Code"], error["HttpStatusCode"]) == ("InternalError", 500)
    assert str(blocker / "data") in error["Message"]


def test_bad_quota_setting(cli, monkeypatch) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_QUOTA", "lots")
    error = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1").error
    assert (error["Code"], error["HttpStatusCode"]) == ("InternalError", 500)
    assert "ECS_KEYPAIR_QUOTA='lots'" in error["Message"]


def _raise(exception: BaseException):
    def make_service():
        raise exception

    return make_service


def test_an_unexpected_failure_is_still_an_error_body(cli, monkeypatch) -> None:
    """A bug cannot be made to happen for real; stand one in for the backend."""
    monkeypatch.setattr(ecs_keypair.cli.request, "open_backend", _raise(RuntimeError("boom")))
    error = cli("DescribeKeyPairs", "--RegionId", REGION).error
    assert (error["Code"], error["HttpStatusCode"]) == ("InternalError", 500)
    assert error["Message"] == (
        "The request processing has failed due to some unknown error. (RuntimeError)"
    )


def test_interrupted(cli, monkeypatch) -> None:
    """Ctrl-C while a call runs: exit 130, nothing printed."""
    monkeypatch.setattr(ecs_keypair.cli.request, "open_backend", _raise(KeyboardInterrupt()))
    outcome = cli("DescribeKeyPairs", "--RegionId", REGION)
    assert (outcome.status, outcome.out, outcome.err) == (130, "", "")
