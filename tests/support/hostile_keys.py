"""Hostile key files, made by code: each one is a cost or a parse trap for a reader that trusts it.

* RSA keys whose primes are Mersenne primes: valid keys that a private-key check takes seconds to
  minutes over (primality of 10,000-bit primes), some of them above OpenSSH's 16,384-bit limit.
* A public key line of 360,000 bits, and a DSA line of the same kind.
* An OpenSSH key asking for 2^31 bcrypt rounds, encrypted PKCS#8 keys asking for 2^31 PBKDF2
  iterations or a costly scrypt; PPK files asking for Argon2 memory and passes no PuTTYgen
  writes, or for parameters Argon2 refuses (a short salt, memory below 8 x parallelism), or
  holding a count that is a digit to ``str.isdigit`` but not to ``int`` (``²``).
* Empty, truncated, special (FIFO, a link to /dev/null) files, many files, a file full of lines.

:func:`write_corpus` writes them all into one folder; :data:`CORPUS_ANSWERS` says what
``fingerprint`` answers for each. :func:`within` bounds a call in the test's own process.
"""

from __future__ import annotations

import base64
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from ecs_keypair.keys.key_formats import public_key_of, serialize_private_key
from ecs_keypair.keys.ssh_wire import WireReader, mpint, string, uint32

PASSPHRASE = b"hostile"
LIMIT = 20.0  # seconds: a bound on a call that must not compute much, never a speed check
T = TypeVar("T")


def within(call: Callable[[], T]) -> T:
    """``call()``'s answer (or what it raised), failing the test if it takes over LIMIT: a call
    that computes what a hostile file asks for fails instead of hanging the run."""
    answers: list[T] = []
    raised: list[BaseException] = []

    def run() -> None:
        try:
            answers.append(call())
        except BaseException as exc:  # raised again below, in the test's thread
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(LIMIT)
    took = time.monotonic() - started  # over LIMIT too when the call held the GIL throughout
    assert (answers or raised) and took < LIMIT, f"still computing after {LIMIT} s"
    if raised:
        raise raised[0]
    return answers[0]


def mersenne_rsa_key(p_exponent: int, q_exponent: int) -> rsa.RSAPrivateKey:
    """A mathematically valid RSA key with primes 2**p_exponent - 1 and 2**q_exponent - 1."""
    p, q = (1 << p_exponent) - 1, (1 << q_exponent) - 1
    e = 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
        rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key(unsafe_skip_rsa_key_validation=True)


def rsa_pem(key: rsa.RSAPrivateKey, traditional: bool = False) -> bytes:
    """``BEGIN PRIVATE KEY`` (PKCS#8) or ``BEGIN RSA PRIVATE KEY`` (traditional), unencrypted."""
    private_format = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if traditional
        else serialization.PrivateFormat.PKCS8
    )
    return key.private_bytes(
        serialization.Encoding.PEM, private_format, serialization.NoEncryption()
    )


def huge_rsa_public_line(bits: int = 360_000) -> str:
    """An ``ssh-rsa`` line whose modulus has ``bits`` bits."""
    n = (1 << bits) - 1
    blob = string(b"ssh-rsa") + mpint(65537) + mpint(n)
    return f"ssh-rsa {base64.b64encode(blob).decode('ascii')} huge"


def huge_dsa_public_line(bits: int = 80_000) -> str:
    """An ``ssh-dss`` line whose p, q, g and y have ``bits`` bits."""
    value = (1 << bits) - 1
    blob = string(b"ssh-dss") + b"".join(mpint(value - i) for i in range(4))
    return f"ssh-dss {base64.b64encode(blob).decode('ascii')} huge"


def _pem_armour(raw: bytes, label: str) -> bytes:
    encoded = base64.b64encode(raw).decode("ascii")
    lines = [encoded[i : i + 70] for i in range(0, len(encoded), 70)]
    text = f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
    return text.encode("ascii")


def openssh_with_rounds(rounds: int) -> bytes:
    """An encrypted OpenSSH ed25519 key whose clear header asks for ``rounds`` bcrypt rounds.

    A real key is encrypted with 16 rounds, then its header's kdfoptions are rewritten: nothing
    is derived with the huge count here, and the passphrase no longer opens it.
    """
    key = ed25519.Ed25519PrivateKey.generate()
    pem = serialize_private_key(key, "openssh", PASSPHRASE)
    body = b"".join(line for line in pem.splitlines() if not line.startswith(b"-----"))
    raw = base64.b64decode(body)
    magic = b"openssh-key-v1\x00"
    reader = WireReader(raw[len(magic) :])
    cipher, kdf_name, kdf_options = reader.string(), reader.string(), reader.string()
    salt = WireReader(kdf_options).string()
    rest = reader.rest()
    rebuilt = (
        magic + string(cipher) + string(kdf_name) + string(string(salt) + uint32(rounds)) + rest
    )
    return _pem_armour(rebuilt, "OPENSSH PRIVATE KEY")


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _der_sequence(*parts: bytes) -> bytes:
    return _der(0x30, b"".join(parts))


def _der_integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _der_oid(dotted: str) -> bytes:
    first, second, *rest = (int(part) for part in dotted.split("."))
    encoded = bytearray([first * 40 + second])
    for number in rest:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        encoded.extend(reversed(chunk))
    return _der(0x06, bytes(encoded))


def encrypted_pkcs8(kdf: str, *costs: int) -> bytes:
    """A ``BEGIN ENCRYPTED PRIVATE KEY`` file (PBES2, AES-256-CBC) whose derivation is PBKDF2
    with ``costs`` = (iterations,) or scrypt with (N, r, p). Its ciphertext is random: nothing
    decrypts it, and a reader that derives first pays the whole cost to find that out."""
    salt = _der(0x04, os.urandom(16))
    if kdf == "pbkdf2":
        prf = _der_sequence(_der_oid("1.2.840.113549.2.9"), _der(0x05, b""))  # hmacWithSHA256
        derivation = _der_sequence(
            _der_oid("1.2.840.113549.1.5.12"), _der_sequence(salt, _der_integer(costs[0]), prf)
        )
    else:
        derivation = _der_sequence(
            _der_oid("1.3.6.1.4.1.11591.4.11"),
            _der_sequence(salt, *(_der_integer(cost) for cost in costs)),
        )
    scheme = _der_sequence(_der_oid("2.16.840.1.101.3.4.1.42"), _der(0x04, os.urandom(16)))
    algorithm = _der_sequence(
        _der_oid("1.2.840.113549.1.5.13"), _der_sequence(derivation, scheme)
    )
    return _pem_armour(
        _der_sequence(algorithm, _der(0x04, os.urandom(64))), "ENCRYPTED PRIVATE KEY"
    )


def ppk_with(**fields: str) -> bytes:
    """An encrypted PPK version 3 ed25519 key with some of its lines replaced, e.g.
    ``ppk_with(Argon2_Memory="262144")`` (underscores stand for the dashes)."""
    key = ed25519.Ed25519PrivateKey.generate()
    text = serialize_private_key(key, "ppk", PASSPHRASE).decode("utf-8")
    for name, value in fields.items():
        header = name.replace("_", "-")
        text, count = re.subn(rf"^{header}: .*$", f"{header}: {value}", text, flags=re.MULTILINE)
        assert count == 1, header
    return text.encode("utf-8")


def ed25519_public_line(comment: str = "") -> str:
    line = public_key_of(ed25519.Ed25519PrivateKey.generate()).line
    return f"{line} {comment}" if comment else line


def key_lines(size: int) -> bytes:
    """About ``size`` bytes of distinct ed25519 public key lines (an authorized_keys gone large)."""
    lines: list[bytes] = []
    total = 0
    while True:
        line = (ed25519_public_line() + "\n").encode("ascii")
        if total + len(line) > size:
            return b"".join(lines)
        lines.append(line)
        total += len(line)


# What ``fingerprint`` answers for each file of the corpus: "ok" (the key's fingerprint), or a
# part of its InvalidKeyFile.Malformed message.
CORPUS_ANSWERS: dict[str, str] = {
    "mersenne-pkcs8.pem": "ok",
    "mersenne-traditional.pem": "ok",
    "mersenne-openssh": "ok",
    "mersenne-ppk.ppk": "ok",
    "mersenne-encrypted.pem": "ok",
    "mersenne-encrypted-openssh": "ok",
    "mersenne-encrypted.ppk": "ok",
    "oversize-pkcs8.pem": "an RSA key of 21154 bits (at most 16384 are read)",
    "oversize-traditional.pem": "an RSA key of 21154 bits (at most 16384 are read)",
    "huge-rsa.pub": "an RSA key of 360000 bits (at most 16384 are read)",
    "huge-dsa.pub": "a DSA key of 80000 bits",
    "bcrypt-rounds": "bcrypt rounds 2147483648 is above this tool's cap of 1000",
    "pbkdf2-iterations.pem": "PBKDF2 iterations 2147483647 is above this tool's cap",
    "scrypt-work.pem": "scrypt N x r x p 536870912 is above this tool's cap",
    "scrypt-memory.pem": "scrypt memory 131072 KiB is above this tool's cap of 65536 KiB",
    "argon2-memory.ppk": "Argon2-Memory 4194304 KiB is above this tool's cap of 65536 KiB",
    "argon2-passes.ppk": "Argon2-Passes 1000 is above this tool's cap of 100",
    "argon2-empty-salt.ppk": "Argon2-Salt has 0 bytes, Argon2 needs at least 8",
    "argon2-short-salt.ppk": "Argon2-Salt has 2 bytes, Argon2 needs at least 8",
    "argon2-parallelism.ppk": "below the 8 KiB per lane of its parallelism 64",
    "argon2-superscript.ppk": "Argon2-Memory must be a whole number",
    "public-lines-superscript.ppk": "Public-Lines must be a whole number",
    "empty": "not a public key line or a private key",
    "truncated.pem": "the key does not load",
    "truncated-openssh": "its OpenSSH header does not read",
    "fifo": "not a regular file (a FIFO)",
    "null-link": "not a regular file (a character device)",
    "lines.pub": "ok",
}
# The corpus files that need the passphrase to show the cost they ask for.
NEEDS_PASSPHRASE = (
    "mersenne-encrypted.pem", "mersenne-encrypted-openssh", "mersenne-encrypted.ppk",
    "bcrypt-rounds", "pbkdf2-iterations.pem", "scrypt-work.pem", "scrypt-memory.pem",
    "argon2-memory.ppk", "argon2-passes.ppk", "argon2-empty-salt.ppk", "argon2-short-salt.ppk",
    "argon2-parallelism.ppk", "argon2-superscript.ppk",
)


def write_corpus(folder: Path) -> dict[str, Path]:
    """Every hostile file above in ``folder`` (made if missing); their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    inside = mersenne_rsa_key(4423, 9689)  # 14,112 bits: under the limit, costly to check
    over = mersenne_rsa_key(9941, 11213)  # 21,154 bits: over it
    contents: dict[str, bytes] = {
        "mersenne-pkcs8.pem": rsa_pem(inside),
        "mersenne-traditional.pem": rsa_pem(inside, traditional=True),
        "mersenne-openssh": serialize_private_key(inside, "openssh"),
        "mersenne-ppk.ppk": serialize_private_key(inside, "ppk"),
        "oversize-pkcs8.pem": rsa_pem(over),
        "oversize-traditional.pem": rsa_pem(over, traditional=True),
        "huge-rsa.pub": (huge_rsa_public_line() + "\n").encode("ascii"),
        "huge-dsa.pub": (huge_dsa_public_line() + "\n").encode("ascii"),
        "mersenne-encrypted.pem": serialize_private_key(inside, "pem", PASSPHRASE),
        "mersenne-encrypted-openssh": serialize_private_key(inside, "openssh", PASSPHRASE),
        "mersenne-encrypted.ppk": serialize_private_key(inside, "ppk", PASSPHRASE),
        "bcrypt-rounds": openssh_with_rounds(2**31),
        "pbkdf2-iterations.pem": encrypted_pkcs8("pbkdf2", 2**31 - 1),
        "scrypt-work.pem": encrypted_pkcs8("scrypt", 1024, 8, 1 << 16),
        "scrypt-memory.pem": encrypted_pkcs8("scrypt", 1 << 20, 1, 1),
        "argon2-memory.ppk": ppk_with(Argon2_Memory=str(1 << 22)),
        "argon2-passes.ppk": ppk_with(Argon2_Passes="1000"),
        "argon2-empty-salt.ppk": ppk_with(Argon2_Salt=""),
        "argon2-short-salt.ppk": ppk_with(Argon2_Salt="0011"),
        "argon2-parallelism.ppk": ppk_with(Argon2_Memory="1", Argon2_Parallelism="64"),
        "argon2-superscript.ppk": ppk_with(Argon2_Memory="²"),
        "public-lines-superscript.ppk": ppk_with(Public_Lines="²"),
        "empty": b"",
        "truncated.pem": rsa_pem(inside)[:700],
        "truncated-openssh": serialize_private_key(
            ed25519.Ed25519PrivateKey.generate(), "openssh"
        )[:200],
        "lines.pub": key_lines(64 * 1024 - 200),
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    paths["fifo"] = folder / "fifo"
    os.mkfifo(paths["fifo"])
    paths["null-link"] = folder / "null-link"
    paths["null-link"].symlink_to(os.devnull)
    return paths


def write_many(folder: Path, count: int, data: bytes, prefix: str = "many-") -> None:
    """``count`` files holding ``data`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (folder / f"{prefix}{index:06d}").write_bytes(data)
