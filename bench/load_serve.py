"""Load on ``ecs-keypair serve``, loopback only and bounded in time: does it keep answering?

1. ``--clients`` threads (200) send signed v2 DescribeKeyPairs requests (through ``requests``,
   one keep-alive session each) for ``--seconds`` (20) against a serve this script starts:
   requests, errors, p50/p99 latency, throughput.
2. ``--idle`` (1,100) connections are opened and held without sending anything while real SDK
   requests (the official SDK's DescribeKeyPairs) are sent one after another: are they answered,
   how long do they take, and how many of the idle connections did serve close meanwhile?

serve runs with ``ulimit -n`` of ``--fd-limit`` (1,024, as on many machines), so the idle
connections outnumber its file descriptors. It prints what serve wrote on stderr (line count and
size). Everything stops by itself; serve is stopped with SIGTERM at the end.

Usage: python3 bench/load_serve.py [--clients 200] [--seconds 20] [--idle 1100] [--fd-limit 1024]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from _common import Summary
from bench_serve import Target, _caller
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.server.access_keys import AccessKey, AccessKeyStore
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

from tests.support.signing import rpc, v2_request

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
HTTP_TIMEOUT = 30.0
SDK_CALLS = 20
CONNECT_TIMEOUT = 3.0


def start_serve(home: Path, fd_limit: int) -> tuple[subprocess.Popen[str], int, Path]:
    """serve under ``ulimit -n fd_limit``, its stderr in a file next to the data home."""
    errors = home.parent / "serve-stderr.txt"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (fd_limit, fd_limit))

    process = subprocess.Popen(
        [sys.executable, "-m", "ecs_keypair", "serve", "--port", "0"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home), "PYTHONPATH": str(ROOT / "app")},
        preexec_fn=limit,
    )
    deadline = threading.Timer(START_TIMEOUT, process.kill)
    deadline.start()
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith("serving on "):
                return process, int(line.split()[2].rsplit(":", 1)[1]), errors
    finally:
        deadline.cancel()
    raise SystemExit(f"serve did not start: {errors.read_text()}")


def stop_serve(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def _describe(n: int) -> dict[str, str]:
    pattern = f"load-{n % 10}*"
    return rpc("DescribeKeyPairs", RegionId="cn-hangzhou", PageSize="10", KeyPairName=pattern)


def load(port: int, key: AccessKey, clients: int, seconds: float) -> None:
    """Phase 1: ``clients`` threads, each one session, signed requests until the time is up."""
    endpoint = f"127.0.0.1:{port}"
    latencies: list[float] = []
    failures: dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(index: int) -> None:
        mine: list[float] = []
        wrong: dict[str, int] = {}
        with requests.Session() as session:
            start.wait()
            n = index
            while time.monotonic() < stop_at[0]:
                n += clients
                before = time.perf_counter()
                try:
                    response = session.send(
                        v2_request(endpoint, key, _describe(n)), timeout=HTTP_TIMEOUT
                    )
                    outcome = "" if response.status_code == 200 else str(response.status_code)
                except requests.RequestException as exc:
                    outcome = type(exc).__name__
                mine.append(time.perf_counter() - before)
                if outcome:
                    wrong[outcome] = wrong.get(outcome, 0) + 1
        with lock:
            latencies.extend(mine)
            for outcome, count in wrong.items():
                failures[outcome] = failures.get(outcome, 0) + count

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    stop_at[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + HTTP_TIMEOUT + 10)
    elapsed = time.monotonic() - began
    summary = Summary.of(latencies)
    errors = sum(failures.values())
    print(f"phase 1: {clients} clients for {seconds:.0f} s (signed v2 DescribeKeyPairs)")
    print(f"  requests {len(latencies)}   errors {errors} {failures or ''}")
    print(f"  throughput {len(latencies) / elapsed:.1f} requests/s")
    print(summary.line("latency"))


def idle_and_real(port: int, key: AccessKey, idle_count: int, home: Path) -> None:
    """Phase 2: hold ``idle_count`` silent connections, send real SDK calls meanwhile."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, idle_count + 256)), hard))
    idle: list[socket.socket] = []
    refused = 0
    began = time.monotonic()
    while len(idle) + refused < idle_count and refused < 3:
        try:
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT))
        except OSError:
            refused += 1
    opened = time.monotonic() - began
    call = _caller(Target(str(home), port, key.access_key_id, key.secret))
    answered, failed = [], []
    for n in range(SDK_CALLS):
        before = time.perf_counter()
        try:
            call(n)
            answered.append(time.perf_counter() - before)
        except Exception as exc:  # noqa: BLE001 - the figure is whether it was answered
            failed.append(f"{type(exc).__name__}")
    closed = 0
    for sock in idle:
        sock.setblocking(False)
        try:
            closed += sock.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        sock.close()
    print(f"phase 2: {len(idle)} idle connections opened in {opened:.1f} s ({refused} refused)")
    print(
        f"  real SDK requests meanwhile: {len(answered)} answered, {len(failed)} failed "
        f"{sorted(set(failed)) or ''}"
    )
    if answered:
        print(Summary.of(answered).line("SDK DescribeKeyPairs latency"))
    print(f"  idle connections serve had closed by the end: {closed} of {len(idle)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--idle", type=int, default=1100)
    parser.add_argument("--fd-limit", type=int, default=1024)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecs-keypair-load-") as directory:
        home = Path(directory) / "data"
        key = AccessKeyStore(home).create()
        backend = LocalBackend(KeyPairStore(home))
        for n in range(10):  # what the DescribeKeyPairs of both phases find
            backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", f"load-{n}"))
        process, port, errors = start_serve(home, arguments.fd_limit)
        try:
            load(port, key, arguments.clients, arguments.seconds)
            idle_and_real(port, key, arguments.idle, home)
        finally:
            status = stop_serve(process)
        text = errors.read_text()
        print(
            f"serve (ulimit -n {arguments.fd_limit}) exited {status}; its stderr: "
            f"{len(text.splitlines())} lines, {len(text.encode())} bytes, "
            f"{text.count('Traceback')} tracebacks"
        )
        for line in text.splitlines()[:5]:
            print(f"  | {line}")


if __name__ == "__main__":
    main()
