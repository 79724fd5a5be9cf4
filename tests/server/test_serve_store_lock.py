"""serve while another process holds the store's lock (issue 8, item 7): a create answers 503
ServiceUnavailable naming the lock file; DescribeRegions and DescribeKeyPairs answer 200."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.engine_support import lock_held_elsewhere
from tests.server.serve_support import running_serve
from tests.server.signed_calls import signed_call

REGION = "cn-hangzhou"


def test_serve_answers_503_to_a_write_and_200_to_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", "0.5")
    home = tmp_path / "data"
    with running_serve(home) as serve, lock_held_elsewhere(home) as lock:
        status, body = signed_call(
            serve, "CreateKeyPair", {"RegionId": REGION, "KeyPairName": "blocked"}
        )
        assert (status, body["Code"]) == (503, "ServiceUnavailable")
        assert str(lock) in body["Message"]
        status, body = signed_call(serve, "DescribeRegions", {})
        assert status == 200 and body["Regions"]["Region"]
        status, body = signed_call(serve, "DescribeKeyPairs", {"RegionId": REGION})
        assert (status, body["TotalCount"]) == (200, 0)
