"""One call per region, answers in the regions' order: in parallel (at most
:data:`MAX_AT_ONCE` at a time) on a backend whose calls wait on the network, one after another
on the local store, whose calls are quick and share one file lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from ecs_keypair.contract.backend import KeyPairBackend

T = TypeVar("T")

MAX_AT_ONCE = 8
"""Regions called at once: a bound on the connections open together (``all`` is 27 regions)."""


def each_region(
    backend: KeyPairBackend, regions: Sequence[str], call: Callable[[str], T]
) -> list[T]:
    """``call(region)`` for each region; what a call raises is raised here (the first region's,
    in order), once the calls already started have ended, and no call starts after it."""
    if backend.is_local or len(regions) < 2:
        return [call(region) for region in regions]
    answers: dict[int, T] = {}
    failures: dict[int, BaseException] = {}
    waiting = iter(enumerate(regions))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                taken = None if failures else next(waiting, None)
            if taken is None:
                return
            index, region = taken
            try:
                answers[index] = call(region)
            except BaseException as exc:  # handed to the caller's thread as it is
                with lock:
                    failures[index] = exc

    # Daemon threads, not a ThreadPoolExecutor: the process exits on ctrl+c or SIGTERM at once,
    # where an executor's threads are joined at exit, each waiting for its call's timeout.
    workers = [
        threading.Thread(target=work, name="region-call", daemon=True)
        for _ in range(min(MAX_AT_ONCE, len(regions)))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()  # a signal interrupts the wait
    if failures:
        raise failures[min(failures)]
    return [answers[index] for index in range(len(regions))]
