"""Where a passphrase comes from: ``--passphrase-env`` holds bytes (a passphrase is bytes), and
``--passphrase-file`` is read only when it is a regular file, and only as far as its first
line can go. Every refusal is a usage error (exit 2) in one line, in bounded time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ecs_keypair.cli.key_options import MAX_PASSPHRASE_FILE_BYTES
from ecs_keypair.keys.key_formats import load_private_key, public_key_of

from tests.support.cli import REGION, run_module
from tests.support.engine import PUBLIC_LINE

NOT_UTF8 = b"caf\xe9 au lait"  # Latin-1, as a terminal in that encoding types it
SAVE_COMMANDS = {
    "CreateKeyPair": ("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1"),
    "keygen": ("keygen", "--KeyPairName", "web-1", "--RegionId", REGION),
}


def _usage_line(outcome) -> str:
    first, second = outcome.usage.splitlines()
    assert second.startswith("Try 'ecs-keypair ")
    return first


def _command(name: str, tmp_path: Path, *source: str) -> tuple[str, ...]:
    if name == "fingerprint":
        public = tmp_path / "k.pub"
        public.write_text(f"{PUBLIC_LINE}\n")
        return ("fingerprint", str(public), *source)
    return (*SAVE_COMMANDS[name], "--save", str(tmp_path / "k"), *source)


@pytest.mark.parametrize("name", sorted(SAVE_COMMANDS))
def test_a_passphrase_that_is_not_utf8_encrypts_with_its_bytes(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("KEY_PASS", os.fsdecode(NOT_UTF8))
    body = cli(*SAVE_COMMANDS[name], "--save", str(tmp_path / "k"), "--format", "openssh",
               "--passphrase-env", "KEY_PASS").body
    key = load_private_key((tmp_path / "k").read_bytes(), NOT_UTF8)
    assert public_key_of(key).md5_fingerprint == body["KeyPairFingerPrint"]


def test_fingerprint_opens_a_key_with_a_passphrase_that_is_not_utf8(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEY_PASS", os.fsdecode(NOT_UTF8))
    made = cli(*SAVE_COMMANDS["CreateKeyPair"], "--save", str(tmp_path / "k.pem"),
               "--passphrase-env", "KEY_PASS").body
    (tmp_path / "k.pem.pub").unlink()  # an encrypted pem then needs its passphrase
    read = cli("fingerprint", str(tmp_path / "k.pem"), "--passphrase-env", "KEY_PASS").body
    assert (read["KeyPairFingerPrint"], read["Encrypted"]) == (made["KeyPairFingerPrint"], True)


@pytest.mark.parametrize("name", ["CreateKeyPair", "keygen", "fingerprint"])
def test_an_empty_variable_is_said_to_be_empty(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("KEY_PASS", "")
    line = _usage_line(cli(*_command(name, tmp_path, "--passphrase-env", "KEY_PASS")))
    assert line == "ecs-keypair: --passphrase-env: the environment variable KEY_PASS is empty"
    assert not (tmp_path / "k").exists()


def test_an_unset_variable_is_said_to_be_unset(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KEY_PASS", raising=False)
    line = _usage_line(cli(*_command("keygen", tmp_path, "--passphrase-env", "KEY_PASS")))
    assert line == "ecs-keypair: --passphrase-env: the environment variable KEY_PASS is not set"


def test_a_fifo_is_refused_without_waiting_for_a_writer(home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pass"
    os.mkfifo(fifo)
    for name in ("CreateKeyPair", "fingerprint"):
        outcome = run_module(*_command(name, tmp_path, "--passphrase-file", str(fifo)))
        assert _usage_line(outcome) == (
            f"ecs-keypair: --passphrase-file: {fifo} is not a regular file"
        )
    assert not (tmp_path / "k").exists()


@pytest.mark.parametrize("special", ["/dev/zero", "folder"])
def test_a_device_or_a_folder_is_refused(cli, tmp_path: Path, special: str) -> None:
    path = Path(special) if special.startswith("/") else tmp_path
    line = _usage_line(cli(*_command("fingerprint", tmp_path, "--passphrase-file", str(path))))
    assert line == f"ecs-keypair: --passphrase-file: {path} is not a regular file"


def test_a_huge_file_is_read_only_as_far_as_a_first_line_can_go(cli, tmp_path: Path) -> None:
    huge = tmp_path / "pass"
    with open(huge, "wb") as file:
        file.truncate(1 << 30)  # 1 GiB of NUL bytes, sparse: no newline in reach
    line = _usage_line(cli(*_command("fingerprint", tmp_path, "--passphrase-file", str(huge))))
    assert line == f"ecs-keypair: --passphrase-file: the first line of {huge} is too long"
    with open(huge, "r+b") as file:
        file.write(b"short\n")  # a short first line is all that is read
    assert cli(*_command("fingerprint", tmp_path, "--passphrase-file", str(huge))).body


def test_a_first_line_up_to_the_cap_is_a_passphrase(cli, tmp_path: Path) -> None:
    path = tmp_path / "pass"
    path.write_bytes(b"p" * MAX_PASSPHRASE_FILE_BYTES + b"\n")
    assert cli(*_command("fingerprint", tmp_path, "--passphrase-file", str(path))).body
