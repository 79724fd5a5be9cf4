"""Another process holds the store's lock (issue 8, item 7): a write answers 503
ServiceUnavailable naming the lock file, exit 1, within the configured wait; reads still answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import REGION
from tests.support.engine import lock_held_elsewhere


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "0.5")


def test_a_write_fails_with_503_naming_the_lock_file_and_reads_answer(cli, home: Path) -> None:
    with lock_held_elsewhere(home) as lock:
        error = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "blocked").error
        assert (error["Code"], error["HttpStatusCode"]) == ("ServiceUnavailable", 503)
        assert str(lock) in error["Message"]
        assert cli("DescribeKeyPairs", "--RegionId", REGION).body["TotalCount"] == 0
        assert cli("DescribeRegions").body["Regions"]["Region"]
    assert cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "after").body


def test_a_bad_lock_timeout_is_refused_before_anything_is_read(cli, monkeypatch) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "forever")
    error = cli("DescribeRegions").error
    assert (error["Code"], error["HttpStatusCode"]) == ("InternalError", 500)
    assert "ECS_KEYPAIR_LOCK_TIMEOUT='forever'" in error["Message"]
