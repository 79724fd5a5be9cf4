"""Which keys can be made here and in which formats they are saved: names and checks only.

Kept apart from :mod:`key_formats` so that the screens that offer these choices (the form, the
save dialog) import no cryptography before the first frame.
"""

from __future__ import annotations

from typing import Literal, get_args

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiError

KeyFormat = Literal["pem", "openssh", "ppk"]
KeyType = Literal["ed25519", "rsa", "ecdsa"]
KEY_FORMATS: tuple[KeyFormat, ...] = get_args(KeyFormat)
KEY_TYPES: tuple[KeyType, ...] = get_args(KeyType)
DEFAULT_KEY_TYPE: KeyType = "ed25519"
RSA_BITS_RANGE = (2048, 4096)
DEFAULT_RSA_BITS = 3072  # ssh-keygen's default
ECDSA_BITS = (256, 384, 521)  # the NIST curves nistp256, nistp384, nistp521
DEFAULT_ECDSA_BITS = 256


def check_key_spec(key_type: str, bits: int | None) -> ApiError | None:
    """Whether ``keygen`` can make this key: rsa 2048-4096 bits, ecdsa 256/384/521, ed25519
    fixed."""
    if key_type not in KEY_TYPES:
        return errors.invalid_parameter("type", f"must be one of {', '.join(KEY_TYPES)}")
    if bits is None:
        return None
    if key_type == "ed25519":
        return errors.invalid_parameter("bits", "ed25519 keys have one size: leave --bits out")
    if key_type == "rsa" and not RSA_BITS_RANGE[0] <= bits <= RSA_BITS_RANGE[1]:
        return errors.invalid_parameter("bits", "rsa keys must have 2048 to 4096 bits")
    if key_type == "ecdsa" and bits not in ECDSA_BITS:
        return errors.invalid_parameter("bits", "ecdsa keys have 256, 384 or 521 bits")
    return None


def check_key_format(key_type: str, key_format: str) -> ApiError | None:
    """Whether a key of ``key_type`` (``ed25519``, ``rsa``, ``ecdsa`` or the SSH names) can be
    saved as ``key_format`` so that the usual tools read it.

    OpenSSH (9.x) does not load ed25519 keys from PKCS#8 files, so that pair is refused rather
    than written for no tool to read.
    """
    if key_format not in KEY_FORMATS:
        return errors.invalid_parameter("format", f"must be one of {', '.join(KEY_FORMATS)}")
    if key_format == "pem" and key_type in ("ed25519", "ssh-ed25519"):
        return errors.invalid_parameter(
            "format", "ssh does not read ed25519 keys from PKCS#8 (pem) files: use openssh or ppk"
        )
    return None
