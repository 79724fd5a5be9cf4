"""Key formats in-process: every type and format reads back to the same public key, passphrases
are checked, PuTTY files are tamper-proof, and the secrets stay out of reprs. The same files are
read by ssh-keygen and puttygen in tests/integration/test_key_tools.py."""

from __future__ import annotations

import pytest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.keys.key_formats import (
    KeyReadError,
    PassphraseError,
    PrivateKey,
    clear_public_key,
    generate_private_key,
    is_encrypted,
    key_format_of,
    load_private_key,
    public_key_of,
    serialize_private_key,
)
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.keys.key_specs import (
    KEY_FORMATS,
    KeyFormat,
    KeyType,
    check_key_format,
    check_key_spec,
)
from ecs_keypair.workflows.key_workflows import Delivered, MadeHere

PASSPHRASE = b"correct horse"
Spec = tuple[KeyType, int | None]
Keys = dict[Spec, PrivateKey]
SPECS: list[Spec] = [
    ("ed25519", None), ("rsa", 2048), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521)
]


@pytest.fixture(scope="module")
def keys() -> Keys:
    return {spec: generate_private_key(*spec) for spec in SPECS}


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec[0]}{spec[1] or ''}")
@pytest.mark.parametrize("key_format", KEY_FORMATS)
@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_round_trip(
    keys: Keys, spec: Spec, key_format: KeyFormat, passphrase: bytes | None
) -> None:
    key = keys[spec]
    data = serialize_private_key(key, key_format, passphrase, "web-1")
    assert key_format_of(data) == key_format
    assert is_encrypted(data) is bool(passphrase)
    assert public_key_of(load_private_key(data, passphrase)) == public_key_of(key)
    if passphrase:
        with pytest.raises(PassphraseError):
            load_private_key(data, None)
        with pytest.raises(PassphraseError):
            load_private_key(data, b"wrong")


def test_headers_name_the_format_and_encryption(keys: Keys) -> None:
    rsa = keys[("rsa", 2048)]
    assert serialize_private_key(rsa, "pem", PASSPHRASE).startswith(
        b"-----BEGIN ENCRYPTED PRIVATE KEY-----"
    )
    assert serialize_private_key(rsa, "pem").startswith(b"-----BEGIN PRIVATE KEY-----")
    assert serialize_private_key(rsa, "openssh", PASSPHRASE).startswith(
        b"-----BEGIN OPENSSH PRIVATE KEY-----"
    )
    ppk = serialize_private_key(keys[("ed25519", None)], "ppk", PASSPHRASE, "laptop").decode()
    lines = ppk.splitlines()
    assert lines[:3] == ["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: aes256-cbc",
                         "Comment: laptop"]
    assert "Key-Derivation: Argon2id" in lines
    assert lines[-1].startswith("Private-MAC: ")


def test_openssh_and_ppk_show_their_public_key_without_the_passphrase(keys: Keys) -> None:
    key = keys[("ecdsa", 384)]
    formats: tuple[KeyFormat, ...] = ("openssh", "ppk")
    for key_format in formats:
        data = serialize_private_key(key, key_format, PASSPHRASE, "x")
        assert clear_public_key(data) == public_key_of(key)
    assert clear_public_key(serialize_private_key(key, "pem", PASSPHRASE)) is None


def test_a_changed_ppk_fails_its_mac(keys: Keys) -> None:
    text = serialize_private_key(keys[("ed25519", None)], "ppk", None, "laptop").decode()
    with pytest.raises(KeyReadError, match="MAC"):
        load_private_key(text.replace("Comment: laptop", "Comment: lapdog").encode())
    encrypted = serialize_private_key(keys[("ed25519", None)], "ppk", PASSPHRASE, "laptop")
    with pytest.raises(PassphraseError):
        load_private_key(encrypted.replace(b"Comment: laptop", b"Comment: lapdog"), PASSPHRASE)


def test_ppk_asking_for_unbounded_work_is_refused(keys: Keys) -> None:
    text = serialize_private_key(keys[("ed25519", None)], "ppk", PASSPHRASE, "x").decode()
    greedy = text.replace("Argon2-Memory: 8192", "Argon2-Memory: 99999999")
    with pytest.raises(KeyReadError, match="Argon2-Memory"):
        load_private_key(greedy.encode(), PASSPHRASE)


@pytest.mark.parametrize("data", [b"", b"hello", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END"
                                  b" PRIVATE KEY-----\n", b"PuTTY-User-Key-File-9: ssh-rsa\n"])
def test_what_is_not_a_key_is_a_read_error(data: bytes) -> None:
    with pytest.raises(KeyReadError):
        load_private_key(data)


def test_key_specs_and_formats_are_judged() -> None:
    bad_specs: list[Spec] = [("rsa", 1024), ("rsa", 8192), ("ecdsa", 300), ("ed25519", 256)]
    for key_type, bits in bad_specs:
        with pytest.raises(ApiException) as caught:
            generate_private_key(key_type, bits)
        assert caught.value.error.code == "InvalidParameter"
    unknown = check_key_spec("dsa", None)  # a type the command line was given, not a KeyType
    assert unknown is not None and unknown.code == "InvalidParameter"
    problem = check_key_format("ed25519", "pem")
    assert problem is not None and "openssh or ppk" in problem.reason
    assert check_key_format("rsa", "pem") is None


def test_secrets_stay_out_of_reprs(keys: Keys) -> None:
    key = keys[("ed25519", None)]
    request = SaveRequest("/tmp/x", "openssh", PASSPHRASE)
    made = MadeHere("n", public_key_of(key), Delivered(), (), key)
    assert PASSPHRASE.decode() not in repr(request)
    assert "private_key" not in repr(made)
