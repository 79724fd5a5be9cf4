"""ImportKeyPair from the command line, with public keys that ssh-keygen made."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.support.cli import REGION


def ssh_keygen(tmp_path: Path, key_type: str, *options: str) -> tuple[str, str]:
    """A new key by ``ssh-keygen``: its public key line and its MD5 fingerprint as ssh-keygen
    prints it (without ``MD5:``)."""
    require_tool("ssh-keygen")
    path = tmp_path / f"id_{key_type}"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", key_type, *options, "-N", "", "-C", "me@laptop", "-f", path],
        check=True,
    )
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "md5", "-f", f"{path}.pub"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fingerprint = listed.split()[1].removeprefix("MD5:")
    return Path(f"{path}.pub").read_text(), fingerprint


@pytest.mark.system
@pytest.mark.parametrize(
    ("key_type", "options"), [("rsa", ("-b", "2048")), ("ecdsa", ("-b", "384")), ("ed25519", ())]
)
def test_import_a_key_made_by_ssh_keygen(cli, tmp_path: Path, key_type, options) -> None:
    line, fingerprint = ssh_keygen(tmp_path, key_type, *options)
    body = cli(
        "ImportKeyPair",
        "--RegionId",
        REGION,
        "--KeyPairName",
        f"laptop-{key_type}",
        "--PublicKeyBody",
        line,
    ).body
    assert list(body) == ["RequestId", "KeyPairName", "KeyPairFingerPrint"]
    assert body["KeyPairName"] == f"laptop-{key_type}"
    assert body["KeyPairFingerPrint"] == fingerprint
    described = cli("DescribeKeyPairs", "--RegionId", REGION, "--IncludePublicKey", "true")
    listed = described.body["KeyPairs"]["KeyPair"]
    assert listed[0]["PublicKey"] == " ".join(line.split()[:2])
    assert listed[0]["KeyPairFingerPrint"] == fingerprint


@pytest.mark.system
def test_import_with_tags_and_the_equals_form(cli, tmp_path: Path) -> None:
    line, _ = ssh_keygen(tmp_path, "ed25519")
    cli(
        "ImportKeyPair",
        f"--RegionId={REGION}",
        "--KeyPairName=laptop",
        f"--PublicKeyBody={line}",
        "--Tag.1.Key=owner",
        "--Tag.1.Value=me",
    ).ok()
    listed = cli("DescribeKeyPairs", "--RegionId", REGION, "--Tag.1.Key", "owner").body
    assert listed["TotalCount"] == 1


@pytest.mark.parametrize(
    "body",
    [
        "ssh-ed25519",
        "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIA==",
        "ssh-ed25519 not-base64!!",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIBq0t6ZZrIE4IFUWmb0x7Zuy4MHuCyZ3rYmsMKbR1j3T",
        "-----BEGIN PRIVATE KEY-----",
    ],
)
def test_malformed_public_key(cli, body: str) -> None:
    error = cli(
        "ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "bad", "--PublicKeyBody", body
    ).error
    assert (error["Code"], error["Message"], error["HttpStatusCode"]) == (
        "InvalidPublicKeyBody.Malformed",
        "The PublicKeyBody format is not supported.",
        400,
    )
    assert cli("DescribeKeyPairs", "--RegionId", REGION).body["TotalCount"] == 0


def test_public_key_body_is_required(cli) -> None:
    message = cli("ImportKeyPair", "--RegionId", REGION, "--KeyPairName", "bad").usage
    assert "missing required parameter --PublicKeyBody" in message
