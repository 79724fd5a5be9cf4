"""Signature nonces seen within the timestamp window, so captured requests cannot be replayed.

A request is accepted only when its timestamp is within the window of now, so a nonce needs to be
remembered only that long: each entry expires with the window, and expired entries are dropped as
new ones arrive. Thread-safe, in memory (a restart forgets them; the window still bounds replay).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class NonceCache:
    """``use(key, nonce)`` is True the first time within ``ttl`` seconds, False after."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def use(self, access_key_id: str, nonce: str) -> bool:
        now = self._clock()
        entry = (access_key_id, nonce)
        with self._lock:
            while self._seen:
                oldest, expires = next(iter(self._seen.items()))
                if expires > now:
                    break
                del self._seen[oldest]
            if entry in self._seen:
                return False
            self._seen[entry] = now + self._ttl
            return True

    def __len__(self) -> int:
        return len(self._seen)
