"""Which local file holds which key: a key file's fingerprints, and a folder matched to key pairs.

Reading is bounded and read-only. A file is looked at (``lstat``) before it is opened, and only
a regular file of at most :data:`MAX_KEY_FILE_BYTES` is opened: no FIFO blocks a read, no device
is opened. A key's public half is read without computing with its private half
(:func:`ecs_keypair.keys.key_formats.public_key_in`). A folder scan reads the folder's own entries
only
(the first :data:`MAX_FOLDER_ENTRIES` the system lists, and says when there were more), follows
a symbolic link only to a file in that same folder, and keeps only the keys its caller asks for.
A file it cannot read is skipped and counted with the reason: one file never fails a scan.
Nothing here writes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.keys.key_formats import (
    KeyReadError,
    PassphraseError,
    is_encrypted,
    key_format_of,
    public_key_in,
)
from ecs_keypair.keys.key_save import public_path_for
from ecs_keypair.keys.material import SUPPORTED_KEY_TYPES, read_public_key_line

MAX_KEY_FILE_BYTES = 64 * 1024  # the largest RSA key file is under 4 KiB; authorized_keys fits
MAX_FOLDER_ENTRIES = 20_000
MAX_SKIPPED_LISTED = 20  # the skipped files named in an answer; all of them are counted
DEFAULT_FOLDER = "~/.ssh"
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_KINDS = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a symbolic link"),
)

Kind = Literal["private", "public"]


@dataclass(frozen=True, slots=True)
class KeyFileInfo:
    """One key found in a local file (never the private key itself, only its public half).

    ``key_format`` is ``pem``, ``openssh`` or ``ppk`` for a private key file, ``public`` for a
    public key line; ``source`` is where the public key was read: the file, or the ``.pub``
    beside an encrypted one.
    """

    path: Path
    kind: Kind
    key_format: str
    encrypted: bool
    public_key: PublicKey
    source: Path

    def body(self) -> dict[str, object]:
        """The ``fingerprint`` command's answer."""
        return {
            "File": str(self.path),
            "Kind": self.kind,
            "Format": self.key_format,
            "Encrypted": self.encrypted,
            "KeyType": self.public_key.key_type,
            "KeyPairFingerPrint": self.public_key.md5_fingerprint,
            "SHA256FingerPrint": self.public_key.sha256_fingerprint,
            "PublicKeySource": str(self.source),
        }

    def file_body(self) -> dict[str, object]:
        """One file in ``match``'s answer."""
        return {
            "Path": str(self.path),
            "Kind": self.kind,
            "Format": self.key_format,
            "Encrypted": self.encrypted,
        }


@dataclass(frozen=True, slots=True)
class KeyPairFiles:
    """A key pair of the region and the local files that hold its key."""

    record: KeyPairRecord
    files: tuple[KeyFileInfo, ...]

    @property
    def private_files(self) -> tuple[KeyFileInfo, ...]:
        """The files with its private key: what says "this machine can log in with it"."""
        return tuple(found for found in self.files if found.kind == "private")

    def body(self) -> dict[str, object]:
        return {
            "KeyPairName": self.record.key_pair_name,
            "KeyPairFingerPrint": self.record.fingerprint,
            "PrivateKeyOnThisMachine": bool(self.private_files),
            "Files": [found.file_body() for found in self.files],
        }


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file of the folder that a scan did not read, and why."""

    path: Path
    reason: str

    def body(self) -> dict[str, str]:
        return {"Path": str(self.path), "Reason": self.reason}


@dataclass(slots=True)
class FolderScan:
    """One folder scan: the keys it kept, the files it read, the ones it skipped (all counted,
    the first :data:`MAX_SKIPPED_LISTED` named) and whether it stopped at the entry limit."""

    folder: Path
    keys: list[KeyFileInfo] = field(default_factory=list)
    files_read: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    skipped_count: int = 0
    entry_limit_reached: bool = False

    def skip(self, path: Path, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_SKIPPED_LISTED:
            self.skipped.append(SkippedFile(path, reason))

    def body(self) -> dict[str, object]:
        """``match``'s account of what it read."""
        return {
            "FilesRead": self.files_read,
            "SkippedFiles": self.skipped_count,
            "Skipped": [found.body() for found in sorted(self.skipped, key=lambda s: s.path)],
            "EntryLimit": MAX_FOLDER_ENTRIES,
            "EntryLimitReached": self.entry_limit_reached,
        }


class UnreadableFile(Exception):
    """A file that is not opened or read; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _regular(found: os.stat_result) -> None:
    """Raise :class:`UnreadableFile` unless it is a regular file of at most the cap."""
    if not stat.S_ISREG(found.st_mode):
        kind = next((name for test, name in _KINDS if test(found.st_mode)), "a special file")
        raise UnreadableFile(f"not a regular file ({kind})")
    if found.st_size > MAX_KEY_FILE_BYTES:
        raise UnreadableFile(f"larger than {MAX_KEY_FILE_BYTES // 1024} KiB")


def _read_regular(name: str, dir_fd: int | None = None) -> bytes:
    """The bytes of the regular file ``name`` (a link is not followed: callers resolve it),
    looked at before it is opened and checked again once open (it may have been swapped
    meanwhile). Raises :class:`UnreadableFile`."""
    try:
        before = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError as exc:
        raise UnreadableFile(str(exc.strerror)) from None
    _regular(before)
    try:
        fd = os.open(name, _OPEN, dir_fd=dir_fd)
    except OSError as exc:
        raise UnreadableFile(str(exc.strerror)) from None
    try:
        found = os.fstat(fd)
        if (found.st_dev, found.st_ino) != (before.st_dev, before.st_ino):
            raise UnreadableFile("it was replaced while being opened")
        _regular(found)
        data = os.read(fd, MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(str(exc.strerror)) from None
    finally:
        os.close(fd)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise UnreadableFile(f"larger than {MAX_KEY_FILE_BYTES // 1024} KiB")
    return data


def read_named_file(typed: str | Path) -> bytes:
    """The bytes of a file the user named: a link to it is theirs and followed, its target
    looked at before it is opened; a regular file of at most :data:`MAX_KEY_FILE_BYTES`, else
    :class:`UnreadableFile`."""
    return _read_regular(os.path.realpath(Path(typed).expanduser()))


def _key_lines(path: Path, data: bytes) -> list[KeyFileInfo]:
    """Every OpenSSH public key line in the text (a ``.pub`` file, or ``authorized_keys``), read
    from its base64 without loading the key. Raises KeyReadError when lines look like keys
    (they start with a key type) and none of them reads."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    found: list[KeyFileInfo] = []
    problem: str | None = None
    for line in text.splitlines():
        words = line.split(None, 1)
        if not words or words[0] not in SUPPORTED_KEY_TYPES:
            continue  # blank, a comment, or not a key line (known_hosts, config)
        parsed = read_public_key_line(line)
        if isinstance(parsed, PublicKey):
            found.append(KeyFileInfo(path, "public", "public", False, parsed, path))
        elif problem is None:
            problem = parsed.reason
    if not found and problem is not None:
        raise KeyReadError(problem)
    return found


def keys_in(path: Path, data: bytes) -> list[KeyFileInfo]:
    """The keys a file's bytes show without a passphrase: empty for a file that holds no key;
    KeyReadError with the reason for one that holds a key that does not read."""
    key_format = key_format_of(data)
    if key_format is None:
        return _key_lines(path, data)
    try:
        public = public_key_in(data)
    except PassphraseError:
        raise KeyReadError(
            "encrypted, and its public key is not in the file (a .pub beside it is read as a "
            "file of its own)"
        ) from None
    return [KeyFileInfo(path, "private", key_format, is_encrypted(data), public, path)]


def read_key_file(typed: str | Path, passphrase: bytes | None = None) -> KeyFileInfo:
    """The key in one file the user named: a public key line, or a pem, openssh or ppk private
    key. An encrypted one is opened with ``passphrase`` when given; without one its clear
    public part is used (openssh, ppk), else the ``.pub`` beside it.

    Raises ApiException: ``InvalidKeyFile.Malformed`` or ``InvalidPassphrase``.
    """
    path = Path(typed).expanduser()
    try:
        data = read_named_file(path)
    except UnreadableFile as exc:
        raise ApiException(errors.key_file_unreadable(str(path), exc.reason)) from None
    key_format = key_format_of(data)
    try:
        if key_format is None:
            found = _key_lines(path, data)
            if not found:
                raise KeyReadError("not a public key line or a private key")
            return found[0]
        try:
            public = public_key_in(data, passphrase)
        except PassphraseError as exc:
            if passphrase:
                raise ApiException(errors.wrong_passphrase(str(path), str(exc))) from None
            return _from_public_beside(path, key_format)
    except KeyReadError as exc:
        raise ApiException(errors.key_file_unreadable(str(path), str(exc))) from None
    return KeyFileInfo(path, "private", key_format, is_encrypted(data), public, path)


def _from_public_beside(path: Path, key_format: str) -> KeyFileInfo:
    for candidate in (public_path_for(path), path.with_suffix(".pub")):
        try:
            keys = _key_lines(candidate, read_named_file(candidate))
        except (UnreadableFile, KeyReadError):
            continue
        if keys:
            return KeyFileInfo(path, "private", key_format, True, keys[0].public_key, candidate)
    raise ApiException(
        errors.wrong_passphrase(
            str(path),
            f"the key is encrypted and there is no {public_path_for(path).name} beside it: "
            "give the passphrase with --passphrase-file or --passphrase-env",
        )
    )


def scan_folder(typed: str | Path, keep: Callable[[KeyFileInfo], bool]) -> FolderScan:
    """The keys readable without a passphrase in the folder's own files that ``keep`` wants
    (only those are held), with the account of what was read and skipped (see the module
    docstring for the bounds). A folder that cannot be read is ``InvalidKeyFile.Malformed``."""
    folder = Path(typed).expanduser()
    real = os.path.realpath(folder)
    try:
        dir_fd = os.open(real, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise ApiException(
            errors.key_file_unreadable(
                str(folder), f"not a folder that can be read ({exc.strerror})"
            )
        ) from None
    scan = FolderScan(folder)
    try:
        with os.scandir(dir_fd) as entries:
            for count, entry in enumerate(entries):
                if count == MAX_FOLDER_ENTRIES:
                    scan.entry_limit_reached = True
                    break
                if not entry.is_dir(follow_symlinks=False):  # no subfolders
                    _scan_file(scan, real, entry.name, dir_fd, keep)
    finally:
        os.close(dir_fd)
    scan.keys.sort(key=lambda found: found.path)
    return scan


def _scan_file(
    scan: FolderScan, real_folder: str, name: str, dir_fd: int, keep: Callable[[KeyFileInfo], bool]
) -> None:
    path = scan.folder / name
    try:
        data = _read_regular(_inside(real_folder, name, dir_fd), dir_fd)
    except UnreadableFile as exc:
        scan.skip(path, exc.reason)
        return
    scan.files_read += 1
    try:
        found = keys_in(path, data)
    except KeyReadError as exc:
        scan.skip(path, str(exc))
        return
    except Exception as exc:  # a parser failing in a way nobody foresaw costs this file only
        scan.skip(path, f"unexpected failure reading it ({type(exc).__name__})")
        return
    scan.keys.extend(key for key in found if keep(key))


def _inside(real_folder: str, name: str, dir_fd: int) -> str:
    """The name to open for ``name``: itself, or the file in the same folder its link names
    (raises :class:`UnreadableFile` for a link out of the folder)."""
    try:
        found = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError as exc:
        raise UnreadableFile(str(exc.strerror)) from None
    if not stat.S_ISLNK(found.st_mode):
        return name
    target = os.path.realpath(os.path.join(real_folder, name))
    if os.path.dirname(target) != real_folder:
        raise UnreadableFile("a link out of the folder")
    return os.path.basename(target)


def scan_private_keys(typed: str | Path = DEFAULT_FOLDER) -> FolderScan:
    """The folder's private key files: what says this machine can log in with a key pair."""
    return scan_folder(typed, lambda found: found.kind == "private")


def _record_fingerprint(record: KeyPairRecord) -> str:
    parsed = read_public_key_line(record.public_key) if record.public_key else None
    return parsed.md5_fingerprint if isinstance(parsed, PublicKey) else record.fingerprint


def match_files(
    records: Sequence[KeyPairRecord], files: Sequence[KeyFileInfo]
) -> list[KeyPairFiles]:
    """Each key pair with the files whose key has its fingerprint (MD5, as the API shows it)."""
    by_fingerprint: dict[str, list[KeyFileInfo]] = {}
    for found in files:
        by_fingerprint.setdefault(found.public_key.md5_fingerprint, []).append(found)
    return [
        KeyPairFiles(record, tuple(by_fingerprint.get(_record_fingerprint(record), ())))
        for record in records
    ]


def match_folder(
    records: Sequence[KeyPairRecord], typed: str | Path = DEFAULT_FOLDER
) -> tuple[list[KeyPairFiles], FolderScan]:
    """Each key pair with the folder's files that hold its key, and the scan's account. The
    records' fingerprints are known first, so only files holding one of them are kept."""
    wanted = {_record_fingerprint(record) for record in records}
    scan = scan_folder(typed, lambda found: found.public_key.md5_fingerprint in wanted)
    return match_files(records, scan.keys), scan
