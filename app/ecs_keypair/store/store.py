"""The local store: key pairs per region and the account's resource groups, in TinyDB files.

Layout of the data directory (owner-only)::

    .lock                      held around every read-check-write (see storage.store_lock)
    keypairs/<RegionId>.json   one TinyDB file per region: a write costs the region, not the world
    instances/<RegionId>.json  the region's instances (see instance_store)
    resource-groups.json       the account's resource groups

Each region's file holds at most its quota of key pairs, so no write ever rewrites more than one
region. The private key is never handed to the store: records carry the public half only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.ids import new_resource_group_id, utc_second
from ecs_keypair.contract.records import (
    KeyPairRecord,
    ResourceGroup,
    key_pair_document_problem,
    resource_group_document_problem,
)
from ecs_keypair.store.busy_answer import busy_as_unavailable
from ecs_keypair.store.instance_store import InstanceStore
from ecs_keypair.store.settings import DEFAULT_QUOTA, instance_quota, lock_timeout
from ecs_keypair.store.storage import AtomicJSONStorage, store_lock
from ecs_keypair.store.store_paths import StoreError, ensure_own_dir, ensure_private_dir

KEY_PAIRS = "keypairs"
GROUPS = "groups"
DEFAULT_GROUP_NAME = "default"
DEFAULT_GROUP_DISPLAY_NAME = "Default Resource Group"
# A key pair's entry is far smaller (a public key file is at most 64 KiB, tags a few KiB): a
# region file larger than its quota of these is not ours, and is refused unread.
MAX_ENTRY_BYTES = 128 * 1024


def _check_key_pair(table: str, document: dict[str, Any]) -> str | None:
    return key_pair_document_problem(document) if table == KEY_PAIRS else "is in an unknown table"


def _check_group(table: str, document: dict[str, Any]) -> str | None:
    if table == GROUPS:
        return resource_group_document_problem(document)
    return "is in an unknown table"


class _RegionView:
    """A region's names, and its records once asked for, built once per version of its file: the
    version is the documents table object the storage's read cache hands out (a write, here or
    in another process, makes a new one), so a read builds nothing while the file is unchanged,
    and a write's own checks build no record."""

    __slots__ = ("_records", "by_name", "documents")

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.by_name = {document["KeyPairName"]: document for document in documents.values()}
        self._records: tuple[KeyPairRecord, ...] | None = None

    def records(self) -> tuple[KeyPairRecord, ...]:
        if self._records is None:  # threads racing here build the same tuple
            self._records = tuple(
                KeyPairRecord.from_document(document) for document in self.documents.values()
            )
        return self._records


class KeyPairStore:
    """Key pairs by region, names unique within a region, a quota per region."""

    def __init__(
        self, home: Path, quota: int = DEFAULT_QUOTA, instances_quota: int | None = None
    ) -> None:
        self.home = home
        self.quota = quota
        self.lock_timeout = lock_timeout()  # read once: a bad setting stops the start, not a call
        self._waits_stopped = threading.Event()  # this store's own: see stop_waiting
        self._region_dir = home / "keypairs"
        ensure_private_dir(home)
        ensure_own_dir(self._region_dir)
        self.instances = InstanceStore(
            home,
            instance_quota() if instances_quota is None else instances_quota,
            self._locked,
        )
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._views: dict[str, _RegionView] = {}
        self._groups_storage = AtomicJSONStorage(
            home / "resource-groups.json", "resource-groups", _check_group
        )

    # -- reading (no lock: every file is replaced whole, so a read sees one state) --

    def region_path(self, region_id: str) -> Path:
        return self._region_dir / f"{region_id}.json"

    def _storage(self, region_id: str) -> AtomicJSONStorage:
        storage = self._storages.get(region_id)
        if storage is None:
            storage = AtomicJSONStorage(
                self.region_path(region_id),
                "keypairs",
                _check_key_pair,
                max_bytes=(self.quota + 8) * MAX_ENTRY_BYTES,
            )
            self._storages[region_id] = storage
        return storage

    def _documents(self, region_id: str) -> dict[str, Any]:
        tables = self._storage(region_id).read()
        return (tables or {}).get(KEY_PAIRS, {})

    def _view(self, region_id: str) -> _RegionView:
        documents = self._documents(region_id)
        view = self._views.get(region_id)
        if view is None or view.documents is not documents:
            view = _RegionView(documents)
            self._views[region_id] = view  # threads racing here build the same view
        return view

    def name_exists(self, region_id: str, name: str) -> bool:
        """Whether the region holds this name: one ``stat`` and a lookup (every keystroke)."""
        return name in self._view(region_id).by_name

    def count(self, region_id: str) -> int:
        return len(self._documents(region_id))

    def key_pairs(self, region_id: str) -> list[KeyPairRecord]:
        """The region's key pairs, oldest first."""
        return list(self._view(region_id).records())

    def key_pairs_named(self, region_id: str, name: str) -> list[KeyPairRecord]:
        """The region's key pairs of this exact name (one at most, unless the file was edited
        by hand), without a look at the others."""
        view = self._view(region_id)
        if len(view.by_name) < len(view.documents):
            return [record for record in view.records() if record.key_pair_name == name]
        found = view.by_name.get(name)
        return [] if found is None else [KeyPairRecord.from_document(found)]

    # -- writing (under the lock: the checks and the write see the same state) --

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store's lock; one not had in time is the API's ``ServiceUnavailable``."""
        with busy_as_unavailable(), store_lock(self.home, self.lock_timeout, self._waits_stopped):
            yield

    def stop_waiting(self) -> None:
        """End this store's waits for its lock, now and later: each answers
        ``ServiceUnavailable`` at once (serve stopping). Other stores, even of the same folder,
        keep waiting their full timeout."""
        self._waits_stopped.set()

    def _table(self, storage: AtomicJSONStorage, table: str) -> Table:
        # A fresh TinyDB per transaction: its cached next id never outlives another process' write.
        # TinyDB builds its storage by calling what it is given; hand it the shared one.
        database = TinyDB(storage=lambda: storage)
        return database.table(table, cache_size=0)

    def add(self, record: KeyPairRecord) -> None:
        """Store a key pair, or raise ``KeyPair.AlreadyExist`` / ``QuotaExceed.KeyPair``."""
        with self._locked():
            problem = self.admission_problem(record.region_id, record.key_pair_name)
            if problem:
                raise ApiException(problem)
            storage = self._storage(record.region_id)
            self._table(storage, KEY_PAIRS).insert(record.to_document())

    def admission_problem(self, region_id: str, name: str) -> errors.ApiError | None:
        """Would the region take this name now? Already exists, or full, or None."""
        if self.name_exists(region_id, name):
            return errors.KEY_PAIR_ALREADY_EXIST.at(
                "KeyPairName", f"a key pair with this name already exists in {region_id}"
            )
        if self.count(region_id) >= self.quota:
            return errors.QUOTA_EXCEED_KEY_PAIR.at(
                "RegionId", f"{region_id} already holds its quota of {self.quota} key pairs"
            )
        return None

    def remove(self, region_id: str, names: Iterable[str]) -> list[str]:
        """Delete the named key pairs of a region; returns the names that were there. One bound
        to an instance refuses the call, and nothing is deleted."""
        wanted = set(names)
        with self._locked():
            attached = sorted(wanted & self.instances.bound_key_pairs(region_id))
            if attached:
                raise ApiException(
                    errors.KEY_PAIR_ATTACHED.at(
                        "KeyPairNames",
                        f"{attached[0]!r} is bound to an instance: detach it first "
                        "(DetachKeyPair)",
                    )
                )
            documents = self._documents(region_id)
            doomed = {
                int(doc_id): document["KeyPairName"]
                for doc_id, document in documents.items()
                if document["KeyPairName"] in wanted
            }
            if doomed:
                self._table(self._storage(region_id), KEY_PAIRS).remove(doc_ids=list(doomed))
        return sorted(doomed.values())

    def update(
        self,
        region_id: str,
        names: Sequence[str],
        change: Callable[[KeyPairRecord], KeyPairRecord],
    ) -> list[KeyPairRecord]:
        """Replace each named key pair of a region by ``change(record)``, all or none, under the
        lock: a name that is not there is ``InvalidResourceId.NotFound``, and an ApiException
        raised by ``change`` (a tag quota) stops the call before anything is written."""
        with self._locked():
            documents = self._documents(region_id)
            by_name = {
                document["KeyPairName"]: int(doc_id) for doc_id, document in documents.items()
            }
            absent = [name for name in names if name not in by_name]
            if absent:
                raise ApiException(
                    errors.INVALID_RESOURCE_ID.at(
                        "ResourceId", f"there is no key pair {absent[0]!r} in {region_id}"
                    )
                )
            changed = {
                name: change(KeyPairRecord.from_document(documents[str(by_name[name])]))
                for name in dict.fromkeys(names)
            }

            def replace(document: MutableMapping[str, Any]) -> None:
                document.update(changed[document["KeyPairName"]].to_document())

            table = self._table(self._storage(region_id), KEY_PAIRS)
            table.update(replace, doc_ids=[by_name[name] for name in changed])
        return list(changed.values())

    # -- resource groups (account-wide) --

    def resource_groups(self) -> list[ResourceGroup]:
        """Every resource group, the default one first (created on first use, without the lock:
        a read never waits for a writer)."""
        return [ResourceGroup.from_document(d) for d in self._group_documents().values()]

    def default_resource_group(self) -> ResourceGroup:
        return self.resource_groups()[0]

    def resource_group(self, group_id: str) -> ResourceGroup | None:
        return next((group for group in self.resource_groups() if group.id == group_id), None)

    def _group_documents(self) -> dict[str, Any]:
        """The groups; on a store's first use the file is created holding the default group.

        A missing file while key pairs exist is refused: a new default group would be one that
        none of them belongs to.
        """
        tables = self._groups_storage.read()
        if tables is None:
            self._refuse_lost_groups()
            default = ResourceGroup(
                new_resource_group_id(),
                DEFAULT_GROUP_NAME,
                DEFAULT_GROUP_DISPLAY_NAME,
                utc_second(),
            )
            self._groups_storage.create({GROUPS: {"1": default.to_document()}})
            tables = self._groups_storage.read() or {}
        return tables.get(GROUPS, {})

    def _refuse_lost_groups(self) -> None:
        for region_file in sorted(self._region_dir.glob("*.json")):
            try:
                documents = self._documents(region_file.stem)
            except StoreError:  # refused when that region is used; the others go on
                continue
            if documents:
                groups = sorted({d["ResourceGroupId"] for d in documents.values()})
                raise StoreError(
                    self._groups_storage.path,
                    f"is missing, but the key pairs of {region_file} belong to the resource "
                    f"group(s) it held ({', '.join(groups[:3])}); no new default group was made, "
                    "as none of them would belong to it: restore the file from a backup",
                    untouched=False,
                )

    def add_resource_group(self, name: str, display_name: str) -> ResourceGroup:
        """Create a group; a name already taken is ``EntityAlreadyExists.ResourceGroup``."""
        with self._locked():
            documents = self._group_documents()  # the default group comes first, always
            if any(document["Name"] == name for document in documents.values()):
                raise ApiException(
                    errors.RESOURCE_GROUP_ALREADY_EXISTS.at("Name", f"the name {name!r} is taken")
                )
            group = ResourceGroup(new_resource_group_id(), name, display_name, utc_second())
            self._table(self._groups_storage, GROUPS).insert(group.to_document())
        return group
