"""Saving a private key and its ``.pub`` beside it: the one way every door saves a key file.

* The key file is created ``0600`` from its first byte (``O_CREAT | O_EXCL | O_NOFOLLOW``), the
  ``.pub`` line ``0644``; nothing is ever overwritten and no link is followed at either path.
* Only the last folder level is made (``0700``, as ``~/.ssh`` wants); a missing folder above it
  is more likely a typo than a wish, so it is refused.
* What cannot be delivered is not left behind: a failed write removes what it wrote, and a
  ``.pub`` that cannot be written removes the key file written just before it.
* :func:`check_save_path` answers the same questions before anything is made, so a command can
  refuse a save before it creates a key pair.

Failures are ``ApiException`` with ``InvalidKeyFile.Path`` (refused) or ``InternalError``
(the disk failed), each message naming the path.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import errors
from .errors import ApiError, ApiException
from .file_writes import os_error_reason, remove_quietly, write_whole
from .key_formats import (
    KeyFormat,
    PrivateKey,
    public_key_line,
    public_key_of,
    serialize_private_key,
)

KEY_FILE_MODE = 0o600
PUBLIC_FILE_MODE = 0o644
FOLDER_MODE = 0o700
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True, slots=True)
class SavedKey:
    """Where a key was saved, and how."""

    private_path: Path
    public_path: Path
    key_format: KeyFormat
    encrypted: bool

    def body(self) -> dict[str, object]:
        """What the command line adds to its answer about the files."""
        return {
            "PrivateKeyFile": str(self.private_path),
            "PublicKeyFile": str(self.public_path),
            "KeyFormat": self.key_format,
            "Encrypted": self.encrypted,
        }


@dataclass(frozen=True, slots=True)
class SaveRequest:
    """What a door asks to save: the path as typed, the format, and the passphrase (a secret)."""

    path: str
    key_format: KeyFormat
    passphrase: bytes | None = field(default=None, repr=False)


def public_path_for(path: Path) -> Path:
    """``KEY.pub`` beside ``KEY``, as ssh-keygen names it (``web-1.pem`` → ``web-1.pem.pub``)."""
    return path.with_name(path.name + ".pub")


def _refused(path: Path, reason: str) -> ApiException:
    return ApiException(errors.key_file_refused(str(path), reason))


def save_path(typed: str) -> Path:
    """The path typed, ``~`` expanded; refused when empty or when it names a folder."""
    text = typed.strip()
    if not text:
        raise ApiException(errors.key_file_refused("''", "no path was given"))
    path = Path(text).expanduser()
    if text.endswith(os.sep) or path.name in ("", ".", ".."):
        raise _refused(path, "it names a folder; add a file name, such as web-1.pem")
    return path


def _check_absent(path: Path) -> None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _refused(path, os_error_reason(exc)) from None
    if stat.S_ISLNK(found.st_mode):
        raise _refused(path, "it is a symbolic link (refusing to write through it)")
    if stat.S_ISDIR(found.st_mode):
        raise _refused(path, "it is a folder")
    raise _refused(path, "a file is already there (it is never overwritten)")


def _check_folder(folder: Path, *, make: bool) -> None:
    """The folder must exist, or be one level below an existing folder (made 0700 if ``make``)."""
    try:
        found = os.stat(folder)  # a folder reached through a link (~/.ssh -> …) is fine
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _refused(folder, os_error_reason(exc)) from None
    else:
        if not stat.S_ISDIR(found.st_mode):
            raise _refused(folder, "it is not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise _refused(folder, "the folder cannot be written (permission denied)")
        return
    parent = folder.parent
    if not parent.is_dir():
        raise _refused(folder, f"there is no folder {parent}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refused(folder, f"the folder cannot be made in {parent} (permission denied)")
    if make:
        try:
            os.mkdir(folder, FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise _refused(folder, "it is not a folder") from None
        except OSError as exc:
            raise _refused(folder, os_error_reason(exc)) from None


def check_save_path(typed: str) -> ApiError | None:
    """Whether a key could be saved at ``typed`` now (nothing is made): the key file and its
    ``.pub`` must both be free, the folder usable. None when it could."""
    try:
        path = save_path(typed)
        _check_folder(path.parent, make=False)
        _check_absent(path)
        _check_absent(public_path_for(path))
    except ApiException as exc:
        return exc.error
    return None


def save_key(
    typed: str,
    private_key: PrivateKey,
    key_format: KeyFormat,
    comment: str,
    passphrase: bytes | None = None,
) -> SavedKey:
    """Write ``private_key`` in ``key_format`` at ``typed`` and its public line at ``….pub``.

    ``comment`` (the key pair name) ends the ``.pub`` line and goes inside the openssh and ppk
    files. Raises ApiException; on failure nothing this call wrote is left.
    """
    path = save_path(typed)
    public_path = public_path_for(path)
    _check_folder(path.parent, make=True)
    _check_absent(path)
    _check_absent(public_path)
    data = serialize_private_key(private_key, key_format, passphrase, comment)
    line = public_key_line(public_key_of(private_key), comment).encode("utf-8")
    _create(path, data, KEY_FILE_MODE)
    try:
        _create(public_path, line, PUBLIC_FILE_MODE)
    except BaseException:
        remove_quietly(path)
        raise
    return SavedKey(path, public_path, key_format, bool(passphrase))


def _create(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` exclusively with ``mode`` from its first byte and write all of ``data``."""
    try:
        fd = os.open(path, _CREATE, mode)
    except FileExistsError:
        raise _refused(path, "a file is already there (it is never overwritten)") from None
    except OSError as exc:
        raise _refused(path, os_error_reason(exc)) from None
    try:
        os.fchmod(fd, mode)  # the umask may have taken bits away; it never adds any
        write_whole(fd, data)
    except OSError as exc:
        os.close(fd)
        remove_quietly(path)  # never half a key
        raise ApiException(errors.key_file_write_failed(str(path), os_error_reason(exc))) from None
    os.close(fd)
