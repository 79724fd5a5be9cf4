"""The regions an endpoint offers: its DescribeRegions' answer, asked again once it is a day
old; kept in a file on the cloud (:mod:`ecs_keypair.remote.region_cache`), in memory alone on
one ``--endpoint``. When the endpoint cannot answer, the list known before (of any age) stands,
and the built-in list when none was ever read: the screens always have regions to offer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.regions import REGIONS, Region, looks_like_region_id
from ecs_keypair.remote.region_cache import CachedRegions, RegionCache

MAX_AGE_SECONDS = 24 * 60 * 60


class RegionList:
    """What :meth:`KeyPairBackend.regions` answers on an endpoint; ``describe`` asks it."""

    def __init__(
        self,
        describe: Callable[[], tuple[Region, ...]],
        cache: RegionCache | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._describe = describe
        self._cache = cache
        self._clock = clock
        self._known: CachedRegions | None = None
        self._file_read = False
        self._lock = threading.Lock()  # the list in memory
        self._asking = threading.Lock()  # one DescribeRegions at a time; the others wait for it

    def known(self) -> tuple[Region, ...]:
        """The list as known now, without asking: read before, else kept, else built in."""
        with self._lock:
            if not self._file_read:
                self._file_read = True
                self._known = self._cache.read() if self._cache else None
            known = self._known
        return known.regions if known else REGIONS

    def current(self) -> tuple[Region, ...]:
        """The list, asked again when it is a day old (or dated in the future)."""
        with self._asking:
            known = self._newest()
            if known is not None and 0 <= self._clock() - known.fetched_at < MAX_AGE_SECONDS:
                return known.regions
            try:
                answered = tuple(
                    region for region in self._describe() if looks_like_region_id(region.region_id)
                )
            except ApiException:
                answered = ()
            if not answered:
                return known.regions if known else REGIONS
            fresh = CachedRegions(self._clock(), answered)
            with self._lock:
                self._known = fresh
            if self._cache is not None:
                try:
                    self._cache.write(fresh)
                except OSError:
                    pass  # a list not kept is asked again next run: the calls go on without it
            return answered

    def _newest(self) -> CachedRegions | None:
        """The list in memory, or the file's when it is newer (another run asked meanwhile)."""
        self.known()
        with self._lock:
            known = self._known
        if self._cache is None:
            return known
        kept = self._cache.read()
        if kept is not None and (known is None or kept.fetched_at > known.fetched_at):
            with self._lock:
                self._known = known = kept
        return known
