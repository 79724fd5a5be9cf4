"""Saving a private key and its ``.pub`` beside it: the one way every door saves a key file.

* The key file is created ``0600`` from its first byte, the ``.pub`` line ``0644``, both by
  :func:`ecs_keypair.keys.file_writes.write_new` (``O_CREAT | O_EXCL | O_NOFOLLOW``); no link is
  ever
  followed or replaced at either path, and no folder.
* An existing file is overwritten only with ``replace=True``, which a door passes after the
  user's explicit yes: both new files are written whole beside the old ones before either is
  renamed over its old one, so a failed write leaves the old pair as it was.
* Only the last folder level is made (``0700`` whatever the umask, as ``~/.ssh`` wants); a
  missing folder above it is more likely a typo than a wish, so it is refused.
* What cannot be delivered is not left behind: a failed write removes what it wrote, a
  ``.pub`` that cannot be written removes the key file written just before it, and a save
  that fails removes the folder it made for them.
* :func:`check_save_path` answers the same questions before anything is made, so a command can
  refuse a save before it creates a key pair; :func:`file_to_replace` tells a door when a save
  needs its user's yes.

Failures are ``ApiException`` with ``InvalidKeyFile.Path`` (refused) or ``InternalError``
(the disk failed), each message naming the path.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.keys.file_writes import (
    WriteFailed,
    os_error_reason,
    remove_folder_quietly,
    remove_quietly,
    sync_folder,
    temp_path,
    write_new,
)
from ecs_keypair.keys.key_formats import (
    PrivateKey,
    public_key_line,
    serialize_private_key,
)
from ecs_keypair.keys.key_specs import KeyFormat

KEY_FILE_MODE = 0o600
PUBLIC_FILE_MODE = 0o644
FOLDER_MODE = 0o700
_NEVER_OVERWRITTEN = "a file is already there (it is never overwritten)"


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


def _check_absent(path: Path, *, replace: bool = False) -> None:
    """Nothing is at ``path``; with ``replace``, a regular file may be (it is to be replaced)."""
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
    if not stat.S_ISREG(found.st_mode):
        raise _refused(path, "it is not a regular file")
    if not replace:
        raise _refused(path, _NEVER_OVERWRITTEN)


def _check_folder(folder: Path) -> bool:
    """The folder must exist, or be one level below an existing folder; True when it is to be
    made (by :func:`_make_folder`)."""
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
        return False
    parent = folder.parent
    if not parent.is_dir():
        raise _refused(folder, f"there is no folder {parent}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refused(folder, f"the folder cannot be made in {parent} (permission denied)")
    return True


def _make_folder(folder: Path) -> bool:
    """Make ``folder`` 0700 whatever the umask (under ``umask 777`` it would be 000 and refuse
    the key file); False when another process made it first."""
    try:
        os.mkdir(folder, FOLDER_MODE)
    except FileExistsError:
        if not folder.is_dir():
            raise _refused(folder, "it is not a folder") from None
        return False
    except OSError as exc:
        raise _refused(folder, os_error_reason(exc)) from None
    try:
        os.chmod(folder, FOLDER_MODE)
    except OSError as exc:
        remove_folder_quietly(folder)
        raise _refused(folder, os_error_reason(exc)) from None
    return True


def check_save_path(typed: str) -> ApiError | None:
    """Whether a key could be saved at ``typed`` now (nothing is made): the key file and its
    ``.pub`` must both be free, the folder usable. None when it could."""
    try:
        path = save_path(typed)
        _check_folder(path.parent)
        _check_absent(path)
        _check_absent(public_path_for(path))
    except ApiException as exc:
        return exc.error
    return None


def file_to_replace(typed: str) -> Path | None:
    """The regular file (the key's, else its ``.pub``) a save at ``typed`` would overwrite, so
    a door can ask its user before it passes ``replace=True``; None when there is none (or the
    path is refused anyway: the save says why)."""
    try:
        path = save_path(typed)
    except ApiException:
        return None
    for target in (path, public_path_for(path)):
        try:
            if stat.S_ISREG(os.lstat(target).st_mode):
                return target
        except OSError:
            pass
    return None


def save_key(
    typed: str,
    private_key: PrivateKey,
    key_format: KeyFormat,
    comment: str,
    passphrase: bytes | None = None,
    *,
    replace: bool = False,
) -> SavedKey:
    """Write ``private_key`` in ``key_format`` at ``typed`` and its public line at ``….pub``.

    ``comment`` (the key pair name) ends the ``.pub`` line and goes inside the openssh and ppk
    files. ``replace`` (only after the user's explicit yes) lets regular files there be replaced.
    Raises ApiException; on failure nothing this call wrote is left, nor the folder it made.
    """
    path = save_path(typed)
    public_path = public_path_for(path)
    missing = _check_folder(path.parent)
    _check_absent(path, replace=replace)
    _check_absent(public_path, replace=replace)
    data = serialize_private_key(private_key, key_format, passphrase, comment)
    line = public_key_line(private_key, comment).encode("utf-8")
    files = ((path, data, KEY_FILE_MODE), (public_path, line, PUBLIC_FILE_MODE))
    made = missing and _make_folder(path.parent)
    try:
        if replace:
            _replace_both(files)
        else:
            _create_both(files)
    except BaseException:
        if made:
            remove_folder_quietly(path.parent)
        raise
    return SavedKey(path, public_path, key_format, bool(passphrase))


_Files = tuple[tuple[Path, bytes, int], ...]


def _create_both(files: _Files) -> None:
    """Each file new, in order; one that fails takes back those written before it."""
    written: list[Path] = []
    try:
        for path, data, mode in files:
            _write(path, data, mode, shown=path)
            written.append(path)
    except BaseException:
        for path in written:
            remove_quietly(path)
        raise


def _replace_both(files: _Files) -> None:
    """Every new file whole beside its old one first, then each renamed over the old one."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data, mode in files:
            temp = temp_path(path)
            _write(temp, data, mode, shown=path)
            staged.append((temp, path))
        for temp, path in staged:
            _check_absent(path, replace=True)  # still no link or folder: it may have changed
            try:
                os.replace(temp, path)
            except OSError as exc:
                raise _write_failed(path, exc) from None
        key_path = files[0][0]
        try:
            sync_folder(key_path.parent)  # the renames survive a crash, as replace_whole's do
        except OSError as exc:
            raise _write_failed(key_path, exc) from None
    finally:
        for temp, _path in staged:
            remove_quietly(temp)  # gone after its rename; otherwise never left behind


def _write(path: Path, data: bytes, mode: int, *, shown: Path) -> None:
    """:func:`write_new` in the API's words, which name ``shown`` (the path the user typed)."""
    try:
        write_new(path, data, mode=mode)
    except FileExistsError:
        raise _refused(shown, _NEVER_OVERWRITTEN) from None
    except WriteFailed as exc:
        raise _write_failed(shown, exc) from None
    except OSError as exc:
        raise _refused(shown, os_error_reason(exc)) from None


def _write_failed(path: Path, exc: OSError) -> ApiException:
    return ApiException(errors.key_file_write_failed(str(path), os_error_reason(exc)))
