"""DescribeKeyPairs through the official SDK against ``serve``, against the same calls in-process.

With 15,000 key pairs stored (27 regions, ``ECS_KEYPAIR_QUOTA`` raised to 600), several client
processes at once each call DescribeKeyPairs (PageSize 50, regions in turn): once through the SDK
against ``ecs-keypair serve`` (a separate process, every request signed and verified), once on
the engine in the client process itself. Both series use the same number of processes and calls,
alternating in rounds so that load on the machine hits both alike. It prints throughput and
latency (median, p99) of each and the ratios: the cost of the HTTP layer.

Usage: python3 bench/bench_serve.py [--clients 4] [--calls 300] [--rounds 2] [--signature v2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.synchronize
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from _common import Summary, fill_store, start_server, temporary_home
from ecs_keypair.contract.api_requests import DescribeKeyPairsRequest
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.server.access_keys import AccessKeyStore
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.settings import key_pair_quota
from ecs_keypair.store.store import KeyPairStore

PAGE_SIZE = 50
WARM_UP_CALLS = 2 * len(REGIONS)  # every region file read once before timing
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Target:
    """Where a worker sends its calls: ``port`` None means the engine in the worker itself."""

    home: str
    port: int | None = None
    key_id: str = ""
    secret: str = ""
    signature: str | None = None


def _caller(target: Target):
    """One DescribeKeyPairs call for region ``n`` (mod 27), as the target takes it."""
    if target.port is None:
        backend = LocalBackend(KeyPairStore(Path(target.home), key_pair_quota()))
        return lambda n: backend.describe_key_pairs(
            DescribeKeyPairsRequest(REGIONS[n % len(REGIONS)].region_id, page_size=PAGE_SIZE)
        ).body()
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config

    config = Config(
        access_key_id=target.key_id,
        access_key_secret=target.secret,
        endpoint=f"127.0.0.1:{target.port}",
        protocol="http",
        region_id="cn-hangzhou",
    )
    if target.signature:
        config.signature_algorithm = target.signature
    client = Client(config)
    return lambda n: client.describe_key_pairs(
        models.DescribeKeyPairsRequest(
            region_id=REGIONS[n % len(REGIONS)].region_id, page_size=PAGE_SIZE
        )
    )


_barrier: multiprocessing.synchronize.Barrier | None = None


def _init(barrier: multiprocessing.synchronize.Barrier) -> None:
    global _barrier
    _barrier = barrier


def _worker(target: Target, calls: int, offset: int) -> tuple[list[float], float, float]:
    call = _caller(target)
    for n in range(WARM_UP_CALLS):
        call(offset + n)
    assert _barrier is not None, "the pool's initializer sets it"
    _barrier.wait()
    latencies = []
    started = time.monotonic()
    for n in range(calls):
        before = time.perf_counter()
        call(offset + n)
        latencies.append(time.perf_counter() - before)
    return latencies, started, time.monotonic()


def run_series(target: Target, clients: int, calls: int) -> tuple[list[float], float]:
    """Latencies of every call, and the throughput (calls per second) of all clients together."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients)
    with ProcessPoolExecutor(
        clients, mp_context=context, initializer=_init, initargs=(barrier,)
    ) as pool:
        results = list(
            pool.map(_worker, [target] * clients, [calls] * clients, range(0, 1000 * clients, 1000))
        )
    latencies = [latency for result in results for latency in result[0]]
    elapsed = max(r[2] for r in results) - min(r[1] for r in results)
    return latencies, len(latencies) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4, help="client processes at once")
    parser.add_argument("--calls", type=int, default=300, help="timed calls per client per round")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each series")
    parser.add_argument("--signature", choices=["v2"], help="sign with v2 instead of ACS3")
    arguments = parser.parse_args()
    with temporary_home() as home:
        store = KeyPairStore(home, key_pair_quota())
        per_region = fill_store(store)
        key = AccessKeyStore(home).create()
        print(
            f"store: {sum(per_region.values()):,} key pairs in {len(per_region)} regions"
            f" (quota {store.quota}); {arguments.clients} client processes x {arguments.calls}"
            f" DescribeKeyPairs (PageSize {PAGE_SIZE}) per round, {arguments.rounds} rounds;"
            f" signature {arguments.signature or 'ACS3-HMAC-SHA256'}; {os.cpu_count()} CPUs\n"
        )
        process, port = start_server(
            [sys.executable, "-m", "ecs_keypair", "serve", "--port", "0"],
            {"ECS_KEYPAIR_HOME": str(home)},
        )
        try:
            engine = Target(str(home))
            served = Target(str(home), port, key.access_key_id, key.secret, arguments.signature)
            samples: dict[str, list[float]] = {"engine": [], "serve": []}
            rates: dict[str, list[float]] = {"engine": [], "serve": []}
            for _ in range(arguments.rounds):
                for label, target in (("engine", engine), ("serve", served)):
                    latencies, rate = run_series(target, arguments.clients, arguments.calls)
                    samples[label].extend(latencies)
                    rates[label].append(rate)
        finally:
            process.terminate()
            process.wait(timeout=START_TIMEOUT)
    summaries = {label: Summary.of(values) for label, values in samples.items()}
    throughput = {label: sum(values) / len(values) for label, values in rates.items()}
    print(summaries["engine"].line("in-process engine (per call)"))
    print(summaries["serve"].line("SDK -> serve (per call)"))
    engine, served = summaries["engine"], summaries["serve"]
    print(
        f"  throughput: engine {throughput['engine']:8.1f} calls/s"
        f"   serve {throughput['serve']:8.1f} calls/s"
    )
    print(
        f"\nratios serve/engine: p99 latency {served.p99 / engine.p99:.1f}x,"
        f" median latency {served.median / engine.median:.1f}x,"
        f" throughput {throughput['serve'] / throughput['engine']:.2f}x"
        " (the cost of the HTTP layer, signing and verification included)"
    )


if __name__ == "__main__":
    main()
