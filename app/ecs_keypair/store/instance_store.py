"""The local store's instances: one TinyDB file per region, beside the key pairs.

Layout (in the data directory, owner-only)::

    instances/<RegionId>.json   the region's instances, oldest first

Every change is one transaction under the store's lock (the same ``.lock`` the key pairs use):
the work reads the region's instances as they are now and says which to add, replace or
remove, so that a check (the quota, a key pair that must exist, a status) and the write see the
same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

from ecs_keypair.contract.instances import RUNNING, InstanceRecord, instance_document_problem
from ecs_keypair.store.file_modes import UntrustedPath, refuse_untrusted
from ecs_keypair.store.storage import AtomicJSONStorage
from ecs_keypair.store.store_paths import StoreError, ensure_own_dir

INSTANCES = "instances"
# Two public keys (the bound one and the one in effect), each a line of at most 64 KiB, and names.
MAX_ENTRY_BYTES = 192 * 1024

T = TypeVar("T")
Changes = dict[str, InstanceRecord | None]
"""What a transaction writes, by instance id: a record to add or replace it, None to remove it."""
Work = Callable[[Mapping[str, InstanceRecord]], tuple[Changes, T]]


def _check(table: str, document: dict[str, Any]) -> str | None:
    return instance_document_problem(document) if table == INSTANCES else "is in an unknown table"


def listing_order(record: InstanceRecord) -> tuple[str, str]:
    """Instances are kept and listed oldest first: by creation time, then by id (a total order,
    so that a page token can name a place in it)."""
    return record.creation_time, record.instance_id


def region_storage(path: Path, quota: int) -> AtomicJSONStorage:
    """The storage of one region's file, refusing one larger than ``quota`` instances make."""
    return AtomicJSONStorage(path, INSTANCES, _check, max_bytes=(quota + 8) * MAX_ENTRY_BYTES)


def _documents(storage: AtomicJSONStorage) -> dict[str, Any]:
    tables = storage.read() or {}
    documents: dict[str, Any] = tables.get(INSTANCES, {})
    return documents


def read_instances(storage: AtomicJSONStorage) -> list[InstanceRecord]:
    return [InstanceRecord.from_document(d) for d in _documents(storage).values()]


class _RegionView:
    """A region's records and their documents by instance id, built once per version of its
    file (the documents table object the storage's read cache hands out): a read builds no
    record while the file is unchanged, and a write encodes only the records it changed."""

    __slots__ = ("by_id", "documents", "source")

    def __init__(
        self,
        source: dict[str, Any],
        by_id: dict[str, InstanceRecord],
        documents: dict[str, dict[str, Any]],
    ) -> None:
        self.source = source
        self.by_id = by_id
        self.documents = documents

    @classmethod
    def of(cls, source: dict[str, Any]) -> _RegionView:
        records = (InstanceRecord.from_document(d) for d in source.values())
        by_id = {record.instance_id: record for record in records}
        documents = {document["InstanceId"]: document for document in source.values()}
        return cls(source, by_id, documents)


def key_in_effect(records: Iterable[InstanceRecord], instance_id: str) -> str | None:
    """The public key line a running instance's sshd accepts, or None (stopped, none in
    effect, not there)."""
    for record in records:
        if record.instance_id == instance_id:
            running = record.status == RUNNING
            return record.in_effect.public_key if running and record.in_effect else None
    return None


def key_in_effect_at(home: Path, quota: int, region_id: str, instance_id: str) -> str | None:
    """:func:`key_in_effect` read straight from the region's file under ``home``: nothing is
    created, locked or written (sshd asks this on every login). As sshd's StrictModes, the data
    folder, ``instances`` and the file are trusted only if no other user (but root) owns or may
    write them (:class:`UntrustedPath`); a folder ``instances`` that is a link is refused, as the
    store refuses it, and so is a file that does not say one thing of the instance: an id twice,
    or a record of another region (:class:`StoreError`)."""
    if not refuse_untrusted(home):
        raise UntrustedPath(f"the data folder {home} does not exist")
    folder = home / INSTANCES
    if folder.is_symlink():
        raise StoreError(folder, "is a symbolic link: it is never followed")
    path = folder / f"{region_id}.json"
    if not (refuse_untrusted(folder) and refuse_untrusted(path, follow=False)):
        return None  # no instance was ever made there
    records = read_instances(region_storage(path, quota))
    problem = _ambiguity(records, region_id)
    if problem:
        raise StoreError(path, problem)
    return key_in_effect(records, instance_id)


def _ambiguity(records: Iterable[InstanceRecord], region_id: str) -> str | None:
    """What makes a region's records say two things of an instance, or None."""
    seen: set[str] = set()
    for record in records:
        if record.region_id != region_id:
            return f"holds {record.instance_id!r} of the region {record.region_id!r}"
        if record.instance_id in seen:
            return f"holds {record.instance_id!r} more than once"
        seen.add(record.instance_id)
    return None


class InstanceStore:
    """Instances by region, at most ``quota`` in each."""

    def __init__(
        self, home: Path, quota: int, locked: Callable[[], AbstractContextManager[None]]
    ) -> None:
        """``locked``: the key pair store's lock, taken as that store takes it (its stop, its
        busy answer), since one call may change both."""
        self.home = home
        self.quota = quota
        self._locked = locked
        self._dir = home / INSTANCES  # made with the first instance: a store without any is
        if self._dir.is_symlink():  # as it was before instances were kept
            raise StoreError(self._dir, "is a symbolic link: it is never followed")
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._views: dict[str, _RegionView] = {}

    def region_path(self, region_id: str) -> Path:
        return self._dir / f"{region_id}.json"

    def _storage(self, region_id: str) -> AtomicJSONStorage:
        storage = self._storages.get(region_id)
        if storage is None:
            storage = region_storage(self.region_path(region_id), self.quota)
            self._storages[region_id] = storage
        return storage

    # -- reading (no lock: every file is replaced whole) --

    def _view(self, region_id: str) -> _RegionView:
        source = _documents(self._storage(region_id))
        view = self._views.get(region_id)
        if view is None or view.source is not source:
            view = _RegionView.of(source)
            self._views[region_id] = view  # threads racing here build the same view
        return view

    def instances(self, region_id: str) -> list[InstanceRecord]:
        """The region's instances, oldest first (by creation time, then id)."""
        return list(self._view(region_id).by_id.values())

    def regions(self) -> list[str]:
        """The regions that have a file of instances."""
        return sorted(path.stem for path in self._dir.glob("*.json"))

    def region_of(self, instance_id: str) -> str | None:
        """The region holding the instance, looked for in every region's file."""
        for region_id in self.regions():
            if any(r.instance_id == instance_id for r in self.instances(region_id)):
                return region_id
        return None

    def bound_key_pairs(self, region_id: str) -> set[str]:
        """The names of the key pairs bound to an instance of the region."""
        return {r.key_pair_name for r in self.instances(region_id) if r.bound}

    def key_in_effect(self, region_id: str, instance_id: str) -> str | None:
        return key_in_effect(self.instances(region_id), instance_id)

    # -- writing --

    def transact(self, region_id: str, work: Work[T]) -> T:
        """Run ``work`` on the region's instances under the store's lock and write what it
        changed; an ApiException from ``work`` stops the call before anything is written."""
        with self._locked():
            return self.transact_locked(region_id, work)

    def transact_locked(self, region_id: str, work: Work[T]) -> T:
        """:meth:`transact` for a caller that holds the store's lock already."""
        view = self._view(region_id)
        current = dict(view.by_id)
        changes, outcome = work(current)
        if changes:
            encoded = dict(view.documents)
            for instance_id, record in changes.items():
                if record is None:
                    current.pop(instance_id, None)
                    encoded.pop(instance_id, None)
                else:
                    current[instance_id] = record
                    encoded[instance_id] = record.to_document()
            ordered = sorted(current.values(), key=listing_order)
            documents = {
                str(n): encoded[r.instance_id] for n, r in enumerate(ordered, start=1)
            }
            ensure_own_dir(self._dir)
            self._storage(region_id).write({INSTANCES: documents})
            by_id = {record.instance_id: record for record in ordered}
            self._views[region_id] = _RegionView(documents, by_id, encoded)
        return outcome
