"""What the benchmarks share: a throw-away data home, a store filled fast, and summary figures.

A benchmark never touches the user's data: it points ``ECS_KEYPAIR_HOME`` at a temporary
directory that is removed at the end. Filling 15,000 key pairs by generating 15,000 RSA keys would
take minutes, so each region's file is written in one TinyDB transaction through the store's own
storage (the same bytes the store writes itself), reusing a handful of real public keys.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Run as `python3 bench/<script>.py` from anywhere: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "app"))

from ecs_keypair.contract.ids import new_key_pair_id, utc_minute  # noqa: E402
from ecs_keypair.contract.records import KeyPairRecord  # noqa: E402
from ecs_keypair.contract.regions import REGIONS  # noqa: E402
from ecs_keypair.keys.key_formats import generate_rsa_key  # noqa: E402
from ecs_keypair.store.settings import HOME_VARIABLE, QUOTA_VARIABLE  # noqa: E402
from ecs_keypair.store.store import KEY_PAIRS, KeyPairStore  # noqa: E402
from tinydb import TinyDB  # noqa: E402

# An installed app starts from compiled modules (pip compiles them); a checkout does once its
# first run has cached them. Where the environment forbids writing that cache, every start of
# `python -m ecs_keypair` would compile the project's modules again and be timed doing it: the
# processes the benchmarks start may write it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

STORED = 15_000
# 15,000 over ECS's regions is about 556 a region, above the default quota of 500 (the cloud
# raises quotas on request); leave room for the key pairs the benchmarks create.
BENCH_QUOTA = 600
DISTINCT_PUBLIC_KEYS = 4


@contextmanager
def temporary_home(quota: int = BENCH_QUOTA) -> Iterator[Path]:
    """A fresh data home, exported (with the quota) for this process and its children."""
    saved = {name: os.environ.get(name) for name in (HOME_VARIABLE, QUOTA_VARIABLE)}
    with tempfile.TemporaryDirectory(prefix="ecs-keypair-bench-") as directory:
        home = Path(directory) / "data"
        os.environ[HOME_VARIABLE] = str(home)
        os.environ[QUOTA_VARIABLE] = str(quota)
        try:
            yield home
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def stored_name(region_id: str, index: int) -> str:
    """The name of the ``index``-th pre-filled key pair of a region."""
    return f"stored-{region_id}-{index:05d}"


def fill_store(
    store: KeyPairStore, total: int = STORED, regions: Sequence[str] | None = None
) -> dict[str, int]:
    """Spread ``total`` key pairs over ``regions`` (every region unless given); returns how many
    each region got."""
    region_ids = [region.region_id for region in REGIONS] if regions is None else list(regions)
    keys = [generate_rsa_key().public_key for _ in range(DISTINCT_PUBLIC_KEYS)]
    group = store.default_resource_group().id
    created = utc_minute()
    per_region = {
        region_id: total // len(region_ids) + (i < total % len(region_ids))
        for i, region_id in enumerate(region_ids)
    }
    for region_id, count in per_region.items():
        documents = [
            KeyPairRecord(
                key_pair_id=new_key_pair_id(),
                key_pair_name=stored_name(region_id, i),
                region_id=region_id,
                fingerprint=keys[i % len(keys)].md5_fingerprint,
                public_key=keys[i % len(keys)].line,
                resource_group_id=group,
                creation_time=created,
            ).to_document()
            for i in range(count)
        ]
        # The store's own storage object for the region, so the file is exactly what it writes.
        storage = store._storage(region_id)  # noqa: SLF001
        TinyDB(storage=lambda: storage).table(KEY_PAIRS).insert_multiple(documents)
    stored = sum(store.count(region_id) for region_id in region_ids)
    if stored != total:
        raise SystemExit(f"filling the store went wrong: {stored} stored, {total} wanted")
    return per_region


@dataclass(frozen=True)
class Summary:
    """Figures of one series of samples, in seconds."""

    count: int
    median: float
    mean: float
    p99: float
    minimum: float
    maximum: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        ordered = sorted(samples)
        rank = max(0, math.ceil(0.99 * len(ordered)) - 1)
        return cls(
            len(ordered),
            statistics.median(ordered),
            statistics.fmean(ordered),
            ordered[rank],
            ordered[0],
            ordered[-1],
        )

    def line(self, label: str, unit: str = "ms") -> str:
        scale = {"ms": 1e3, "us": 1e6}[unit]
        return (
            f"  {label:<40} median {self.median * scale:8.2f} {unit}"
            f"   mean {self.mean * scale:8.2f} {unit}   p99 {self.p99 * scale:8.2f} {unit}"
            f"   (n={self.count}, min {self.minimum * scale:.2f}, max {self.maximum * scale:.2f})"
        )


def verdict(met: bool) -> str:
    return "meets the goal" if met else "MISSES the goal"


SERVER_START_TIMEOUT = 60.0


def start_server(
    command: list[str], extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], int]:
    """A server process of ours (serve, or a bare server made to print the same first line), and
    the port it says it serves on; it imports this checkout's package."""
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        command,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root / "app"), **(extra_env or {})},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("serving on "):
            return process, int(line.split()[2].rsplit(":", 1)[1].rstrip("/"))
    process.kill()
    raise SystemExit(f"{command[-1]} did not start")
