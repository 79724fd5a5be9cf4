"""Property tests of ImportKeyPair's parser: whatever arrives as PublicKeyBody (any text, or a
real key damaged anywhere), it answers a key or InvalidPublicKeyBody.Malformed, never a crash."""

from __future__ import annotations

import base64
import warnings

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.keys.material import parse_public_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def public_line(private_key: serialization.SSHPrivateKeyTypes) -> str:
    public = private_key.public_key()
    encoded = public.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return encoded.decode("ascii")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """One real public key line of each supported type."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DSA is deprecated in cryptography, not in the API
        dss = dsa.generate_private_key(1024)
    return [
        public_line(rsa.generate_private_key(65537, 2048)),
        public_line(dss),
        public_line(ec.generate_private_key(ec.SECP256R1())),
        public_line(ec.generate_private_key(ec.SECP384R1())),
        public_line(ec.generate_private_key(ec.SECP521R1())),
        public_line(ed25519.Ed25519PrivateKey.generate()),
    ]


def assert_key_or_malformed(result: PublicKey | ApiError) -> None:
    if isinstance(result, ApiError):
        assert (result.code, result.status) == ("InvalidPublicKeyBody.Malformed", 400)
        assert result.field == "PublicKeyBody"
        assert result.reason
    else:
        assert isinstance(result, PublicKey)


@settings(max_examples=300)
@given(st.text(st.characters(exclude_categories=()), max_size=300))
def test_any_text_is_a_key_or_malformed(text: str) -> None:
    assert_key_or_malformed(parse_public_key(text))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_real_key_is_a_key_or_malformed(lines: list[str], data: st.DataObject) -> None:
    key_type, encoded = data.draw(st.sampled_from(lines)).split()
    blob = bytearray(base64.b64decode(encoded))
    damage = data.draw(st.sampled_from(["truncate", "flip", "insert", "retype"]))
    if damage == "truncate":
        blob = blob[: data.draw(st.integers(0, len(blob) - 1))]
    elif damage == "flip":
        for _ in range(data.draw(st.integers(1, 4))):
            blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    elif damage == "insert":
        at = data.draw(st.integers(4, len(blob)))
        blob[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    else:
        key_type = data.draw(st.sampled_from([line.split()[0] for line in lines]))
    result = parse_public_key(f"{key_type} {base64.b64encode(bytes(blob)).decode('ascii')}")
    assert_key_or_malformed(result)
    if isinstance(result, PublicKey):
        assert result.key_type == key_type


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    comment=st.text(st.characters(exclude_categories=("Cs", "Zl", "Zp", "Cc")), max_size=30),
    before=st.sampled_from(["", " ", "\n", "\t  "]),
    after=st.sampled_from(["", "\n", " \n\n", "\r\n"]),
)
def test_comments_and_surrounding_whitespace_do_not_change_the_key(
    lines: list[str], data: st.DataObject, comment: str, before: str, after: str
) -> None:
    line = data.draw(st.sampled_from(lines))
    result = parse_public_key(f"{before}{line} {comment}{after}")
    assert isinstance(result, PublicKey), result
    assert result.line == line
