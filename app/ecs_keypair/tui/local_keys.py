"""Whether this machine holds the private key of a key pair, and where: in ``~/.ssh``, or beside
a public key file the user imported from (``~/keys/id_ed25519`` beside ``id_ed25519.pub``).

The folder is scanned by the engine (:func:`ecs_keypair.keys.key_scan.scan_private_keys`: the
folder's
own files only, no link followed out of it, nothing written); that reads and parses every file,
so the key pairs screen runs :func:`find_local_keys` in a daemon thread (quitting never waits for
it) and keeps the private key files it found for its details line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.keys.key_scan import (
    DEFAULT_FOLDER,
    FolderScan,
    KeyFileInfo,
    match_files,
    read_key_file,
    scan_private_keys,
)
from ecs_keypair.store.saved_keys import SavedPlace


@dataclass(frozen=True, slots=True)
class LocalKeys:
    """The private key files found: ``~/.ssh``'s, and those beside imported public key files."""

    folder: FolderScan
    beside: tuple[KeyFileInfo, ...] = ()


def no_local_keys() -> LocalKeys:
    """What a machine without ``~/.ssh`` holds."""
    return LocalKeys(FolderScan(Path(DEFAULT_FOLDER)))


def private_key_beside(public_file: Path) -> KeyFileInfo | None:
    """The private key in the file that ``public_file`` names without ``.pub``, if there is one
    (only its public half is read; an encrypted one is matched by its ``.pub``)."""
    path = public_file.expanduser().absolute()
    if path.suffix != ".pub":
        return None
    try:
        found = read_key_file(path.with_suffix(""))
    except ApiException:  # no such file, or not a key: nothing beside it
        return None
    return found if found.kind == "private" else None


def find_local_keys(public_files: Iterable[Path] = ()) -> LocalKeys:
    """``~/.ssh``'s private key files (none if there is no such folder), and the private keys
    beside ``public_files``."""
    try:
        folder = scan_private_keys()
    except ApiException:
        folder = FolderScan(Path(DEFAULT_FOLDER))
    beside = (private_key_beside(path) for path in public_files)
    return LocalKeys(folder, tuple(found for found in beside if found is not None))


def local_key_text(
    record: KeyPairRecord, keys: LocalKeys | None, saved: Sequence[SavedPlace] = ()
) -> str:
    """The details line's last part: the files with its private key (found, or where this
    machine saved it), or that there are none; a file saved here that is gone since; and how
    many files of the folder could not be read."""
    if keys is None:
        return f"looking in {DEFAULT_FOLDER} for its private key…"
    files = match_files([record], [*keys.folder.keys, *keys.beside])[0].private_files
    private = list({found.path: found for found in files}.values())  # ~/.ssh's and beside
    found_paths = {found.path.absolute() for found in private}
    where = [f"{found.path} ({found.key_format})" for found in private] + [
        f"{place.path} ({place.key_format}, saved here)"
        for place in saved
        if not place.gone and place.path not in found_paths
    ]
    gone = [f"{place.path} ({place.key_format})" for place in saved if place.gone]
    skipped = keys.folder.skipped_count
    skipped_text = f" ({skipped} unreadable files skipped)" if skipped else ""
    text = (
        f"private key on this machine: {', '.join(where)}"
        if where
        else f"no private key for it in {DEFAULT_FOLDER}"
    )
    if gone:
        text += f"; saved to {', '.join(gone)}, moved or deleted since"
    return text + skipped_text
