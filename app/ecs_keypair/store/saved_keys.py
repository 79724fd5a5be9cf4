"""Where this machine saved private keys: a path and a format per key, never the key itself.

``saved-keys.json`` in the data directory, one entry per key and file: the key's MD5
fingerprint (as the API shows it, so every key pair holding that key, in any region and on any
backend, finds it), the private key file's absolute path, its format and when it was saved.
Written by the doors after a save succeeded (``CreateKeyPair --save``, ``keygen --save``,
``rotate --save``, the results screen's save); read by ``match`` and the key pairs screen, which
say when a file is no longer where it was saved, and by ``rotate``, which attaches a key pair
that exists already only when a file its key was saved to here is still there. Scanning
``~/.ssh`` stays for keys that other tools saved.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.ids import utc_second
from ecs_keypair.keys.key_save import SavedKey
from ecs_keypair.store.busy_answer import busy_as_unavailable
from ecs_keypair.store.settings import lock_timeout
from ecs_keypair.store.storage import AtomicJSONStorage, store_lock
from ecs_keypair.store.store_paths import StoreError, ensure_private_dir

SAVED_KEYS_FILE = "saved-keys.json"
SAVED = "saved"
_FIELDS = ("KeyPairFingerPrint", "Path", "Format", "SavedAt")


def _check(table: str, document: dict[str, Any]) -> str | None:
    if table != SAVED:
        return "is in an unknown table"
    if not all(isinstance(document.get(field), str) for field in _FIELDS):
        return "is not a saved key's path and format"
    return None


@dataclass(frozen=True, slots=True)
class SavedPlace:
    """One file a key was saved to."""

    path: Path
    key_format: str
    saved_at: str

    @property
    def gone(self) -> bool:
        """Whether nothing is at the path any more (moved or deleted since)."""
        return not os.path.lexists(self.path)

    def body(self) -> dict[str, object]:
        return {
            "Path": str(self.path),
            "KeyFormat": self.key_format,
            "SavedAt": self.saved_at,
            "State": "MovedOrDeleted" if self.gone else "There",
        }


class SavedKeys:
    """The saved keys' places, by fingerprint; see the module docstring."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._storage = AtomicJSONStorage(home / SAVED_KEYS_FILE, "saved-keys", _check)

    def places(self, fingerprint: str) -> list[SavedPlace]:
        """The files the key with this MD5 fingerprint was saved to, oldest first."""
        documents = (self._storage.read() or {}).get(SAVED, {}).values()
        return [
            SavedPlace(Path(d["Path"]), d["Format"], d["SavedAt"])
            for d in documents
            if d["KeyPairFingerPrint"] == fingerprint
        ]

    def holds(self, fingerprint: str) -> bool:
        """Whether a file this machine saved the key with this MD5 fingerprint to is still
        there: the record ``rotate`` asks before it attaches a key pair that exists already."""
        return any(not place.gone for place in self.places(fingerprint))

    def remember_saved(self, fingerprint: str, saved: SavedKey | None) -> None:
        """Remember where a key was just saved, if it was. The save stands whatever happens
        here: a data folder that cannot be written (or a lock held too long) leaves it
        unremembered, and scanning still finds a file saved in ``~/.ssh``."""
        if saved is None:
            return
        try:
            self.remember(fingerprint, saved.private_path, saved.key_format)
        except (StoreError, ApiException, OSError):
            pass

    def remember(self, fingerprint: str, path: Path, key_format: str) -> None:
        """The key was saved to ``path`` now (a save to the same path replaces the entry)."""
        ensure_private_dir(self.home)
        entry = {
            "KeyPairFingerPrint": fingerprint,
            "Path": str(path.absolute()),
            "Format": key_format,
            "SavedAt": utc_second(),
        }
        with busy_as_unavailable(), store_lock(self.home, lock_timeout()):
            documents = (self._storage.read() or {}).get(SAVED, {}).values()
            kept = [d for d in documents if d["Path"] != entry["Path"]]
            self._storage.write(
                {SAVED: {str(n): d for n, d in enumerate([*kept, entry], 1)}}
            )

