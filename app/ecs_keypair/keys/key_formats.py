"""Private keys after they are made: generated here, written as pem, openssh or ppk, read back.

* ``pem``: PKCS#8, as CreateKeyPair returns it; with a passphrase ``BEGIN ENCRYPTED PRIVATE KEY``
  (cryptography's best available encryption: PBES2, AES-256-CBC).
* ``openssh``: ``BEGIN OPENSSH PRIVATE KEY``; with a passphrase the bcrypt KDF and aes256-ctr, as
  ssh-keygen writes it (cryptography does this with the ``bcrypt`` package installed).
* ``ppk``: PuTTY's version 3 (:mod:`ecs_keypair.keys.ppk`).

Every key object here is a secret: nothing in this module logs, prints or reprs one.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.key_values import GeneratedKey, PublicKey
from ecs_keypair.keys import ppk
from ecs_keypair.keys.kdf_costs import bcrypt_problem, pkcs8_problem
from ecs_keypair.keys.key_specs import (
    DEFAULT_ECDSA_BITS,
    DEFAULT_KEY_TYPE,
    DEFAULT_RSA_BITS,
    KeyFormat,
    KeyType,
    check_key_spec,
)
from ecs_keypair.keys.material import RSA_BITS, key_size_problem
from ecs_keypair.keys.ssh_wire import WireError, WireReader, mpint, string

ECDSA_CURVES: dict[int, type[ec.EllipticCurve]] = {
    256: ec.SECP256R1, 384: ec.SECP384R1, 521: ec.SECP521R1
}
_OPENSSH_BEGIN = b"-----BEGIN OPENSSH PRIVATE KEY-----"

PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
"""The key types this tool makes and saves (the ones ImportKeyPair takes, except DSA)."""


class KeyReadError(ValueError):
    """The text is not a private key in a format read here (the message says why)."""


class PassphraseError(KeyReadError):
    """The key is encrypted and the passphrase is missing or wrong."""


def generate_private_key(
    key_type: KeyType = DEFAULT_KEY_TYPE, bits: int | None = None
) -> PrivateKey:
    """A new key made on this machine; raises ApiException (InvalidParameter) for a bad spec.

    RSA takes tens of milliseconds or more: callers keep it off any event loop.
    """
    problem = check_key_spec(key_type, bits)
    if problem:
        raise ApiException(problem)
    if key_type == "rsa":
        return rsa.generate_private_key(65537, bits or DEFAULT_RSA_BITS)
    if key_type == "ecdsa":
        return ec.generate_private_key(ECDSA_CURVES[bits or DEFAULT_ECDSA_BITS]())
    return ed25519.Ed25519PrivateKey.generate()


def generate_rsa_key() -> GeneratedKey:
    """The key CreateKeyPair makes: RSA 2048 (e = 65537), the private half as unencrypted
    PKCS#8 PEM. Tens of milliseconds: callers keep it off any event loop."""
    private_key = generate_private_key("rsa", RSA_BITS)
    pem = serialize_private_key(private_key, "pem").decode("ascii")
    return GeneratedKey(pem, public_key_of(private_key))


def private_key_from_pem(pem: str) -> PrivateKey:
    """The key CreateKeyPair returned (unencrypted PKCS#8 PEM) as a key object."""
    return load_private_key(pem.encode("ascii"))


def public_key_of(private_key: PrivateKey) -> PublicKey:
    """The OpenSSH public half (type and wire blob) of a private key."""
    line = private_key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    key_type, encoded = line.decode("ascii").split(" ", 1)
    return PublicKey(key_type, base64.b64decode(encoded))


def public_key_line(private_key: PrivateKey, comment: str = "") -> str:
    """A private key's ``.pub`` line: ``type base64 [comment]`` and a newline, as ssh-keygen
    writes it."""
    line = public_key_of(private_key).line
    return f"{line} {comment}\n" if comment else f"{line}\n"


def serialize_private_key(
    private_key: PrivateKey,
    key_format: KeyFormat,
    passphrase: bytes | None = None,
    comment: str = "",
) -> bytes:
    """The key file's bytes in ``key_format``; encrypted when ``passphrase`` is not empty.

    ``comment`` (the key pair name) goes inside the ppk format. The openssh format holds an
    empty one (cryptography writes none; the ``.pub`` beside it carries the name); PKCS#8 has no
    place for one.
    """
    if key_format == "ppk":
        return ppk.encode_ppk(_ppk_key(private_key, comment), passphrase or None).encode("utf-8")
    private_format = {
        "openssh": serialization.PrivateFormat.OpenSSH,
        "pem": serialization.PrivateFormat.PKCS8,
    }.get(key_format)
    if private_format is not None:
        return private_key.private_bytes(
            serialization.Encoding.PEM, private_format, _encryption(passphrase)
        )
    raise ValueError(f"unknown key format {key_format!r}")


def _encryption(passphrase: bytes | None) -> serialization.KeySerializationEncryption:
    if not passphrase:
        return serialization.NoEncryption()
    # OpenSSH: the bcrypt KDF and aes256-ctr, as ssh-keygen; PKCS#8: PBES2 with AES-256-CBC.
    return serialization.BestAvailableEncryption(passphrase)


def _ppk_key(private_key: PrivateKey, comment: str) -> ppk.PpkKey:
    """PuTTY's private blob for each type (manual, "Private key encodings")."""
    public = public_key_of(private_key)
    if isinstance(private_key, rsa.RSAPrivateKey):
        numbers = private_key.private_numbers()
        blob = mpint(numbers.d) + mpint(numbers.p) + mpint(numbers.q) + mpint(numbers.iqmp)
    elif isinstance(private_key, ec.EllipticCurvePrivateKey):
        blob = mpint(private_key.private_numbers().private_value)
    else:  # ed25519: the 32-byte private key as a string
        blob = string(
            private_key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        )
    return ppk.PpkKey(public.key_type, comment, public.blob, blob)


def _from_ppk(key: ppk.PpkKey) -> PrivateKey:
    """A key object from PuTTY's blobs, the private half checked against the public one (an RSA
    key's own consistency is :func:`load_private_key`'s to check, once its size is known)."""
    public = WireReader(key.public_blob)
    private = WireReader(key.private_blob)
    try:
        if public.string().decode("ascii", "replace") != key.algorithm:
            raise KeyReadError("the public key's type differs from the file's")
        if key.algorithm == "ssh-rsa":
            e, n = public.mpint(), public.mpint()
            d, p, q, iqmp = private.mpint(), private.mpint(), private.mpint(), private.mpint()
            numbers = rsa.RSAPrivateNumbers(
                p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), iqmp,
                rsa.RSAPublicNumbers(e, n),
            )
            loaded: PrivateKey = numbers.private_key(unsafe_skip_rsa_key_validation=True)
        elif key.algorithm.startswith("ecdsa-sha2-"):
            curve_name = public.string().decode("ascii", "replace")
            bits = {"nistp256": 256, "nistp384": 384, "nistp521": 521}.get(curve_name)
            if bits is None:
                raise KeyReadError(f"unsupported curve {curve_name[:20]!r}")
            loaded = ec.derive_private_key(private.mpint(), ECDSA_CURVES[bits]())
        elif key.algorithm == "ssh-ed25519":
            loaded = ed25519.Ed25519PrivateKey.from_private_bytes(private.string())
        else:
            raise KeyReadError(f"unsupported key type {key.algorithm[:40]!r}")
    except KeyReadError:
        raise
    except (WireError, ValueError, ZeroDivisionError) as exc:  # rsa_crt_* of a zero prime
        raise KeyReadError(f"the key data does not load: {exc}") from None
    if public_key_of(loaded).blob != key.public_blob:
        raise KeyReadError("the private key does not belong to the public key in the file")
    return loaded


def load_private_key(data: bytes, passphrase: bytes | None = None) -> PrivateKey:
    """A private key to use (save, hand to the agent) from a pem (PKCS#8 or traditional),
    openssh or ppk file's bytes, checked whole: an RSA key's numbers are checked once its
    size is known to be one that is read.

    Raises :class:`PassphraseError` when encrypted and the passphrase is missing or wrong,
    :class:`KeyReadError` for anything else that is not such a key.
    """
    loaded = _load_unchecked(data, passphrase)
    if isinstance(loaded, rsa.RSAPrivateKey):
        # the loader's check, the one a key file gets when loaded whole (DER in memory only)
        der = loaded.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            return serialization.load_der_private_key(der, None)  # type: ignore[return-value]
        except ValueError:
            raise KeyReadError("the RSA key's numbers do not make a valid key") from None
    return loaded


def public_key_in(data: bytes, passphrase: bytes | None = None) -> PublicKey:
    """The public half of a private key file (pem, openssh or ppk), never computing with the
    private half: the clear part of an openssh or ppk file, else the key as the file has it.
    With ``passphrase``, an encrypted file is opened with it (which proves the passphrase).

    Raises :class:`PassphraseError` (an encrypted pem without a passphrase, a wrong one) or
    :class:`KeyReadError`.
    """
    if not (passphrase and is_encrypted(data)):
        clear = clear_public_key(data)
        if clear is not None:
            problem = key_size_problem(clear.blob)
            if problem is not None:
                raise KeyReadError(problem)
            return clear
    return public_key_of(_load_unchecked(data, passphrase))


def _load_unchecked(data: bytes, passphrase: bytes | None) -> PrivateKey:
    """The key as the file has it: its derivation costs and its size checked first, its
    numbers not checked (RSA's check is the costly part, and a public key does not need it)."""
    from cryptography.exceptions import UnsupportedAlgorithm

    text = data.lstrip()
    encrypted = is_encrypted(text)
    if encrypted and not passphrase:
        raise PassphraseError("the key is encrypted: a passphrase is needed")
    problem = _cost_problem(text)
    if problem is not None:
        raise KeyReadError(problem)
    password = passphrase if encrypted else None
    try:
        if text.startswith(ppk.VERSION_HEADER.encode()):
            try:
                loaded = _from_ppk(ppk.decode_ppk(text.decode("utf-8"), password))
            except ppk.PpkPassphraseError as exc:
                raise PassphraseError(str(exc)) from None
            except (ppk.PpkError, UnicodeDecodeError) as exc:
                raise KeyReadError(str(exc)) from None
        elif text.startswith(_OPENSSH_BEGIN):
            loaded = serialization.load_ssh_private_key(  # type: ignore[assignment]
                text, password, unsafe_skip_rsa_key_validation=True
            )
        elif text.startswith(b"-----BEGIN "):
            loaded = serialization.load_pem_private_key(  # type: ignore[assignment]
                text, password, unsafe_skip_rsa_key_validation=True
            )
        else:
            raise KeyReadError("not a private key (pem, openssh or ppk)")
    except KeyReadError:
        raise
    except (ValueError, TypeError) as exc:  # cryptography's words for a bad key or a bad password
        if encrypted:
            raise PassphraseError("the passphrase is wrong") from None
        raise KeyReadError(f"the key does not load: {exc}") from None
    except UnsupportedAlgorithm as exc:
        raise KeyReadError(f"unsupported key: {exc}") from None
    if not isinstance(
        loaded, (rsa.RSAPrivateKey, ed25519.Ed25519PrivateKey, ec.EllipticCurvePrivateKey)
    ):
        raise KeyReadError("a key of a type this tool does not use (rsa, ecdsa and ed25519 are)")
    problem = key_size_problem(public_key_of(loaded).blob)
    if problem is not None:
        raise KeyReadError(problem)
    return loaded


def _cost_problem(text: bytes) -> str | None:
    """What a file's clear part asks for that is refused before any work: a public key of a
    size that is not read, a passphrase derivation above its cap (:mod:`ecs_keypair.keys.kdf_costs`;
    PPK's Argon2 is checked as the file is read)."""
    if text.startswith(ppk.VERSION_HEADER.encode()):
        try:
            return key_size_problem(ppk.read_ppk_public(text.decode("utf-8")).public_blob)
        except (ppk.PpkError, UnicodeDecodeError):
            return None  # reading the whole file says what is wrong
    if text.startswith(_OPENSSH_BEGIN):
        header = _openssh_header(text)
        if header is None:
            return "its OpenSSH header does not read"
        return key_size_problem(header.public_blob) or bcrypt_problem(
            header.kdf_name, header.kdf_options
        )
    if text.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"):
        der = _first_pem_block(text)
        return "its base64 does not read" if der is None else pkcs8_problem(der)
    return None


def is_encrypted(data: bytes) -> bool:
    """Whether the key file's bytes need a passphrase to open (judged by its clear header)."""
    text = data.lstrip()
    if text.startswith(ppk.VERSION_HEADER.encode()):
        try:
            return ppk.read_ppk_public(text.decode("utf-8")).encrypted
        except (ppk.PpkError, UnicodeDecodeError):
            return False
    if text.startswith(_OPENSSH_BEGIN):
        header = _openssh_header(text)
        return header is not None and header.cipher != b"none"
    return text.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----") or b"ENCRYPTED" in text[:200]


def _first_pem_block(text: bytes) -> bytes | None:
    """The decoded body of the file's first ``-----BEGIN …-----`` block (the one key loaders
    read), or None when it is not plain base64."""
    body: list[bytes] = []
    inside = False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(b"-----BEGIN "):
            inside = True
        elif line.startswith(b"-----END "):
            break
        elif inside:
            body.append(line)
    try:
        return base64.b64decode(b"".join(body), validate=True)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _OpensshHeader:
    """The clear start of an OpenSSH private key: its cipher, KDF and first public key."""

    cipher: bytes
    kdf_name: bytes
    kdf_options: bytes
    public_blob: bytes


def _openssh_header(text: bytes) -> _OpensshHeader | None:
    """The clear header of an OpenSSH private key, or None when it does not read."""
    raw = _first_pem_block(text)
    magic = b"openssh-key-v1\x00"
    if raw is None or not raw.startswith(magic):
        return None
    reader = WireReader(raw[len(magic) :])
    try:
        cipher, kdf_name, kdf_options = reader.string(), reader.string(), reader.string()
        if reader.uint32() < 1:
            return None
        return _OpensshHeader(cipher, kdf_name, kdf_options, reader.string())
    except WireError:
        return None


def clear_public_key(data: bytes) -> PublicKey | None:
    """The public key a private key file shows without its passphrase (openssh and ppk do; an
    encrypted PKCS#8 file does not), or None."""
    text = data.lstrip()
    if text.startswith(ppk.VERSION_HEADER.encode()):
        try:
            found = ppk.read_ppk_public(text.decode("utf-8"))
        except (ppk.PpkError, UnicodeDecodeError):
            return None
        return PublicKey(found.algorithm, found.public_blob)
    if text.startswith(_OPENSSH_BEGIN):
        header = _openssh_header(text)
        if header is None:
            return None
        reader = WireReader(header.public_blob)
        try:
            key_type = reader.string().decode("ascii")
        except (WireError, UnicodeDecodeError):
            return None
        return PublicKey(key_type, header.public_blob)
    return None


def key_format_of(data: bytes) -> KeyFormat | None:
    """Which of our formats a private key file's bytes are in, by their first line."""
    text = data.lstrip()
    if text.startswith(ppk.VERSION_HEADER.encode()):
        return "ppk"
    if text.startswith(_OPENSSH_BEGIN):
        return "openssh"
    if text.startswith(b"-----BEGIN ") and b"PRIVATE KEY-----" in text[:64]:
        return "pem"
    return None

