"""Our key files read by the tools people use, and theirs by us: ssh-keygen (pem, openssh),
puttygen (ppk v3), and a real ssh-agent started by the test."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.keys.agent import add_to_agent
from ecs_keypair.keys.key_formats import (
    PrivateKey,
    generate_private_key,
    load_private_key,
    public_key_line,
    public_key_of,
)
from ecs_keypair.keys.key_save import save_key
from ecs_keypair.keys.key_scan import read_key_file
from ecs_keypair.keys.key_specs import KeyFormat, KeyType

from tests.conftest import require_tool
from tests.support.tools import (
    agent_listing,
    run_tool,
    running_ssh_agent,
    write_private_file,
)

pytestmark = pytest.mark.system

PASSPHRASE = "tr0ub4dor &3"
Spec = tuple[KeyType, int | None]
SPECS: list[Spec] = [("ed25519", None), ("rsa", 2048), ("ecdsa", 256), ("ecdsa", 521)]
LIFETIME_WAIT = 60.0  # seconds to wait for a 1-second lifetime to end: a bound, not a measure


@pytest.fixture(scope="module")
def keys() -> dict[Spec, PrivateKey]:
    return {spec: generate_private_key(*spec) for spec in SPECS}


def _formats(key_type: KeyType) -> list[KeyFormat]:
    return ["openssh"] if key_type == "ed25519" else ["pem", "openssh"]


def _key_type_and_blob(line: str) -> list[str]:
    return line.split()[:2]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec[0]}{spec[1] or ''}")
def test_ssh_keygen_reads_pem_and_openssh(
    keys: dict[Spec, PrivateKey], spec: Spec, tmp_path: Path
) -> None:
    require_tool("ssh-keygen")
    key = keys[spec]
    expected = _key_type_and_blob(public_key_of(key).line)
    for key_format in _formats(spec[0]):
        plain = save_key(str(tmp_path / f"{key_format}-plain"), key, key_format, "k")
        derived = run_tool("ssh-keygen", "-y", "-f", plain.private_path)
        assert _key_type_and_blob(derived.stdout) == expected
        locked = save_key(str(tmp_path / f"{key_format}-locked"), key, key_format, "k",
                          PASSPHRASE.encode())
        read = run_tool("ssh-keygen", "-y", "-P", PASSPHRASE, "-f", locked.private_path)
        assert _key_type_and_blob(read.stdout) == expected
        wrong = run_tool("ssh-keygen", "-y", "-P", "wrong", "-f", locked.private_path, check=False)
        assert wrong.returncode != 0 and wrong.stdout == ""


KEYGEN_SPECS = [("ed25519", None), ("rsa", 2048), ("rsa", 3072), ("ecdsa", 256), ("ecdsa", 384),
                ("ecdsa", 521)]


@pytest.mark.parametrize("spec", KEYGEN_SPECS, ids=lambda spec: f"{spec[0]}{spec[1] or ''}")
def test_public_key_line_is_the_line_ssh_keygen_writes(spec, tmp_path: Path) -> None:
    """The .pub line of a key is byte for byte ssh-keygen's: its own .pub file beside a key it
    made (with a comment), and ``ssh-keygen -y`` of a key made here (without one)."""
    require_tool("ssh-keygen")
    key_type, bits = spec
    theirs = tmp_path / "theirs"
    size = ["-b", str(bits)] if bits else []
    run_tool("ssh-keygen", "-q", "-t", key_type, *size, "-N", "", "-C", "web-1", "-f", theirs)
    loaded = load_private_key(theirs.read_bytes())
    assert public_key_line(loaded, "web-1") == theirs.with_suffix(".pub").read_text()
    made = generate_private_key(key_type, bits)
    ours = save_key(str(tmp_path / "ours"), made, "openssh", "")
    assert public_key_line(made) == run_tool("ssh-keygen", "-y", "-f", ours.private_path).stdout


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec[0]}{spec[1] or ''}")
def test_puttygen_reads_ppk_plain_and_encrypted(
    keys: dict[Spec, PrivateKey], spec: Spec, tmp_path: Path
) -> None:
    require_tool("puttygen", "ssh-keygen")
    key = keys[spec]
    expected = _key_type_and_blob(public_key_of(key).line)
    plain = save_key(str(tmp_path / "plain.ppk"), key, "ppk", "web-1")
    out = run_tool("puttygen", plain.private_path, "-O", "public-openssh", "-o", "/dev/stdout")
    assert _key_type_and_blob(out.stdout) == expected
    assert out.stdout.split()[2] == "web-1"  # the comment is the key pair name
    locked = save_key(str(tmp_path / "locked.ppk"), key, "ppk", "web-1", PASSPHRASE.encode())
    right = write_private_file(tmp_path / "right", PASSPHRASE + "\n")
    # The public half of a ppk is in the clear: converting the private half is what needs the
    # passphrase, and ssh-keygen then proves puttygen decrypted the right key.
    converted = tmp_path / "converted"
    run_tool("puttygen", locked.private_path, "-O", "private-openssh-new", "-o", converted,
             "--old-passphrase", right, "--new-passphrase", "/dev/null")
    assert _key_type_and_blob(run_tool("ssh-keygen", "-y", "-f", converted).stdout) == expected
    wrong = write_private_file(tmp_path / "wrong", "wrong\n")
    failed = run_tool("puttygen", locked.private_path, "-O", "private-openssh-new", "-o",
                      tmp_path / "never", "--old-passphrase", wrong, check=False)
    assert failed.returncode != 0
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize("key_type", ["ed25519", "rsa", "ecdsa"])
def test_we_read_what_puttygen_and_ssh_keygen_write(key_type: str, tmp_path: Path) -> None:
    require_tool("puttygen", "ssh-keygen")
    passphrase_file = write_private_file(tmp_path / "pass", PASSPHRASE + "\n")
    ppk = tmp_path / "theirs.ppk"
    run_tool("puttygen", "-t", key_type, "-o", ppk, "--new-passphrase", passphrase_file)
    theirs = run_tool("puttygen", ppk, "-O", "public-openssh", "-o", "/dev/stdout",
                      "--old-passphrase", passphrase_file).stdout
    loaded = load_private_key(ppk.read_bytes(), PASSPHRASE.encode())
    assert public_key_of(loaded).line.split() == theirs.split()[:2]
    openssh = tmp_path / "theirs"
    run_tool("ssh-keygen", "-q", "-t", key_type, "-N", PASSPHRASE, "-f", openssh)
    md5 = run_tool("ssh-keygen", "-l", "-E", "md5", "-f", openssh).stdout.split()[1]
    assert f"MD5:{read_key_file(openssh, PASSPHRASE.encode()).public_key.md5_fingerprint}" == md5
    assert read_key_file(openssh).public_key.md5_fingerprint == md5.removeprefix("MD5:")


def test_the_agent_lists_the_added_key_and_honours_its_lifetime(
    keys: dict[Spec, PrivateKey],
) -> None:
    require_tool("ssh-agent", "ssh-add")
    with running_ssh_agent() as socket_path:
        for spec in SPECS:
            added = add_to_agent(keys[spec], f"key-{spec[0]}", socket_path=socket_path)
            assert added.socket_path == socket_path
            assert f"MD5:{added.md5_fingerprint} key-{spec[0]}" in agent_listing(socket_path)
        short = generate_private_key("ed25519")
        added = add_to_agent(short, "short-lived", lifetime=1, socket_path=socket_path)
        assert added.lifetime == 1
        deadline = time.monotonic() + LIFETIME_WAIT
        while added.md5_fingerprint in agent_listing(socket_path):
            assert time.monotonic() < deadline, "the agent kept a key past its lifetime"
            time.sleep(0.2)
        assert f"MD5:{public_key_of(keys[SPECS[0]]).md5_fingerprint}" in agent_listing(socket_path)


def test_no_agent_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, keys: dict[Spec, PrivateKey]
) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    with pytest.raises(ApiException) as caught:
        add_to_agent(keys[SPECS[0]], "k")
    assert caught.value.error.code == "SshAgent.Unavailable"
    assert "SSH_AUTH_SOCK is not set" in caught.value.error.message
    monkeypatch.setenv("SSH_AUTH_SOCK", str(tmp_path / "gone.sock"))
    with pytest.raises(ApiException) as caught:
        add_to_agent(keys[SPECS[0]], "k")
    assert caught.value.error.code == "SshAgent.Unavailable"
    assert str(tmp_path / "gone.sock") in caught.value.error.message
    assert not os.path.exists(tmp_path / "gone.sock")
