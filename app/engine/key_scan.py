"""Which local file holds which key: a key file's fingerprints, and a folder matched to key pairs.

Reading is bounded and read-only: files over :data:`MAX_KEY_FILE_BYTES` are skipped, a folder
scan looks at its own entries only (at most :data:`MAX_FOLDER_ENTRIES`), follows a symbolic link
only to a file in that same folder, opens nothing that is not a regular file (no FIFO can block
it), and skips whatever it cannot parse. Nothing here writes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import errors
from .errors import ApiException
from .key_formats import (
    KeyReadError,
    PassphraseError,
    clear_public_key,
    is_encrypted,
    key_format_of,
    load_private_key,
    public_key_of,
)
from .key_save import public_path_for
from .keys import PublicKey, parse_public_key
from .records import KeyPairRecord

MAX_KEY_FILE_BYTES = 64 * 1024  # the largest RSA key file is under 4 KiB; authorized_keys fits
MAX_FOLDER_ENTRIES = 5000
DEFAULT_FOLDER = "~/.ssh"
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC

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


def _read_regular(name: str | Path, dir_fd: int | None = None) -> bytes | None:
    """The bytes of a regular file of at most the cap (no link followed), or None."""
    try:
        fd = os.open(name, _OPEN, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_KEY_FILE_BYTES:
            return None
        data = os.read(fd, MAX_KEY_FILE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_KEY_FILE_BYTES else None


def _public_lines(data: bytes) -> list[PublicKey]:
    """Every OpenSSH public key line in the text (a ``.pub`` file, or ``authorized_keys``)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    found: list[PublicKey] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parsed = parse_public_key(line)
        if isinstance(parsed, PublicKey):
            found.append(parsed)
    return found


def keys_in(path: Path, data: bytes) -> list[KeyFileInfo]:
    """The keys a file's bytes show without a passphrase (empty when none can be read)."""
    key_format = key_format_of(data)
    if key_format is None:
        return [KeyFileInfo(path, "public", "public", False, key, path) for key in _public_lines(data)]
    encrypted = is_encrypted(data)
    public = clear_public_key(data)
    if public is None and not encrypted:
        try:
            public = public_key_of(load_private_key(data))
        except KeyReadError:
            return []
    return [] if public is None else [KeyFileInfo(path, "private", key_format, encrypted, public, path)]


def read_key_file(typed: str | Path, passphrase: bytes | None = None) -> KeyFileInfo:
    """The key in one file the user named: a public key line, or a pem, openssh or ppk private
    key. An encrypted one is opened with ``passphrase`` when given; without one its clear
    public part is used (openssh, ppk), else the ``.pub`` beside it.

    Raises ApiException: ``InvalidKeyFile.Malformed`` or ``InvalidPassphrase``.
    """
    path = Path(typed).expanduser()
    data = _read_regular(os.path.realpath(path))  # the user named it: a link to it is theirs
    if data is None:
        raise ApiException(
            errors.key_file_unreadable(
                str(path), f"not a readable file of at most {MAX_KEY_FILE_BYTES // 1024} KiB"
            )
        )
    key_format = key_format_of(data)
    if key_format is not None and passphrase and is_encrypted(data):
        try:
            public = public_key_of(load_private_key(data, passphrase))
        except PassphraseError as exc:
            raise ApiException(errors.wrong_passphrase(str(path), str(exc))) from None
        except KeyReadError as exc:
            raise ApiException(errors.key_file_unreadable(str(path), str(exc))) from None
        return KeyFileInfo(path, "private", key_format, True, public, path)
    found = keys_in(path, data)
    if found:
        return found[0]
    if key_format is None:
        raise ApiException(
            errors.key_file_unreadable(str(path), "not a public key line or a private key")
        )
    if not is_encrypted(data):
        raise ApiException(errors.key_file_unreadable(str(path), "the private key does not load"))
    return _from_public_beside(path, key_format)


def _from_public_beside(path: Path, key_format: str) -> KeyFileInfo:
    for candidate in (public_path_for(path), path.with_suffix(".pub")):
        data = _read_regular(os.path.realpath(candidate))
        keys = _public_lines(data) if data else []
        if keys:
            return KeyFileInfo(path, "private", key_format, True, keys[0], candidate)
    raise ApiException(
        errors.wrong_passphrase(
            str(path),
            f"the key is encrypted and there is no {public_path_for(path).name} beside it: "
            "give the passphrase with --passphrase-file or --passphrase-env",
        )
    )


def scan_folder(typed: str | Path = DEFAULT_FOLDER) -> list[KeyFileInfo]:
    """Every key readable without a passphrase in the folder's own files (see the module
    docstring for the bounds). A folder that cannot be read is ``InvalidKeyFile.Malformed``."""
    folder = Path(typed).expanduser()
    real = os.path.realpath(folder)
    try:
        dir_fd = os.open(real, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise ApiException(
            errors.key_file_unreadable(str(folder), f"not a folder that can be read ({exc.strerror})")
        ) from None
    found: list[KeyFileInfo] = []
    try:
        for name in sorted(os.listdir(dir_fd))[:MAX_FOLDER_ENTRIES]:
            target = _inside(real, name, dir_fd)
            if target is None:
                continue
            data = _read_regular(target, dir_fd)
            if data is not None:
                found.extend(keys_in(folder / name, data))
    finally:
        os.close(dir_fd)
    return found


def _inside(real_folder: str, name: str, dir_fd: int) -> str | None:
    """The name to open for ``name``: itself, or the file in the same folder its link names."""
    try:
        found = os.lstat(name, dir_fd=dir_fd)
    except OSError:
        return None
    if not stat.S_ISLNK(found.st_mode):
        return name
    target = os.path.realpath(os.path.join(real_folder, name))
    return os.path.basename(target) if os.path.dirname(target) == real_folder else None


def _record_fingerprint(record: KeyPairRecord) -> str:
    parsed = parse_public_key(record.public_key) if record.public_key else None
    return parsed.md5_fingerprint if isinstance(parsed, PublicKey) else record.fingerprint


def match_files(
    records: Sequence[KeyPairRecord], files: Iterable[KeyFileInfo]
) -> list[KeyPairFiles]:
    """Each key pair with the files whose key has its fingerprint (MD5, as the API shows it)."""
    by_fingerprint: dict[str, list[KeyFileInfo]] = {}
    for found in files:
        by_fingerprint.setdefault(found.public_key.md5_fingerprint, []).append(found)
    return [
        KeyPairFiles(record, tuple(by_fingerprint.get(_record_fingerprint(record), ())))
        for record in records
    ]
