"""The multi-region workflows' calls: at most eight regions at once on a backend whose calls
wait on the network, one after another on the local store; answers in the regions' order."""

from __future__ import annotations

import threading

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import StaticAKCredentialsProvider
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.remote.endpoints import Routes
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.workflows.each_region import MAX_AT_ONCE, each_region

WAIT_LIMIT = 30.0  # seconds: a bound on waiting for the other calls, never a speed check
REGION_IDS = [region.region_id for region in REGIONS]


def remote() -> RemoteBackend:
    """A backend on an endpoint (never called here: each_region reads only is_local)."""
    provider = StaticAKCredentialsProvider(access_key_id="id", access_key_secret="secret")
    return RemoteBackend(Routes.one("http://127.0.0.1:9"), CredentialClient(provider=provider))


def test_regions_on_an_endpoint_are_called_eight_at_a_time_in_order() -> None:
    together = threading.Barrier(MAX_AT_ONCE, timeout=WAIT_LIMIT)  # breaks if fewer at once
    lock = threading.Lock()
    running: list[int] = [0, 0]  # now, most at once

    def call(region: str) -> str:
        with lock:
            running[0] += 1
            running[1] = max(running)
        together.wait()
        with lock:
            running[0] -= 1
        return region.upper()

    regions = REGION_IDS[: 2 * MAX_AT_ONCE]
    assert each_region(remote(), regions, call) == [region.upper() for region in regions]
    assert running[1] == MAX_AT_ONCE


def test_a_failure_is_raised_for_the_first_region_that_failed() -> None:
    def call(region: str) -> str:
        if region in ("cn-beijing", "cn-hangzhou"):
            raise LookupError(region)
        return region

    with pytest.raises(LookupError, match="^cn-beijing$"):
        each_region(remote(), REGION_IDS, call)


def test_the_local_store_is_called_in_order_on_the_callers_thread(backend: LocalBackend) -> None:
    seen: list[tuple[str, threading.Thread]] = []

    def call(region: str) -> int:
        seen.append((region, threading.current_thread()))
        return len(seen)

    assert each_region(backend, REGION_IDS, call) == list(range(1, len(REGION_IDS) + 1))
    assert seen == [(region, threading.current_thread()) for region in REGION_IDS]
