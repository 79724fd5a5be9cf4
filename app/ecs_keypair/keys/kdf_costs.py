"""The work a key file's encryption asks for, checked against caps before anything is derived.

A passphrase-protected key file names its own key derivation cost: OpenSSH's bcrypt rounds,
PKCS#8's PBKDF2 iterations or scrypt parameters, PPK's Argon2 memory and passes (checked in
:mod:`ecs_keypair.keys.ppk`). Read as written, a file of a few hundred bytes can ask for months of
work; the caps sit far above what ssh-keygen, OpenSSL, cryptography and PuTTYgen write (the
README's "From a new key to finding it later" gives the figures).
"""

from __future__ import annotations

from ecs_keypair.keys.ssh_wire import WireError, WireReader

MAX_BCRYPT_ROUNDS = 1000  # ssh-keygen writes 16 (more with -a N)
MAX_PBKDF2_ITERATIONS = 2_000_000  # OpenSSL and cryptography write 2048; the loader holds the GIL
# N x r x p, 8 x what OpenSSL writes (16384 x 8 x 1): scrypt holds the GIL
MAX_SCRYPT_WORK = 1 << 20
MAX_SCRYPT_MEMORY_KIB = 1 << 16  # 128 x r x (N + p) bytes; OpenSSL's choice takes 16 MiB

_PBES2 = bytes.fromhex("2a864886f70d01050d")  # 1.2.840.113549.1.5.13
_PBKDF2 = bytes.fromhex("2a864886f70d01050c")  # 1.2.840.113549.1.5.12
_SCRYPT = bytes.fromhex("2b06010401da47040b")  # 1.3.6.1.4.1.11591.4.11
_PBES1_PREFIXES = (
    bytes.fromhex("2a864886f70d0105"),  # PKCS#5 v1.5 schemes: (salt, iterations)
    bytes.fromhex("2a864886f70d010c01"),  # PKCS#12's PBE schemes: (salt, iterations)
)
_SEQUENCE, _INTEGER, _OID = 0x30, 0x02, 0x06


def over_cap(parameter: str, value: int, cap: int, unit: str = "") -> str | None:
    """The refusal of a cost above its cap (None when within it), naming both."""
    if value <= cap:
        return None
    return f"{parameter} {value}{unit} is above this tool's cap of {cap}{unit}"


def bcrypt_problem(kdf_name: bytes, kdf_options: bytes) -> str | None:
    """Why an OpenSSH private key's KDF (from its clear header) is refused, or None."""
    if kdf_name != b"bcrypt":
        return None  # "none", or a KDF the key loader refuses on its own
    reader = WireReader(kdf_options)
    try:
        reader.string()  # salt
        rounds = reader.uint32()
    except WireError:
        return "its bcrypt parameters cannot be read"
    if rounds < 1:
        return "bcrypt rounds 0 derives nothing"
    return over_cap("bcrypt rounds", rounds, MAX_BCRYPT_ROUNDS)


class _DerError(ValueError):
    """Not the DER structure expected."""


def _elements(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, value) of each DER element in ``data``, in order."""
    found: list[tuple[int, bytes]] = []
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise _DerError
        tag, length = data[position], data[position + 1]
        position += 2
        if length & 0x80:
            count = length & 0x7F
            if not 0 < count <= 4 or position + count > len(data):
                raise _DerError
            length = int.from_bytes(data[position : position + count], "big")
            position += count
        if position + length > len(data):
            raise _DerError
        found.append((tag, data[position : position + length]))
        position += length
    return found


def _sequence(data: bytes) -> list[tuple[int, bytes]]:
    """The elements of the one SEQUENCE ``data`` starts with."""
    elements = _elements(data) if data else []
    if not elements or elements[0][0] != _SEQUENCE:
        raise _DerError
    return _elements(elements[0][1])


def _integer(element: tuple[int, bytes]) -> int:
    tag, value = element
    if tag != _INTEGER or not value:
        raise _DerError
    return int.from_bytes(value, "big", signed=True)


def pkcs8_problem(der: bytes) -> str | None:
    """Why an encrypted PKCS#8 key's derivation (``EncryptedPrivateKeyInfo``) is refused, or
    None. A scheme not named here is left to the key loader, which refuses what it does not
    know."""
    try:
        algorithm = _sequence(der)[0]
        if algorithm[0] != _SEQUENCE:
            raise _DerError
        (oid_tag, oid), (_, parameters) = _elements(algorithm[1])[:2]
        if oid_tag != _OID:
            raise _DerError
        if oid == _PBES2:
            derivation = _elements(parameters)[0]  # keyDerivationFunc, then encryptionScheme
            (_, kdf), (_, kdf_parameters) = _elements(derivation[1])[:2]
            values = _elements(kdf_parameters)  # salt, then the costs
            if kdf == _PBKDF2:
                return over_cap("PBKDF2 iterations", _integer(values[1]), MAX_PBKDF2_ITERATIONS)
            if kdf == _SCRYPT:
                n, r, p = (_integer(value) for value in values[1:4])
                return over_cap("scrypt N x r x p", n * r * p, MAX_SCRYPT_WORK) or over_cap(
                    "scrypt memory", 128 * r * (n + p) // 1024, MAX_SCRYPT_MEMORY_KIB, " KiB"
                )
            return None
        if oid.startswith(_PBES1_PREFIXES):
            iterations = _integer(_elements(parameters)[1])
            return over_cap("PBE iterations", iterations, MAX_PBKDF2_ITERATIONS)
    except (IndexError, ValueError):  # _DerError, or fewer elements than the scheme has
        return "its encryption parameters cannot be read"
    return None
