"""A public key and a made key pair as values, and their fingerprints as ssh-keygen prints them:
what results carry; reading and making keys is key material's."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An OpenSSH public key: its type, its wire-format blob, and an optional comment."""

    key_type: str
    blob: bytes
    comment: str = ""

    @property
    def line(self) -> str:
        """The ``authorized_keys`` line, without the comment (the store keeps no comment)."""
        return f"{self.key_type} {base64.b64encode(self.blob).decode('ascii')}"

    @property
    def md5_fingerprint(self) -> str:
        """RFC 4716 MD5 fingerprint, as ``ssh-keygen -l -E md5`` prints it after ``MD5:``."""
        return md5_fingerprint(self.blob)

    @property
    def sha256_fingerprint(self) -> str:
        """``SHA256:…`` as ``ssh-keygen -l`` prints it by default."""
        return sha256_fingerprint(self.blob)


@dataclass(frozen=True, slots=True)
class GeneratedKey:
    """A new key pair. ``private_pem`` is a secret: shown once, never stored."""

    private_pem: str = field(repr=False)  # kept out of logs and tracebacks
    public_key: PublicKey


def md5_fingerprint(blob: bytes) -> str:
    return hashlib.md5(blob, usedforsecurity=False).digest().hex(":")


def sha256_fingerprint(blob: bytes) -> str:
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"
