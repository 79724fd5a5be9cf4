"""serve's nonce record (``NonceStore.use``) against the bare durable append it cannot do without.

Every signed request serve accepts costs one ``use``: take ``nonces/.lock``, take in what other
processes appended, check, append the digest's line and ``fdatasync`` it. The baseline is that
lock, append and ``fdatasync`` alone, on a file of the same directory. Both run alternately in
rounds, in one process, on a state like a running serve's: 2,000 earlier nonces whose timestamps
span the window (several five-minute files), the directory settled since its last new file.
It prints wall and CPU time per call of each and their ratios: what the bookkeeping adds.

Usage: python3 bench/bench_nonces.py [--calls 2000] [--rounds 3] [--dir /dev/shm]
(``--dir``: where the temporary data home goes; the default temporary directory otherwise.)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from _common import Summary
from ecs_keypair.server.nonces import DIRECTORY, LOCK_NAME, NonceStore
from ecs_keypair.server.signatures import DEFAULT_WINDOW

EARLIER_NONCES = 2000
SETTLE_SECONDS = 6.0  # a directory is listed again until its last change is this old
LINE = b"0123456789abcdef0123456789abcdef\n"


def bare_append(lock: Path, log: int) -> None:
    """The lock, append and fdatasync of one line on an open file, and nothing else."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(log, LINE)
        os.fdatasync(log)
    finally:
        os.close(fd)


def timed(call, calls: int) -> tuple[list[float], float]:
    """Wall time of each call, and the CPU time per call of the whole series."""
    samples = []
    cpu = time.process_time()
    for _ in range(calls):
        before = time.perf_counter()
        call()
        samples.append(time.perf_counter() - before)
    return samples, (time.process_time() - cpu) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each")
    parser.add_argument("--dir", help="where the temporary data home goes")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecs-keypair-bench-", dir=arguments.dir) as home:
        store = NonceStore(Path(home), DEFAULT_WINDOW)
        now = datetime.now(UTC)
        for i in range(EARLIER_NONCES):
            store.use("LTAIbench", uuid.uuid4().hex, now - DEFAULT_WINDOW * (i / EARLIER_NONCES))
        directory = Path(home) / DIRECTORY
        lock = directory / LOCK_NAME
        log = os.open(directory / "bare.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        time.sleep(SETTLE_SECONDS)
        files = len(list(directory.glob("*.log"))) - 1
        print(
            f"{EARLIER_NONCES:,} earlier nonces in {files} files under {home}; "
            f"{arguments.rounds} rounds of {arguments.calls:,} calls each\n"
        )

        def use() -> None:
            store.use("LTAIbench", uuid.uuid4().hex, datetime.now(UTC))

        samples: dict[str, list[float]] = {"use": [], "bare": []}
        cpu: dict[str, list[float]] = {"use": [], "bare": []}
        for _ in range(arguments.rounds):
            for label, call in (("use", use), ("bare", lambda: bare_append(lock, log))):
                wall, per_call = timed(call, arguments.calls)
                samples[label].extend(wall)
                cpu[label].append(per_call)
        os.close(log)
    summaries = {label: Summary.of(values) for label, values in samples.items()}
    cpu_of = {label: min(values) for label, values in cpu.items()}
    print(summaries["use"].line("NonceStore.use (per call)", "us"))
    print(summaries["bare"].line("lock + append + fdatasync (per call)", "us"))
    print(
        f"  CPU per call (best round): use {cpu_of['use'] * 1e6:.1f} us,"
        f" bare {cpu_of['bare'] * 1e6:.1f} us"
    )
    used, bare = summaries["use"], summaries["bare"]
    print(
        f"\nratios use/bare: median {used.median / bare.median:.2f}x,"
        f" p99 {used.p99 / bare.p99:.2f}x, CPU {cpu_of['use'] / cpu_of['bare']:.2f}x"
        " (what reading the other processes' lines, checking and pruning add)"
    )


if __name__ == "__main__":
    main()
