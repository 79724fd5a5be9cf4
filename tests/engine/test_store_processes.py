"""The store shared by real processes: a same-name race has one winner, many writers lose
nothing, the quota holds under contention, and a process killed with SIGKILL in the middle of
its writes leaves a store that loads and holds every key pair it acknowledged.

The racing processes get a ready-made key (``LocalBackend(generate=...)``): generating RSA
keys would only spread the processes apart in time and make the races rarer and the tests
slower; the real generator is tested on its own and against OpenSSH elsewhere.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import orjson
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

from tests.support.engine import KEY_PAIR_ID, REGION

FORK = multiprocessing.get_context("fork")
HANG_GUARD = 120  # seconds: a stuck process fails the test instead of hanging the run
REPOSITORY = Path(__file__).resolve().parents[2]


def create_names(
    home: str,
    quota: int,
    key: GeneratedKey,
    names: list[str],
    barrier: Barrier,
    results: Any,
) -> None:
    """A worker process: wait for the others, then create the names and report each outcome."""
    backend = LocalBackend(KeyPairStore(Path(home), quota=quota), generate=lambda: key)
    backend.resource_groups()  # as every shell does at start; the race is about the key pairs
    barrier.wait(timeout=HANG_GUARD)
    for name in names:
        try:
            backend.create_key_pair(CreateKeyPairRequest(REGION, name))
            results.put((os.getpid(), name, "ok"))
        except ApiException as exc:
            results.put((os.getpid(), name, exc.error.code))


def race(
    home: Path, key: GeneratedKey, work: list[list[str]], quota: int = 500
) -> list[tuple[int, str, str]]:
    """Run one process per list of names, all released at once; collect every outcome."""
    barrier = FORK.Barrier(len(work))
    results = FORK.Queue()
    processes = [
        FORK.Process(target=create_names, args=(str(home), quota, key, names, barrier, results))
        for names in work
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=HANG_GUARD) for _ in range(sum(map(len, work)))]
    for process in processes:
        process.join(timeout=HANG_GUARD)
        assert process.exitcode == 0
    return outcomes


def stored_names(home: Path) -> list[str]:
    """The names in the region file, read by a fresh store and checked against the raw file."""
    records = KeyPairStore(home).key_pairs(REGION)
    raw = orjson.loads(KeyPairStore(home).region_path(REGION).read_bytes())
    assert len(raw["keypairs"]) == len(records)
    assert len({record.key_pair_id for record in records}) == len(records)
    assert all(KEY_PAIR_ID.fullmatch(record.key_pair_id) for record in records)
    return [record.key_pair_name for record in records]


def test_same_name_race_has_exactly_one_winner(home: Path, ready_key: GeneratedKey) -> None:
    KeyPairStore(home).resource_groups()
    for name in ("race-1", "race-2", "race-3"):
        outcomes = race(home, ready_key, [[name]] * 8)
        verdicts = Counter(verdict for _, _, verdict in outcomes)
        assert verdicts == {"ok": 1, "KeyPair.AlreadyExist": 7}
    assert sorted(stored_names(home)) == ["race-1", "race-2", "race-3"]


def test_many_writers_lose_nothing(home: Path, ready_key: GeneratedKey) -> None:
    work = [[f"writer-{w}-{n:02d}" for n in range(15)] for w in range(6)]
    outcomes = race(home, ready_key, work)
    assert all(verdict == "ok" for _, _, verdict in outcomes)
    names = stored_names(home)
    assert len(names) == 90
    assert sorted(names) == sorted(name for names in work for name in names)


def test_the_quota_holds_under_contention(home: Path, ready_key: GeneratedKey) -> None:
    work = [[f"quota-{w}-{n}" for n in range(3)] for w in range(4)]
    outcomes = race(home, ready_key, work, quota=5)
    verdicts = Counter(verdict for _, _, verdict in outcomes)
    assert verdicts == {"ok": 5, "QuotaExceed.KeyPair": 7}
    created = sorted(name for _, name, verdict in outcomes if verdict == "ok")
    assert sorted(stored_names(home)) == created


def default_group_id(home: str, barrier: Barrier, results: Any) -> None:
    store = KeyPairStore(Path(home))
    barrier.wait(timeout=HANG_GUARD)
    results.put(store.default_resource_group().id)


def test_the_first_run_makes_one_default_group_however_many_start(home: Path) -> None:
    barrier = FORK.Barrier(6)
    results = FORK.Queue()
    processes = [
        FORK.Process(target=default_group_id, args=(str(home), barrier, results)) for _ in range(6)
    ]
    for process in processes:
        process.start()
    ids = {results.get(timeout=HANG_GUARD) for _ in processes}
    for process in processes:
        process.join(timeout=HANG_GUARD)
    assert len(ids) == 1
    assert [group.id for group in KeyPairStore(home).resource_groups()] == list(ids)


def test_threads_of_one_process_share_the_store_safely(
    home: Path, ready_key: GeneratedKey
) -> None:
    """The TUI creates in a worker thread while the form reads: one process, many threads."""
    backend = LocalBackend(KeyPairStore(home), generate=lambda: ready_key)
    backend.resource_groups()
    start = threading.Barrier(8)
    verdicts: list[str] = []

    def create(names: list[str]) -> None:
        start.wait(timeout=HANG_GUARD)
        for name in names:
            try:
                backend.create_key_pair(CreateKeyPairRequest(REGION, name))
                verdicts.append("ok")
            except ApiException as exc:
                verdicts.append(exc.error.code)

    work = [[f"thread-{t}-{n}" for n in range(10)] + ["shared"] for t in range(8)]
    threads = [threading.Thread(target=create, args=(names,)) for names in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HANG_GUARD)
    assert Counter(verdicts) == {"ok": 81, "KeyPair.AlreadyExist": 7}
    assert len(stored_names(home)) == 81


# -- SIGKILL during writes --

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from ecs_keypair.keys.key_formats import generate_rsa_key
    from ecs_keypair.contract.api_requests import CreateKeyPairRequest
    from ecs_keypair.store.local_backend import LocalBackend
    from ecs_keypair.store.store import KeyPairStore

    key = generate_rsa_key()  # once: the loop is about the store's writes
    backend = LocalBackend(KeyPairStore(Path(sys.argv[1])), generate=lambda: key)
    for number in range(100_000):
        name = f"{sys.argv[2]}-{number:05d}"
        backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", name))
        print(name, flush=True)  # acknowledged: create_key_pair has returned
    """
)


def killed_writer(
    home: Path, prefix: str, acknowledged_before_kill: int, rng: random.Random
) -> list[str]:
    """Start a writer, read what it acknowledges, SIGKILL it; return the acknowledged names."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home), prefix],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY / "app")},
    )
    assert process.stdout is not None
    acknowledged = []
    try:
        for _ in range(acknowledged_before_kill):
            line = process.stdout.readline()
            assert line, f"the writer stopped on its own ({process.wait(HANG_GUARD)})"
            acknowledged.append(line.strip())
        for _ in range(rng.randrange(200)):  # a little further into the next write, or not
            os.sched_yield()
        process.send_signal(signal.SIGKILL)
        acknowledged += [line.strip() for line in process.stdout]  # printed before it died
    finally:
        process.kill()
        process.wait(HANG_GUARD)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    return acknowledged


def test_sigkill_during_writes_loses_no_acknowledged_key_pair(home: Path) -> None:
    rng = random.Random(20261128)
    KeyPairStore(home).resource_groups()
    acknowledged: list[str] = []
    for round_number in range(6):
        acknowledged += killed_writer(home, f"round{round_number}", rng.randrange(1, 40), rng)
        names = stored_names(home)  # loads: no broken file, whatever moment the kill came
        assert set(acknowledged) <= set(names)
        assert len(names) == len(set(names)), "no name twice"
    backend = LocalBackend(KeyPairStore(home))
    backend.create_key_pair(
        CreateKeyPairRequest(REGION, "after-the-kills")
    )  # nobody holds the lock any more
    assert "after-the-kills" in stored_names(home)
    leftovers = [path.name for path in (home / "keypairs").iterdir()]
    assert all(name == f"{REGION}.json" or name.endswith(".tmp") for name in leftovers)
