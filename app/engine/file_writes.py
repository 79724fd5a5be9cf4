"""The small steps every door that writes a key file shares: write it whole, take it back, and
say in words a person can act on why the file system refused.

Its own small module so that the screens can use it without importing any cryptography.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "it is a symbolic link (refusing to follow it)",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the name is too long",
}


def os_error_reason(exc: OSError) -> str:
    """An OSError in words a person can act on ("the disk is full"), for any door writing files."""
    return _REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def write_whole(fd: int, data: bytes) -> None:
    """All of ``data`` to ``fd`` (a write may take less than asked), then to the disk."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def remove_quietly(path: Path) -> None:
    """Take back a file this process wrote; one already gone is fine."""
    try:
        os.unlink(path)
    except OSError:
        pass
