"""A mirror of one endpoint's key pairs, kept apart from the local store's own.

Layout, under the data directory (owner-only, as the store's)::

    mirrors/<place>~<AccessKeyId>-<digest>/      one folder per endpoint (or the cloud) and
                                                 access key
        .lock                                    held around every write of this mirror
        <RegionId>.json                          the region's key pairs as last seen, and when
                                                 the region was last listed whole

Each row keeps what a listing shows (name, fingerprint, tags, group, creation time, id): never a
public key body, a private key or a secret. The endpoint stays the authority: the mirror is what
its answers said, for the name check on every keystroke and for reading while it cannot be
reached. Writes go through :class:`~ecs_keypair.store.storage.AtomicJSONStorage` (whole files,
fsynced, renamed) under the mirror's own lock, so the local store's lock is never taken; a lock
held past ``ECS_KEYPAIR_LOCK_TIMEOUT`` is ``ServiceUnavailable``, as the store's is.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from ecs_keypair.contract.records import KeyPairRecord, key_pair_document_problem
from ecs_keypair.contract.regions import looks_like_region_id
from ecs_keypair.store.busy_answer import busy_as_unavailable
from ecs_keypair.store.settings import lock_timeout
from ecs_keypair.store.storage import AtomicJSONStorage, Tables, file_lock
from ecs_keypair.store.store_paths import (
    StoreError,
    ensure_own_dir,
    ensure_private_dir,
    refuse_link,
)

MIRRORS = "mirrors"
KEY_PAIRS = "keypairs"
LISTING = "listing"
MAX_REGION_ID_LENGTH = 64  # a region id becomes a file name: the shape of one, and short
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class MirroredRegion:
    """A region as the mirror holds it: its rows, and when it was last listed whole (UTC,
    ``2026-11-28T14:02:05Z``), or None when it never was (rows only from changes seen)."""

    rows: tuple[KeyPairRecord, ...]
    listed_at: str | None


NOT_MIRRORED = MirroredRegion((), None)


def mirror_folder_name(place: str, access_key_id: str) -> str:
    """A folder name that says whose mirror it is (``place``: the endpoint's host, or the
    cloud) and cannot be shared by two (the digest tells apart names that differ only in the
    characters made safe)."""
    digest = hashlib.sha256(f"{place}\0{access_key_id}".encode()).hexdigest()[:8]
    safe = f"{_UNSAFE.sub('_', place)}~{_UNSAFE.sub('_', access_key_id)}"
    return f"{safe[:80]}-{digest}"


def _check(table: str, document: dict[str, Any]) -> str | None:
    if table == KEY_PAIRS:
        problem = key_pair_document_problem(document)
        if problem is None and document["PublicKey"]:
            return "holds a public key body: a mirror keeps none"
        return problem
    if table == LISTING:
        listed_at = document.get("ListedAt")
        return None if listed_at is None or isinstance(listed_at, str) else "has a bad ListedAt"
    return "is in an unknown table"


Rows = dict[str, KeyPairRecord]
_Update = Callable[[Rows, str | None], tuple[Rows, str | None]]


def _added(seen: Rows, rows: Rows, listed_at: str | None) -> tuple[Rows, str | None]:
    return rows | seen, listed_at


def _row(record: KeyPairRecord) -> KeyPairRecord:
    """What the mirror keeps of a record: everything a listing shows, without the key body."""
    return replace(record, public_key="")


class Mirror:
    """The key pairs of one endpoint and access key, region by region; see the module docstring.

    Reads take no lock (every file is replaced whole); a read of an unchanged file costs one
    ``stat``, as the store's do.
    """

    def __init__(self, home: Path, place: str, access_key_id: str) -> None:
        self.home = home
        self.folder = home / MIRRORS / mirror_folder_name(place, access_key_id)
        self.lock_timeout = lock_timeout()
        # Made at the first write, once the endpoint has answered: an endpoint that never
        # does leaves no folder. A link is refused now all the same, before any call.
        refuse_link(home / MIRRORS)
        refuse_link(self.folder)
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._stop = threading.Event()  # set by stop_waiting: no more waiting for the lock
        self._names: dict[str, tuple[dict[str, Any], frozenset[str]]] = {}

    def stop_waiting(self) -> None:
        """Every wait for the mirror's lock, now and later, gives up at once (serve stopping)."""
        self._stop.set()

    def region_path(self, region_id: str) -> Path:
        return self.folder / f"{region_id}.json"

    def _storage(self, region_id: str) -> AtomicJSONStorage | None:
        """The region's file, or None for an id that cannot be a file name (never mirrored)."""
        if len(region_id) > MAX_REGION_ID_LENGTH or not looks_like_region_id(region_id):
            return None
        storage = self._storages.get(region_id)
        if storage is None:
            storage = AtomicJSONStorage(self.region_path(region_id), "mirror", _check)
            self._storages[region_id] = storage
        return storage

    # -- reading --

    def region(self, region_id: str) -> MirroredRegion:
        storage = self._storage(region_id)
        tables = storage.read() if storage else None
        if not tables:
            return NOT_MIRRORED
        rows = tuple(KeyPairRecord.from_document(d) for d in tables.get(KEY_PAIRS, {}).values())
        listing = tables.get(LISTING, {}).get("1", {})
        return MirroredRegion(rows, listing.get("ListedAt"))

    def names(self, region_id: str) -> frozenset[str]:
        """The region's names: one ``stat`` and a set while the file is unchanged (every
        keystroke's check)."""
        storage = self._storage(region_id)
        tables = storage.read() if storage else None
        documents = (tables or {}).get(KEY_PAIRS, {})
        cached = self._names.get(region_id)
        if cached is None or cached[0] is not documents:
            cached = (documents, frozenset(d["KeyPairName"] for d in documents.values()))
            self._names[region_id] = cached
        return cached[1]

    # -- writing (under the mirror's lock: changes of two processes never undo each other) --

    def replace_region(
        self, region_id: str, records: Iterable[KeyPairRecord], listed_at: str
    ) -> str | None:
        """A whole listing of the region, as of ``listed_at``: the rows before it are gone.

        The mirror is a cache the listing refills, so a region file that cannot be read (damaged,
        a link, a FIFO) is replaced too, never followed or waited on: what was wrong with it,
        or None when nothing was."""
        listed = {record.key_pair_name: _row(record) for record in records}
        return self._write(region_id, lambda rows, _: (listed, listed_at), whole=True)

    def put(self, records: Iterable[KeyPairRecord]) -> None:
        """Rows seen in an answer (a created or imported key pair, a page of a listing): each
        replaces the row of its name in its region, or is added."""
        by_region: dict[str, dict[str, KeyPairRecord]] = {}
        for record in records:
            by_region.setdefault(record.region_id, {})[record.key_pair_name] = _row(record)
        for region_id, seen in by_region.items():
            self._write(region_id, partial(_added, seen))

    def remove(self, region_id: str, names: Iterable[str]) -> None:
        doomed = set(names)
        self._write(
            region_id,
            lambda rows, listed_at: (
                {name: row for name, row in rows.items() if name not in doomed},
                listed_at,
            ),
        )

    def change(
        self, region_id: str, names: Iterable[str], change: Callable[[KeyPairRecord], KeyPairRecord]
    ) -> None:
        """Replace each named row by ``change(row)``; names the mirror lacks are left out."""
        wanted = set(names)
        self._write(
            region_id,
            lambda rows, listed_at: (
                {n: _row(change(r)) if n in wanted else r for n, r in rows.items()},
                listed_at,
            ),
        )

    def _write(self, region_id: str, update: _Update, whole: bool = False) -> str | None:
        """The region's rows and listing time as ``update`` makes them from the current ones;
        ``whole``: from none, over a file that cannot be read (what was wrong with it is
        returned)."""
        storage = self._storage(region_id)
        if storage is None:
            return None
        ensure_private_dir(self.home)
        ensure_own_dir(self.home / MIRRORS)
        ensure_own_dir(self.folder)
        with busy_as_unavailable(), file_lock(self.folder / ".lock", self.lock_timeout, self._stop):
            damaged = None
            try:
                before = self.region(region_id)
            except StoreError as exc:
                if not whole:
                    raise
                damaged, before = exc.problem, NOT_MIRRORED
            rows, listed_at = update({r.key_pair_name: r for r in before.rows}, before.listed_at)
            tables: Tables = {
                KEY_PAIRS: {str(n): row.to_document() for n, row in enumerate(rows.values(), 1)},
                LISTING: {"1": {"RegionId": region_id, "ListedAt": listed_at}},
            }
            storage.write(tables)
        return damaged
