"""serve's CPU per request against a bare aiohttp server's, and per CreateKeyPair against keygen.

Goals (issue 19): a one-name DescribeKeyPairs on a region holding 500 key pairs costs serve at
most 3x the CPU a bare aiohttp handler spends answering a fixed JSON body (1.3 ms against the
0.44 ms measured once), and a CreateKeyPair at most 1.10x generating the RSA key alone.

Three real server processes on 127.0.0.1: ``ecs-keypair serve`` over a data home whose
cn-hangzhou holds 500 key pairs, and two bare aiohttp servers that read each request whole and
answer serve's own answer to it, fixed: aiohttp's low-level server (the HTTP layer serve is built
on; the headline baseline) and a ``web.Application`` with one route (what an aiohttp app usually
is). The same client (the official SDK, one process, requests one after another, the connection
kept alive) sends the same signed DescribeKeyPairs to each, in rounds whose order rotates; what is
counted is each server process's CPU time (user + system of all its threads, from
``/proc/PID/stat``) over the round, divided by the requests.

The create part sends CreateKeyPair to serve and, interleaved, generates the same RSA 2048 key in
this process (CPU time of each). RSA's prime search swings from key to key, so a direct ratio of
two small sets is noisy: serve's CPU per ImportKeyPair of an RSA 2048 public key (the same
request path, the store's write included, without the generation) is measured too, and the
headline is (generation + that overhead) / generation; the direct ratio is printed beside it.

Usage: python3 bench/bench_serve_cpu.py [--requests 1500] [--rounds 3] [--creates 80]
Linux only (``/proc``). The servers listen on loopback only and stop with the run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import fill_store, start_server, stored_name, temporary_home, verdict
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.models import Config
from ecs_keypair.keys.key_formats import generate_rsa_key
from ecs_keypair.server.access_keys import AccessKeyStore
from ecs_keypair.store.store import KeyPairStore

REGION = "cn-hangzhou"
STORED = 500
# Room for the key pairs the create part adds to the full region.
QUOTA = 2000
DESCRIBE_GOAL = 3.0
ABSOLUTE_GOAL = 1.3e-3  # seconds: 3x the bare handler as the issue measured it (0.44 ms)
CREATE_GOAL = 1.10
WARM_UP = 200
START_TIMEOUT = 60.0
TICK = os.sysconf("SC_CLK_TCK")

BARE_SERVER = """
import asyncio, sys
from aiohttp import web

BODY = open(sys.argv[1], "rb").read()

async def handle(request):
    await request.read()
    return web.Response(body=BODY, content_type="application/json")

async def main():
    if sys.argv[2] == "application":
        app = web.Application()
        app.router.add_route("*", "/", handle)
        runner = web.AppRunner(app, access_log=None)
    else:
        runner = web.ServerRunner(web.Server(handle), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print("serving on http://127.0.0.1:%d" % runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""
BARE_KINDS = {"server": "bare low-level server", "application": "bare web.Application"}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of every thread of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime and stime: fields 14 and 15


def client(port: int, key_id: str, secret: str) -> Client:
    return Client(
        Config(
            access_key_id=key_id,
            access_key_secret=secret,
            endpoint=f"127.0.0.1:{port}",
            protocol="http",
            region_id=REGION,
        )
    )


def server_cpu_per_call(pid: int, call: Callable[[int], object], count: int, start: int) -> float:
    """The server's CPU seconds per call over ``count`` calls made one after another."""
    before = cpu_seconds(pid)
    for n in range(start, start + count):
        call(n)
    return (cpu_seconds(pid) - before) / count


def bench_describe(
    pids: dict[str, int], calls: dict[str, Callable[[int], object]], requests: int, rounds: int
) -> None:
    """``pids`` and ``calls`` by label: "serve" and the baselines."""
    labels = list(pids)
    per_call: dict[str, list[float]] = {label: [] for label in labels}
    for label in labels:
        for n in range(WARM_UP):
            calls[label](n)
    for number in range(rounds):
        shift = number % len(labels)  # rotate the order so no server always goes first
        for label in labels[shift:] + labels[:shift]:
            per_call[label].append(
                server_cpu_per_call(pids[label], calls[label], requests, number * requests)
            )
    mean = {label: sum(values) / rounds for label, values in per_call.items()}
    print(
        f"one-name DescribeKeyPairs, {STORED} stored in {REGION}: {rounds} rounds of"
        f" {requests:,} signed requests (official SDK, one after another) to each server"
    )
    for label, values in per_call.items():
        rounds_text = ", ".join(f"{value * 1e3:.3f}" for value in values)
        print(
            f"  {label:<22} CPU per request: mean {mean[label] * 1e3:.3f} ms"
            f"  (rounds: {rounds_text})"
        )
    for label in labels[1:]:
        ratio = mean["serve"] / mean[label]
        print(
            f"  ratio serve / {label}: {ratio:.2f}x (goal at most {DESCRIBE_GOAL:.1f}x:"
            f" {verdict(ratio <= DESCRIBE_GOAL)})"
        )
    print(
        f"  serve's CPU per request against the issue's 1.3 ms: {mean['serve'] * 1e3:.3f} ms"
        f" ({verdict(mean['serve'] <= ABSOLUTE_GOAL)})\n"
    )


def bench_create(serve: int, api: Client, creates: int) -> None:
    line = generate_rsa_key().public_key.line
    generation: list[float] = []
    created: list[float] = []
    imported: list[float] = []
    # serve loads the key generation's modules at its first key: not a request's cost.
    api.create_key_pair(models.CreateKeyPairRequest(region_id=REGION, key_pair_name="warm-up"))
    for number in range(creates):
        before = time.process_time()
        generate_rsa_key()
        generation.append(time.process_time() - before)
        created.append(
            server_cpu_per_call(
                serve,
                lambda n: api.create_key_pair(
                    models.CreateKeyPairRequest(region_id=REGION, key_pair_name=f"made-{n}")
                ),
                1,
                number,
            )
        )
        imported.append(
            server_cpu_per_call(
                serve,
                lambda n: api.import_key_pair(
                    models.ImportKeyPairRequest(
                        region_id=REGION, key_pair_name=f"imported-{n}", public_key_body=line
                    )
                ),
                1,
                number,
            )
        )
    keygen = sum(generation) / creates
    create = sum(created) / creates
    overhead = sum(imported) / creates
    headline = (keygen + overhead) / keygen
    print(f"CreateKeyPair through serve, {creates} interleaved with RSA 2048 generation here")
    print(f"  RSA 2048 generation alone, CPU mean          {keygen * 1e3:8.2f} ms")
    print(
        f"  serve CPU per CreateKeyPair, mean            {create * 1e3:8.2f} ms"
        f"  (direct ratio {create / keygen:.2f}x: RSA's swings included)"
    )
    print(f"  serve CPU per ImportKeyPair (the overhead)   {overhead * 1e3:8.2f} ms")
    print(
        f"  ratio (generation + overhead) / generation: {headline:.3f}x"
        f" (goal at most {CREATE_GOAL:.2f}x: {verdict(headline <= CREATE_GOAL)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each")
    parser.add_argument("--creates", type=int, default=80, help="CreateKeyPair calls (0: none)")
    arguments = parser.parse_args()
    with temporary_home(QUOTA) as home:
        store = KeyPairStore(home, QUOTA)
        fill_store(store, STORED, [REGION])
        key = AccessKeyStore(home).create()
        serve, serve_port = start_server(
            [sys.executable, "-m", "ecs_keypair", "serve", "--port", "0"]
        )
        body_file = home / "bare-body.json"
        bare: list[subprocess.Popen[str]] = []
        try:
            api = client(serve_port, key.access_key_id, key.secret)
            name = stored_name(REGION, STORED // 2)

            def describe_on(target: Client) -> Callable[[int], object]:
                return lambda n: target.describe_key_pairs(
                    models.DescribeKeyPairsRequest(region_id=REGION, key_pair_name=name)
                )

            answer = api.describe_key_pairs(
                models.DescribeKeyPairsRequest(region_id=REGION, key_pair_name=name)
            )
            assert answer.body.total_count == 1, answer.body
            body_file.write_text(json.dumps(answer.body.to_map()))
            pids = {"serve": serve.pid}
            calls = {"serve": describe_on(api)}
            for kind, label in BARE_KINDS.items():
                process, port = start_server(
                    [sys.executable, "-c", BARE_SERVER, str(body_file), kind]
                )
                bare.append(process)
                pids[label] = process.pid
                calls[label] = describe_on(client(port, key.access_key_id, key.secret))
            bench_describe(pids, calls, arguments.requests, arguments.rounds)
            if arguments.creates:
                bench_create(serve.pid, api, arguments.creates)
        finally:
            for process in (serve, *bare):
                process.terminate()
                process.wait(timeout=START_TIMEOUT)


if __name__ == "__main__":
    main()
