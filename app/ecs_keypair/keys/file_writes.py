"""Writing files whole and owner-only: the one place the store, the preferences and key files
get their write steps from, and words a person can act on when the file system refuses.

* :func:`write_new` creates a file that did not exist (``O_CREAT | O_EXCL | O_NOFOLLOW``, with
  its mode, 0600 unless told, from its first byte), writes all of it and fsyncs it; on failure
  the partial file is removed. Every file this project writes is created by it.
* :func:`replace_whole` writes a new file beside the old one that way, renames it over the old
  one and fsyncs the folder: a crash leaves the old content or the new, never half of either.
* :func:`create_whole` puts a file where none is, whole or not at all (a hard link of a complete
  temporary file): of two processes racing to create it, one wins, the other gets
  ``FileExistsError``.

Failures are the ``OSError`` of the step that failed (:class:`WriteFailed` once the file had
been created); each caller words them for its own users. Its own small module so that the
screens can use it without importing any cryptography.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

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


class WriteFailed(OSError):
    """The file was created but could not be written whole (a full disk, say); it was removed.

    Apart from a refused path (the OSError of ``os.open``), a caller may word it as a failure
    of the disk rather than of the path."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def remove_quietly(path: Path) -> None:
    """Take back a file this process wrote; one already gone is fine."""
    try:
        os.unlink(path)
    except OSError:
        pass


def remove_folder_quietly(path: Path) -> None:
    """Take back a folder this process made; one that is gone, or no longer empty, is left."""
    try:
        os.rmdir(path)
    except OSError:
        pass


def temp_path(path: Path) -> Path:
    """A fresh hidden name beside ``path`` (``.name.<random>.tmp``); leftovers match that glob."""
    return path.with_name(f".{path.name}.{os.urandom(8).hex()}.tmp")


def write_new(
    path: Path, data: bytes, *, mode: int = PRIVATE_FILE_MODE, mtime_ns: int | None = None
) -> None:
    """Create ``path`` (exclusive, ``mode`` from its first byte, not through a link), write all
    of ``data``, fsync it. ``FileExistsError`` when anything, a link included, is at ``path``."""
    fd = os.open(path, _CREATE_FLAGS, mode)
    try:
        os.fchmod(fd, mode)  # the umask may have taken bits away (a .pub's 0644); it adds none
        _write_all(fd, data)
        if mtime_ns is not None:
            os.utime(fd, ns=(mtime_ns, mtime_ns))
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        remove_quietly(path)  # never leave half a file behind
        if isinstance(exc, OSError):
            raise WriteFailed(exc.errno, exc.strerror) from exc
        raise
    os.close(fd)


def replace_whole(
    path: Path, data: bytes, *, mode: int = PRIVATE_FILE_MODE, mtime_ns: int | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically; a link at ``path`` is replaced, never followed."""
    temp = temp_path(path)
    write_new(temp, data, mode=mode, mtime_ns=mtime_ns)
    try:
        os.replace(temp, path)
    except BaseException:
        remove_quietly(temp)
        raise
    sync_folder(path.parent)


def create_whole(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, whole or not at all; ``FileExistsError`` if it exists."""
    temp = temp_path(path)
    write_new(temp, data)
    try:
        os.link(temp, path, follow_symlinks=False)
    finally:
        remove_quietly(temp)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` survive a crash."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
