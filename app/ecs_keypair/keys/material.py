"""OpenSSH public key lines read and checked: their type, their size, their blob."""

from __future__ import annotations

import base64
import binascii
import warnings

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.keys.ssh_wire import WireError, WireReader

RSA_BITS = 2048
MAX_RSA_BITS = 16384  # OpenSSH refuses larger RSA keys
DSA_BITS = 1024  # the only DSA size OpenSSH uses
_SIZED_KEY_TYPES = ("ssh-rsa", "ssh-dss")  # the others have the sizes of their curves

# The key types ImportKeyPair accepts, as they appear at the start of an OpenSSH public key line.
SUPPORTED_KEY_TYPES = (
    "ssh-rsa",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-ed25519",
)


def _blob_key_type(blob: bytes) -> str | None:
    """The key type named inside the wire-format blob (its first length-prefixed string)."""
    try:
        return WireReader(blob).string().decode("ascii")
    except (WireError, UnicodeDecodeError):
        return None


def key_size_problem(blob: bytes) -> str | None:
    """Why a public key's size is refused, or None: RSA above :data:`MAX_RSA_BITS` (OpenSSH's
    own limit), DSA of another size than OpenSSH's 1024 bits. Read from the blob's lengths,
    before anything computes with the key."""
    reader = WireReader(blob)
    try:
        key_type = reader.string()
        if key_type == b"ssh-rsa":
            reader.string()  # e
            bits = _bits(reader.string())
            if bits > MAX_RSA_BITS:
                return f"an RSA key of {bits} bits (at most {MAX_RSA_BITS} are read)"
        elif key_type == b"ssh-dss":
            p = _bits(reader.string())
            largest = max([p] + [_bits(reader.string()) for _ in range(3)])  # q, g, y
            if p != DSA_BITS or largest > DSA_BITS:
                return f"a DSA key of {largest} bits (SSH's DSA keys have {DSA_BITS})"
    except WireError:
        return "the key data ends early"
    return None


def _bits(magnitude: bytes) -> int:
    """The bit length of an mpint's bytes, without making the number."""
    stripped = magnitude.lstrip(b"\x00")
    return (len(stripped) - 1) * 8 + stripped[0].bit_length() if stripped else 0


def read_public_key_line(line: str) -> PublicKey | ApiError:
    """The key in one OpenSSH public key line (``type base64 [comment]``), checked without
    loading it: a supported type, valid base64, the same type inside the blob, a size that is
    read (:func:`key_size_problem`). Enough to fingerprint it; ``InvalidPublicKeyBody.Malformed``
    with the reason otherwise."""
    parts = line.strip().split(None, 2)
    if len(parts) < 2:
        return _malformed("must look like 'ssh-ed25519 AAAA… [comment]'")
    key_type, encoded = parts[0], parts[1]
    comment = parts[2].strip() if len(parts) == 3 else ""
    if key_type not in SUPPORTED_KEY_TYPES:
        return _malformed(
            f"the key type {key_type[:40]!r} is not supported "
            "(rsa, dss, ecdsa-nistp256/384/521 and ed25519 are)"
        )
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return _malformed("the key data is not valid base64")
    if _blob_key_type(blob) != key_type:
        return _malformed(f"the key data is not a {key_type} key")
    problem = key_size_problem(blob) if key_type in _SIZED_KEY_TYPES else None
    if problem is not None:
        return _malformed(problem)
    return PublicKey(key_type, blob, comment)


def _malformed(reason: str) -> ApiError:
    return errors.INVALID_PUBLIC_KEY_BODY.at("PublicKeyBody", reason)


def parse_public_key(text: str) -> PublicKey | ApiError:
    """Parse one OpenSSH public key line (``type base64 [comment]``), as ImportKeyPair takes it.

    Returns the key, or ``InvalidPublicKeyBody.Malformed`` with the reason: what
    :func:`read_public_key_line` refuses, or a key that does not load.
    """
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) != 1:
        return _malformed("must be exactly one OpenSSH public key line")
    parsed = read_public_key_line(lines[0])
    if isinstance(parsed, ApiError):
        return parsed
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        # DSA is deprecated in cryptography, still accepted by the API
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            serialization.load_ssh_public_key(parsed.line.encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, NotImplementedError) as exc:  # a compressed EC point
        return _malformed(f"the key data does not load: {exc}")
    return parsed
