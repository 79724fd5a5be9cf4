"""OpenSSH agrees with us: it reads our private keys, and its fingerprints are ours.

Users check a key pair with ``ssh-keygen``, so the engine's MD5 ``KeyPairFingerPrint`` and SHA256
fingerprint must be exactly what ``ssh-keygen -l`` prints, for keys we make and keys we import.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    DescribeKeyPairsRequest,
    ImportKeyPairRequest,
)
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.keys.material import parse_public_key
from ecs_keypair.store.local_backend import CreatedKeyPair, LocalBackend

from tests.conftest import require_tool
from tests.support.tools import fingerprints, run_tool, write_private_file

pytestmark = pytest.mark.system

REGION = "cn-hangzhou"


@pytest.fixture
def created(backend: LocalBackend) -> CreatedKeyPair:
    return backend.create_key_pair(CreateKeyPairRequest(REGION, "openssh-check"))


def test_private_key_is_pkcs8_rsa_2048(created: CreatedKeyPair) -> None:
    pem = created.private_key_pem
    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert pem.rstrip("\n").endswith("-----END PRIVATE KEY-----")
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048
    assert key.public_key().public_numbers().e == 65537


def test_ssh_keygen_reads_the_private_key(created: CreatedKeyPair, tmp_path: Path) -> None:
    require_tool("ssh-keygen")
    key_file = write_private_file(tmp_path / "key.pem", created.private_key_pem)
    derived = run_tool("ssh-keygen", "-y", "-f", key_file).stdout.split()
    assert derived[:2] == created.public_key.line.split()
    assert created.record.public_key == created.public_key.line


def test_ssh_keygen_prints_our_fingerprints(created: CreatedKeyPair, tmp_path: Path) -> None:
    require_tool("ssh-keygen")
    public_file = tmp_path / "key.pub"
    public_file.write_text(created.public_key.line + "\n")
    md5, sha256 = fingerprints(public_file)
    assert md5 == f"MD5:{created.body()['KeyPairFingerPrint']}"
    assert md5 == f"MD5:{created.record.fingerprint}"
    assert sha256 == created.public_key.sha256_fingerprint


@pytest.mark.parametrize(
    ("key_type", "bits"),
    [
        ("rsa", "2048"),
        ("rsa", "4096"),
        ("ecdsa", "256"),
        ("ecdsa", "384"),
        ("ecdsa", "521"),
        ("ed25519", None),
        ("dsa", None),
    ],
)
def test_import_gives_the_fingerprint_ssh_keygen_prints(
    backend: LocalBackend, tmp_path: Path, key_type: str, bits: str | None
) -> None:
    require_tool("ssh-keygen")
    key_file = tmp_path / f"id_{key_type}"
    size = ["-b", bits] if bits else []
    made = run_tool(
        "ssh-keygen", "-q", "-t", key_type, *size, "-N", "", "-C", "me@host", "-f", key_file,
        check=key_type != "dsa",
    )
    if made.returncode != 0:
        pytest.skip(f"this ssh-keygen no longer makes {key_type} keys: {made.stderr.strip()}")
    public_file = key_file.with_suffix(".pub")
    line = public_file.read_text()

    body = backend.import_key_pair(
        ImportKeyPairRequest(REGION, f"imported-{key_type}-{bits or 'default'}", line)
    ).body()

    md5, sha256 = fingerprints(public_file)
    assert md5 == f"MD5:{body['KeyPairFingerPrint']}"
    parsed = parse_public_key(line)
    assert isinstance(parsed, PublicKey), parsed
    assert sha256 == parsed.sha256_fingerprint
    stored = backend.describe_key_pairs(
        DescribeKeyPairsRequest(REGION, body["KeyPairName"], include_public_key=True)
    ).body()["KeyPairs"]["KeyPair"]
    assert [item["PublicKey"] for item in stored] == [" ".join(line.split()[:2])]
