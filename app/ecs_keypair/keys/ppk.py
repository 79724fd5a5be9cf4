"""PuTTY's private key file (``.ppk``), version 3, as PuTTYgen 0.75 and later write and read it.

Written from PuTTY's documented format (appendix "PPK file format" of its manual):

* Text lines: ``PuTTY-User-Key-File-3: <algorithm>``, ``Encryption: none|aes256-cbc``,
  ``Comment: …``, ``Public-Lines: N`` and the public blob in base64 (64 characters a line), then,
  only when encrypted, ``Key-Derivation: Argon2id`` with ``Argon2-Memory`` (KiB), ``-Passes``,
  ``-Parallelism`` and ``-Salt`` (hex), then ``Private-Lines: N`` with the private blob and
  ``Private-MAC: <hex>``.
* Encrypted: Argon2 (secret and associated data empty) turns the passphrase into 80 bytes, the
  AES-256 key, the CBC IV and the HMAC-SHA-256 key in that order; the private blob is padded to a
  whole number of 16-byte blocks and encrypted with AES-256-CBC. Unencrypted: no padding, and the
  MAC key is empty.
* The MAC is HMAC-SHA-256 over the SSH strings algorithm, encryption, comment, public blob and the
  (padded) private blob in the clear, so a changed public half or comment is caught too.

Reading bounds its work: line counts, and the Argon2 memory and passes a file may ask for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from ecs_keypair.keys.kdf_costs import over_cap
from ecs_keypair.keys.ssh_wire import string

VERSION_HEADER = "PuTTY-User-Key-File-"
ENCRYPTION_NONE = "none"
ENCRYPTION_AES = "aes256-cbc"
KEY_DERIVATION = "Argon2id"
ARGON2_MEMORY_KIB = 8192  # what PuTTYgen writes by default
ARGON2_PASSES = 13
ARGON2_PARALLELISM = 1
SALT_BYTES = 16
BLOCK = 16
LINE_CHARS = 64
MAX_LINES = 1000  # far beyond any key's blob; a bound on a hostile file
# PuTTYgen writes 8192 KiB and about 13 passes; Argon2's time grows with memory x passes (the
# README gives the worst these caps let through).
MAX_ARGON2_MEMORY_KIB = 1 << 16  # 64 MiB, 8 x PuTTYgen's
MAX_ARGON2_PASSES = 100
MAX_ARGON2_PARALLELISM = 64
MIN_ARGON2_SALT_BYTES = 8  # Argon2's own minimum
_NUMBER = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit also takes "²"
_FLAVOURS = ("Argon2id", "Argon2i", "Argon2d")


class PpkError(ValueError):
    """Not a PuTTY key file this module reads; the message says what is wrong."""


class PpkPassphraseError(PpkError):
    """The file is encrypted and the passphrase is missing or does not open it."""


@dataclass(frozen=True, slots=True)
class PpkKey:
    """What a PPK file holds. ``private_blob`` is the secret, in the clear: never shown."""

    algorithm: str
    comment: str
    public_blob: bytes
    private_blob: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class PpkPublic:
    """The clear part of a PPK file: enough for its fingerprint, without the passphrase."""

    version: int
    algorithm: str
    encrypted: bool
    comment: str
    public_blob: bytes


def _argon2(passphrase: bytes, flavour: str, memory: int, passes: int, parallelism: int,
            salt: bytes) -> tuple[bytes, bytes, bytes]:
    from argon2.exceptions import HashingError
    from argon2.low_level import Type, hash_secret_raw

    kind = {"Argon2id": Type.ID, "Argon2i": Type.I, "Argon2d": Type.D}[flavour]
    try:
        material = hash_secret_raw(
            passphrase, salt, time_cost=passes, memory_cost=memory, parallelism=parallelism,
            hash_len=32 + 16 + 32, type=kind, version=19,
        )
    except HashingError as exc:  # a parameter Argon2 refuses that the checks above let by
        raise PpkError(f"Argon2 refuses the file's parameters ({exc})") from None
    return material[:32], material[32:48], material[48:]


def _mac(key: bytes, algorithm: str, encryption: str, comment: str, public_blob: bytes,
         private_plain: bytes) -> str:
    data = b"".join(
        string(part)
        for part in (
            algorithm.encode(), encryption.encode(), comment.encode(), public_blob, private_plain
        )
    )
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _aes(key: bytes, iv: bytes, data: bytes, *, encrypt: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    context = cipher.encryptor() if encrypt else cipher.decryptor()
    return context.update(data) + context.finalize()


def _lines(blob: bytes) -> list[str]:
    encoded = base64.b64encode(blob).decode("ascii")
    return [encoded[i : i + LINE_CHARS] for i in range(0, len(encoded), LINE_CHARS)]


def encode_ppk(key: PpkKey, passphrase: bytes | None = None) -> str:
    """The file's text; encrypted (Argon2id, AES-256-CBC) when ``passphrase`` is not empty."""
    if "\n" in key.comment or "\r" in key.comment:
        raise PpkError("a PPK comment cannot hold a line break")
    header = [f"{VERSION_HEADER}3: {key.algorithm}"]
    public = [f"Public-Lines: {len(_lines(key.public_blob))}", *_lines(key.public_blob)]
    if not passphrase:
        mac = _mac(b"", key.algorithm, ENCRYPTION_NONE, key.comment, key.public_blob,
                   key.private_blob)
        private_lines = _lines(key.private_blob)
        lines = [
            *header, f"Encryption: {ENCRYPTION_NONE}", f"Comment: {key.comment}", *public,
            f"Private-Lines: {len(private_lines)}", *private_lines, f"Private-MAC: {mac}",
        ]
        return "\n".join(lines) + "\n"
    salt = secrets.token_bytes(SALT_BYTES)
    cipher_key, iv, mac_key = _argon2(
        passphrase, KEY_DERIVATION, ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_PARALLELISM, salt
    )
    padded = key.private_blob + secrets.token_bytes(-len(key.private_blob) % BLOCK)
    mac = _mac(mac_key, key.algorithm, ENCRYPTION_AES, key.comment, key.public_blob, padded)
    private_lines = _lines(_aes(cipher_key, iv, padded, encrypt=True))
    lines = [
        *header, f"Encryption: {ENCRYPTION_AES}", f"Comment: {key.comment}", *public,
        f"Key-Derivation: {KEY_DERIVATION}",
        f"Argon2-Memory: {ARGON2_MEMORY_KIB}",
        f"Argon2-Passes: {ARGON2_PASSES}",
        f"Argon2-Parallelism: {ARGON2_PARALLELISM}",
        f"Argon2-Salt: {salt.hex()}",
        f"Private-Lines: {len(private_lines)}", *private_lines, f"Private-MAC: {mac}",
    ]
    return "\n".join(lines) + "\n"


class _Fields:
    """The file's ``Name: value`` lines in order, each base64 run read by its count."""

    def __init__(self, text: str) -> None:
        self._lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._index = 0

    def take(self, name: str) -> str:
        if self._index >= len(self._lines):
            raise PpkError(f"the file ends before its {name} line")
        key, separator, value = self._lines[self._index].partition(": ")
        if key != name or not separator:
            raise PpkError(f"expected a {name} line, found {self._lines[self._index][:40]!r}")
        self._index += 1
        return value

    def peek(self, name: str) -> bool:
        return self._index < len(self._lines) and self._lines[self._index].startswith(f"{name}: ")

    def number(self, name: str, maximum: int, unit: str = "") -> int:
        value = self.take(name)
        if not _NUMBER.fullmatch(value) or int(value) < 1:
            raise PpkError(f"{name} must be a whole number from 1 to {maximum}")
        problem = over_cap(name, int(value), maximum, unit)
        if problem is not None:
            raise PpkError(problem)
        return int(value)

    def blob(self, name: str) -> bytes:
        count = self.number(name, MAX_LINES)
        if self._index + count > len(self._lines):
            raise PpkError(f"the file ends inside its {name.split('-')[0].lower()} key")
        encoded = "".join(self._lines[self._index : self._index + count])
        self._index += count
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise PpkError(f"the {name.split('-')[0].lower()} key is not valid base64") from None


def _header(fields: _Fields) -> tuple[int, str]:
    first = fields._lines[0] if fields._lines else ""
    name, separator, algorithm = first.partition(": ")
    version = name.removeprefix(VERSION_HEADER)
    if not name.startswith(VERSION_HEADER) or not separator or version not in ("2", "3"):
        raise PpkError("not a PuTTY key file of version 2 or 3")
    fields._index = 1
    return int(version), algorithm


def read_ppk_public(text: str) -> PpkPublic:
    """The clear part of a version 2 or 3 file: type, comment and public blob."""
    fields = _Fields(text)
    version, algorithm = _header(fields)
    encryption = fields.take("Encryption")
    if encryption not in (ENCRYPTION_NONE, ENCRYPTION_AES):
        raise PpkError(f"unknown encryption {encryption[:40]!r}")
    comment = fields.take("Comment")
    public_blob = fields.blob("Public-Lines")
    return PpkPublic(version, algorithm, encryption != ENCRYPTION_NONE, comment, public_blob)


def decode_ppk(text: str, passphrase: bytes | None = None) -> PpkKey:
    """The key in a version 3 file, its MAC checked; encrypted files need ``passphrase``."""
    fields = _Fields(text)
    version, algorithm = _header(fields)
    if version != 3:
        raise PpkError(
            "a PuTTY key file of version 2: open and save it again with PuTTYgen 0.75 or later"
        )
    encryption = fields.take("Encryption")
    comment = fields.take("Comment")
    public_blob = fields.blob("Public-Lines")
    if encryption == ENCRYPTION_NONE:
        private_blob = fields.blob("Private-Lines")
        expected = fields.take("Private-MAC")
        if not hmac.compare_digest(
            _mac(b"", algorithm, encryption, comment, public_blob, private_blob), expected.lower()
        ):
            raise PpkError("its MAC does not match: the file was changed or damaged")
        return PpkKey(algorithm, comment, public_blob, private_blob)
    if encryption != ENCRYPTION_AES:
        raise PpkError(f"unknown encryption {encryption[:40]!r}")
    flavour = fields.take("Key-Derivation")
    if flavour not in _FLAVOURS:
        raise PpkError(f"unknown key derivation {flavour[:40]!r}")
    memory = fields.number("Argon2-Memory", MAX_ARGON2_MEMORY_KIB, " KiB")
    passes = fields.number("Argon2-Passes", MAX_ARGON2_PASSES)
    parallelism = fields.number("Argon2-Parallelism", MAX_ARGON2_PARALLELISM)
    if memory < 8 * parallelism:  # Argon2 needs 8 KiB for each lane
        raise PpkError(
            f"Argon2-Memory {memory} KiB is below the 8 KiB per lane of its parallelism "
            f"{parallelism}"
        )
    try:
        salt = bytes.fromhex(fields.take("Argon2-Salt"))
    except ValueError:
        raise PpkError("Argon2-Salt is not hexadecimal") from None
    if len(salt) < MIN_ARGON2_SALT_BYTES:
        raise PpkError(
            f"Argon2-Salt has {len(salt)} bytes, Argon2 needs at least {MIN_ARGON2_SALT_BYTES}"
        )
    encrypted = fields.blob("Private-Lines")
    expected = fields.take("Private-MAC")
    if len(encrypted) % BLOCK:
        raise PpkError("the encrypted private key is not a whole number of AES blocks")
    if not passphrase:
        raise PpkPassphraseError("the key is encrypted: a passphrase is needed")
    cipher_key, iv, mac_key = _argon2(passphrase, flavour, memory, passes, parallelism, salt)
    padded = _aes(cipher_key, iv, encrypted, encrypt=False)
    if not hmac.compare_digest(
        _mac(mac_key, algorithm, encryption, comment, public_blob, padded), expected.lower()
    ):
        raise PpkPassphraseError("the passphrase is wrong (or the file was changed)")
    return PpkKey(algorithm, comment, public_blob, padded)
