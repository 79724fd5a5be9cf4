"""What a key file asks a reader to compute is bounded before any of it is done: the public half
is read without the private half's arithmetic, key sizes and passphrase derivations above their
caps are refused with InvalidKeyFile.Malformed (the reader's KeyReadError), and parameters
Argon2 itself refuses are a malformed file, not a crash or a wrong passphrase.

Calls that took seconds to months before are made under ``within``: a regression fails the
test instead of hanging the run."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.keys import ppk
from ecs_keypair.keys.kdf_costs import MAX_PBKDF2_ITERATIONS, bcrypt_problem, pkcs8_problem
from ecs_keypair.keys.key_formats import (
    KeyReadError,
    generate_private_key,
    load_private_key,
    public_key_of,
    serialize_private_key,
)
from ecs_keypair.keys.key_scan import read_key_file
from ecs_keypair.keys.key_specs import KeyFormat
from ecs_keypair.keys.material import parse_public_key
from ecs_keypair.keys.ssh_wire import mpint, string
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.hostile_keys import (
    PASSPHRASE,
    encrypted_pkcs8,
    huge_rsa_public_line,
    mersenne_rsa_key,
    openssh_with_rounds,
    ppk_with,
    rsa_pem,
    within,
)

WRITTEN_AS: dict[str, KeyFormat] = {"pkcs8": "pem", "openssh": "openssh", "ppk": "ppk"}
"""The formats the parameters below name, as serialize_private_key calls them."""


@pytest.fixture(scope="module")
def mersenne() -> rsa.RSAPrivateKey:
    return mersenne_rsa_key(4423, 9689)  # 14,112 bits: read, but its check takes many seconds


def _rsa_line(bits: int) -> str:
    blob = string(b"ssh-rsa") + mpint(65537) + mpint((1 << bits) - 1)
    return f"ssh-rsa {base64.b64encode(blob).decode('ascii')}"


def test_rsa_public_keys_above_16384_bits_are_refused(backend: LocalBackend) -> None:
    assert isinstance(parse_public_key(_rsa_line(16384)), PublicKey)
    for line in (_rsa_line(16385), huge_rsa_public_line()):
        refused = parse_public_key(line)
        assert isinstance(refused, ApiError)
        assert refused.code == "InvalidPublicKeyBody.Malformed"
        assert "(at most 16384 are read)" in refused.reason
    with pytest.raises(ApiException) as caught:
        backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "huge", huge_rsa_public_line()))
    assert caught.value.error.code == "InvalidPublicKeyBody.Malformed"


@pytest.mark.parametrize(
    ("key_format", "passphrase"),
    [(key_format, None) for key_format in ("pkcs8", "traditional", "openssh", "ppk")]
    + [(key_format, PASSPHRASE) for key_format in ("pkcs8", "openssh", "ppk")],
    ids=lambda value: value if isinstance(value, str) else ("encrypted" if value else "plain"),
)
def test_the_public_half_is_read_without_checking_the_private_half(
    tmp_path: Path, mersenne: rsa.RSAPrivateKey, key_format: str, passphrase: bytes | None
) -> None:
    if key_format == "traditional":
        data = rsa_pem(mersenne, traditional=True)
    else:
        data = serialize_private_key(mersenne, WRITTEN_AS[key_format], passphrase)
    (tmp_path / "key").write_bytes(data)

    found = within(lambda: read_key_file(tmp_path / "key", passphrase))

    assert found.public_key == public_key_of(mersenne)


def test_a_key_to_use_is_refused_above_the_size_before_it_is_checked() -> None:
    oversize = rsa_pem(mersenne_rsa_key(9941, 11213))  # 21,154 bits
    with pytest.raises(KeyReadError, match="an RSA key of 21154 bits"):
        within(lambda: load_private_key(oversize))


def test_a_key_to_use_is_still_checked_whole() -> None:
    key = generate_private_key("rsa", 2048)
    assert isinstance(key, rsa.RSAPrivateKey)
    numbers = key.private_numbers()
    broken = rsa.RSAPrivateNumbers(
        numbers.p, numbers.q, numbers.d + 2, numbers.dmp1, numbers.dmq1, numbers.iqmp,
        numbers.public_numbers,
    ).private_key(unsafe_skip_rsa_key_validation=True)
    with pytest.raises(KeyReadError):
        load_private_key(rsa_pem(broken))


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (lambda: openssh_with_rounds(2**31), "bcrypt rounds 2147483648 is above this tool's cap"),
        (lambda: openssh_with_rounds(0), "bcrypt rounds 0"),
        (lambda: encrypted_pkcs8("pbkdf2", 2**31 - 1), "PBKDF2 iterations 2147483647 is above"),
        (lambda: encrypted_pkcs8("scrypt", 1024, 8, 1 << 16), "scrypt N x r x p 536870912"),
        (lambda: encrypted_pkcs8("scrypt", 1 << 20, 1, 1), "scrypt memory 131072 KiB"),
    ],
    ids=["bcrypt", "bcrypt-zero", "pbkdf2", "scrypt-work", "scrypt-memory"],
)
def test_a_derivation_above_its_cap_is_refused_before_it_starts(
    data: Callable[[], bytes], refusal: str
) -> None:
    key_file = data()
    with pytest.raises(KeyReadError) as caught:
        within(lambda: load_private_key(key_file, PASSPHRASE))
    assert refusal in str(caught.value)
    assert not isinstance(caught.value, ppk.PpkPassphraseError)


def test_what_the_tools_write_is_within_the_caps() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    written = serialize_private_key(key, "pem", PASSPHRASE)
    body = b"".join(line for line in written.splitlines() if not line.startswith(b"-----"))
    assert pkcs8_problem(base64.b64decode(body)) is None  # cryptography's own PBES2 choice
    for costs in (("pbkdf2", 2048), ("pbkdf2", MAX_PBKDF2_ITERATIONS), ("scrypt", 16384, 8, 1)):
        pem = encrypted_pkcs8(*costs)
        der = base64.b64decode(b"".join(pem.splitlines()[1:-1]))
        assert pkcs8_problem(der) is None, costs
    assert bcrypt_problem(b"bcrypt", string(b"0" * 16) + (16).to_bytes(4, "big")) is None
    assert pkcs8_problem(b"\x30\x03\x02\x01\x00") == "its encryption parameters cannot be read"


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"Argon2_Memory": "65537"}, "Argon2-Memory 65537 KiB is above this tool's cap of 65536"),
        ({"Argon2_Passes": "101"}, "Argon2-Passes 101 is above this tool's cap of 100"),
        ({"Argon2_Salt": ""}, "Argon2-Salt has 0 bytes, Argon2 needs at least 8"),
        ({"Argon2_Salt": "00112233445566"}, "Argon2-Salt has 7 bytes"),
        ({"Argon2_Memory": "1", "Argon2_Parallelism": "64"}, "8 KiB per lane"),
        ({"Argon2_Memory": "²"}, "Argon2-Memory must be a whole number"),
        ({"Argon2_Passes": "1" * 5000}, "Argon2-Passes must be a whole number"),
    ],
    ids=["memory", "passes", "empty-salt", "short-salt", "parallelism", "superscript", "digits"],
)
def test_bad_argon2_parameters_are_a_malformed_file(fields: dict[str, str], refusal: str) -> None:
    text = ppk_with(**fields).decode("utf-8")
    with pytest.raises(ppk.PpkError) as caught:
        within(lambda: ppk.decode_ppk(text, PASSPHRASE))
    assert refusal in str(caught.value)
    assert not isinstance(caught.value, ppk.PpkPassphraseError)


def test_a_count_that_is_a_digit_only_to_isdigit_is_a_malformed_file() -> None:
    text = ppk_with(Public_Lines="²").decode("utf-8")
    with pytest.raises(ppk.PpkError, match="Public-Lines must be a whole number"):
        ppk.read_ppk_public(text)
