"""Writing a private key to a file: owner-only from its first byte, never through a symlink.

* The file is created with ``os.open(O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)``: no moment exists
  when another user could open it, and nothing is chmod-ed afterwards.
* A symbolic link at the path is refused, whatever it points to (a dangling one included).
* An existing file is replaced only when the caller says so (after the user's explicit yes), and
  then safely: a new 0600 file is written beside it and renamed over it, so the old key stays
  whole until the new one is complete, and a rename replaces a link, never its target.
* Only the last folder level is created (mode 0700, as ``~/.ssh`` wants); a missing folder above
  it is reported, since it is more likely a typo than a wish.

Every failure is a :class:`KeyFileError` whose message a person can act on.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from app.engine.file_writes import os_error_reason, remove_quietly, write_whole

KEY_FILE_MODE = 0o600
KEY_FOLDER_MODE = 0o700
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class KeyFileError(Exception):
    """The key could not be written; the message says why, in words a person can act on."""


class KeyFileExists(KeyFileError):
    """A file is already at the path: replacing it needs the user's explicit yes."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def default_key_path(key_pair_name: str) -> str:
    """Where the save dialog proposes to put a key: ``~/.ssh/<KeyPairName>.pem``."""
    return f"~/.ssh/{key_pair_name}.pem"


def key_path(typed: str) -> Path:
    """The path the user typed, with ``~`` expanded; an empty one is refused."""
    text = typed.strip()
    if not text:
        raise KeyFileError("enter the path of the file to write")
    path = Path(text).expanduser()
    if text.endswith(os.sep) or path.name in ("", ".", ".."):
        raise KeyFileError(f"{text} names a folder: add a file name, such as key.pem")
    return path


def write_private_key(path: Path, pem: str, *, replace: bool = False) -> Path:
    """Write ``pem`` to ``path`` (see the module docstring); returns the path written."""
    data = pem.encode("ascii")
    _ensure_folder(path.parent)
    existing = _lstat(path)
    if existing is None:
        try:
            _write_new(path, data)
        except FileExistsError:  # appeared since the lstat above
            raise KeyFileExists(path) from None
        return path
    _check_replaceable(path, existing)
    if not replace:
        raise KeyFileExists(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    _write_new(temp, data)
    try:
        latest = _lstat(path)
        if latest is not None:
            _check_replaceable(path, latest)
        os.replace(temp, path)
    except BaseException as exc:
        remove_quietly(temp)
        if isinstance(exc, OSError):
            raise _failure(exc, path) from None
        raise
    return path


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _failure(exc, path) from None


def _check_replaceable(path: Path, found: os.stat_result) -> None:
    if stat.S_ISLNK(found.st_mode):
        raise KeyFileError(f"{path} is a symbolic link: refusing to write through it")
    if stat.S_ISDIR(found.st_mode):
        raise KeyFileError(f"{path} is a folder, not a file")
    if not stat.S_ISREG(found.st_mode):
        raise KeyFileError(f"{path} is not a regular file")


def _ensure_folder(folder: Path) -> None:
    """The folder must exist; only its last level is created (0700), never the ones above."""
    try:
        found = os.stat(folder)  # a folder reached through a link (~/.ssh -> ...) is fine
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _failure(exc, folder) from None
    else:
        if not stat.S_ISDIR(found.st_mode):
            raise KeyFileError(f"{folder} is not a folder")
        return
    if not folder.parent.is_dir():
        raise KeyFileError(f"no such folder: {folder.parent}")
    try:
        os.mkdir(folder, KEY_FOLDER_MODE)
    except FileExistsError:
        if not folder.is_dir():
            raise KeyFileError(f"{folder} is not a folder") from None
    except OSError as exc:
        raise _failure(exc, folder) from None


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (0600, exclusive, not through a link) and write all of ``data`` to it."""
    try:
        fd = os.open(path, _CREATE_FLAGS, KEY_FILE_MODE)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _failure(exc, path) from None
    try:
        write_whole(fd, data)
    except OSError as exc:
        os.close(fd)
        remove_quietly(path)  # never leave half a key behind
        raise _failure(exc, path) from None
    os.close(fd)


def _failure(exc: OSError, path: Path) -> KeyFileError:
    return KeyFileError(f"cannot write {path}: {os_error_reason(exc)}")
