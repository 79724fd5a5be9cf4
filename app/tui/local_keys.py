"""Whether this machine holds the private key of a key pair, and where (``~/.ssh``).

The folder is scanned by the engine (:func:`app.engine.key_scan.scan_folder`: the folder's own
files only, no link followed out of it, nothing written); that reads and parses every file, so
the key pairs screen runs it off the event loop and keeps the list for its details line.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.engine.key_scan import DEFAULT_FOLDER, KeyFileInfo, match_files
from app.engine.records import KeyPairRecord


def local_key_text(record: KeyPairRecord, files: Sequence[KeyFileInfo] | None) -> str:
    """The details line's last part: the files with its private key, or that there are none."""
    if files is None:
        return f"looking in {DEFAULT_FOLDER} for its private key…"
    private = match_files([record], files)[0].private_files
    if not private:
        return f"no private key for it in {DEFAULT_FOLDER}"
    where = ", ".join(f"{found.path} ({found.key_format})" for found in private)
    return f"private key on this machine: {where}"
