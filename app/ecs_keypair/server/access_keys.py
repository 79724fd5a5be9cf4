"""Local access keys for ``serve``: an AccessKeyId and the secret that signs its requests.

The secret itself must be kept (HMAC needs it on both sides), so it lives in its own TinyDB file,
``access-keys.json`` in the data directory, written through the engine's atomic, owner-only
storage (``0600`` from its first byte) with its own kind and document check. It is handed out
once, by :meth:`AccessKeyStore.create`, and never logged: :class:`AccessKey`'s repr hides it.
Keys are listed, made Inactive or Active, and deleted as RAM does (ListAccessKeys,
UpdateAccessKey, DeleteAccessKey); a running ``serve`` sees each change on its next request,
because a lookup re-reads the file when its ``stat`` changed.
"""

from __future__ import annotations

import builtins
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.ids import new_request_id, utc_second
from ecs_keypair.server import gateway_errors as ge
from ecs_keypair.store.busy_answer import busy_as_unavailable
from ecs_keypair.store.file_modes import OPEN_TO_OTHERS, loose_mode
from ecs_keypair.store.storage import AtomicJSONStorage, store_lock
from ecs_keypair.store.store_paths import ensure_private_dir

FILE_NAME = "access-keys.json"
KIND = "access-keys"
TABLE = "accesskeys"
ID_PREFIX = "LTAI"
ID_LENGTH = 24
SECRET_LENGTH = 30
ACTIVE = "Active"
INACTIVE = "Inactive"
STATUSES = (ACTIVE, INACTIVE)
_ALPHABET = string.ascii_letters + string.digits
_FIELDS = ("AccessKeyId", "AccessKeySecret", "Status", "CreateDate")


@dataclass(frozen=True, slots=True)
class AccessKey:
    access_key_id: str
    secret: str
    status: str
    create_date: str

    def __repr__(self) -> str:
        return f"AccessKey({self.access_key_id!r}, status={self.status!r}, secret=<hidden>)"

    def created_body(self) -> dict[str, Any]:
        """What ``CreateAccessKey`` prints, once: the shape of RAM's CreateAccessKey response."""
        return {
            "RequestId": new_request_id(),
            "AccessKey": {
                "AccessKeyId": self.access_key_id,
                "AccessKeySecret": self.secret,
                "Status": self.status,
                "CreateDate": self.create_date,
            },
        }

    def listed(self) -> dict[str, str]:
        """What ListAccessKeys shows of a key: never its secret."""
        return {
            "AccessKeyId": self.access_key_id,
            "Status": self.status,
            "CreateDate": self.create_date,
        }


def _document_problem(table: str, document: dict[str, Any]) -> str | None:
    if table != TABLE:
        return "is in an unknown table"
    for field in _FIELDS:
        if not isinstance(document.get(field), str):
            return f"has no text field {field!r}"
    return None


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


class AccessKeyStore:
    """The access keys of a data directory; a lookup is one ``stat`` while the file is unchanged."""

    def __init__(self, home: Path) -> None:
        self.home = home
        ensure_private_dir(home)
        self._storage = AtomicJSONStorage(home / FILE_NAME, KIND, _document_problem)
        self._index: tuple[object, dict[str, AccessKey]] | None = None

    @property
    def path(self) -> Path:
        return self._storage.path

    def _keys(self) -> dict[str, AccessKey]:
        tables = self._storage.read() or {}
        documents = tables.get(TABLE, {})
        index = self._index
        if index is None or index[0] is not documents:
            keys = {
                d["AccessKeyId"]: AccessKey(
                    d["AccessKeyId"], d["AccessKeySecret"], d["Status"], d["CreateDate"]
                )
                for d in documents.values()
            }
            index = (documents, keys)
            self._index = index
        return index[1]

    def count(self) -> int:
        return len(self._keys())

    def get(self, access_key_id: str) -> AccessKey | None:
        return self._keys().get(access_key_id)

    def create(self) -> AccessKey:
        """A new active key with a fresh id and a 30-character secret from ``secrets``."""
        with busy_as_unavailable(), store_lock(self.home):
            existing = self._keys()
            access_key_id = ID_PREFIX + _random(ID_LENGTH - len(ID_PREFIX))
            while access_key_id in existing:
                access_key_id = ID_PREFIX + _random(ID_LENGTH - len(ID_PREFIX))
            key = AccessKey(access_key_id, _random(SECRET_LENGTH), ACTIVE, utc_second())
            self._table().insert(
                {
                    "AccessKeyId": key.access_key_id,
                    "AccessKeySecret": key.secret,
                    "Status": key.status,
                    "CreateDate": key.create_date,
                }
            )
        return key

    def list(self) -> list[AccessKey]:
        """Every key, oldest first."""
        return sorted(self._keys().values(), key=lambda k: (k.create_date, k.access_key_id))

    def update_status(self, access_key_id: str, status: str) -> AccessKey:
        """Make a key Active or Inactive; an unknown id is RAM's EntityNotExist.User.AccessKey."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        with busy_as_unavailable(), store_lock(self.home):
            key = self._existing(access_key_id)
            self._table().update({"Status": status}, Query().AccessKeyId == access_key_id)
        return AccessKey(key.access_key_id, key.secret, status, key.create_date)

    def delete(self, access_key_id: str) -> None:
        with busy_as_unavailable(), store_lock(self.home):
            self._existing(access_key_id)
            self._table().remove(Query().AccessKeyId == access_key_id)

    def _existing(self, access_key_id: str) -> AccessKey:
        key = self._keys().get(access_key_id)
        if key is None:
            raise ApiException(ge.ACCESS_KEY_ENTITY_NOT_EXIST)
        return key

    def _table(self) -> Table:
        """The keys' TinyDB table, written through the atomic storage (callers hold the lock)."""
        return TinyDB(storage=lambda: self._storage).table(TABLE, cache_size=0)

    def loose_permissions(self) -> builtins.list[str]:  # list: the method above
        """How to fix a data directory or key file that others may read or write (empty: none)."""
        fixes = []
        for path, mode in ((self.home, "700"), (self.path, "600")):
            try:
                found = os.stat(path)
            except FileNotFoundError:
                continue
            fix = loose_mode(path, found, OPEN_TO_OTHERS, mode)
            if fix:
                fixes.append(fix)
        return fixes
