"""Whether this machine holds the private key of a key pair, and where (``~/.ssh``).

The folder is scanned by the engine (:func:`app.engine.key_scan.scan_private_keys`: the folder's
own files only, no link followed out of it, nothing written); that reads and parses every file,
so the key pairs screen runs it in a daemon thread (quitting never waits for it) and keeps the
private key files it found for its details line.
"""

from __future__ import annotations

from app.engine.key_scan import DEFAULT_FOLDER, FolderScan, match_files
from app.engine.records import KeyPairRecord


def local_key_text(record: KeyPairRecord, scan: FolderScan | None) -> str:
    """The details line's last part: the files with its private key, or that there are none,
    and how many files of the folder could not be read."""
    if scan is None:
        return f"looking in {DEFAULT_FOLDER} for its private key…"
    private = match_files([record], scan.keys)[0].private_files
    skipped = f" ({scan.skipped_count} unreadable files skipped)" if scan.skipped_count else ""
    if not private:
        return f"no private key for it in {DEFAULT_FOLDER}{skipped}"
    where = ", ".join(f"{found.path} ({found.key_format})" for found in private)
    return f"private key on this machine: {where}{skipped}"
