"""A file or folder a local command is given that cannot be used (fingerprint's FILE, match's
--dir) is said as a Unix tool says it: one line on stderr, ``ecs-keypair: fingerprint: FILE:
reason``, exit 1; no API error body, since no API was asked. The API's own refusals (a region
that does not exist) stay error bodies."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from ecs_keypair.cli import main

from tests.support.cli import REGION, Outcome, run_module

PASSPHRASE = "a long passphrase"


def _one_line(outcome: Outcome, line: str) -> None:
    assert (outcome.status, outcome.out, outcome.err) == (1, "", f"ecs-keypair: {line}\n")


@pytest.fixture
def encrypted_pem(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted pem key without its .pub beside it: only its passphrase opens it."""
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    path = tmp_path / "keys" / "web-1.pem"
    assert cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1", "--save",
               str(path), "--passphrase-env", "KEY_PASS").body
    Path(f"{path}.pub").unlink()
    return path


def test_a_file_that_does_not_exist(cli, tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexist")
    _one_line(cli("fingerprint", missing), f"fingerprint: {missing}: No such file or directory")


def test_a_folder(cli, tmp_path: Path) -> None:
    _one_line(cli("fingerprint", str(tmp_path)),
              f"fingerprint: {tmp_path}: not a regular file (a folder)")


def test_a_file_that_holds_no_key(cli, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("hello\n")
    _one_line(cli("fingerprint", str(tmp_path / "notes")),
              f"fingerprint: {tmp_path / 'notes'}: not a public key line or a private key")


def test_an_encrypted_key_without_its_passphrase_or_with_a_wrong_one(
    cli, encrypted_pem: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_line(cli("fingerprint", str(encrypted_pem)),
              f"fingerprint: {encrypted_pem}: the key is encrypted and there is no "
              "web-1.pem.pub beside it: give the passphrase with --passphrase-file or "
              "--passphrase-env")
    monkeypatch.setenv("WRONG_PASS", "not it")
    _one_line(cli("fingerprint", str(encrypted_pem), "--passphrase-env", "WRONG_PASS"),
              f"fingerprint: {encrypted_pem}: the passphrase is wrong")


def test_a_problem_is_the_same_line_under_cli_query(cli, tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexist")
    _one_line(cli("fingerprint", missing, "--cli-query", "KeyType"),
              f"fingerprint: {missing}: No such file or directory")


def _as_nobody(args: list[str]) -> Outcome:
    """Root reads any file: run the command in a child that has become ``nobody``."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        status = 99
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            status = main(args)
        finally:
            report = f"{status}\0{sys.stdout.getvalue()}\0{sys.stderr.getvalue()}"
            os.write(write_end, report.encode())
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        reported, out, err = pipe.read().decode().split("\0")
    os.waitpid(child, 0)
    return Outcome(int(reported), out, err)


def test_a_file_that_cannot_be_read(cli, tmp_path: Path) -> None:
    locked = tmp_path / "locked.pub"
    locked.write_text("ssh-ed25519 AAAA\n")
    locked.chmod(0)
    args = ["fingerprint", str(locked)]
    outcome = _as_nobody(args) if os.geteuid() == 0 else cli(*args)
    _one_line(outcome, f"fingerprint: {locked}: Permission denied")


def test_match_a_folder_that_does_not_exist_or_is_a_file(cli, tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexist")
    _one_line(cli("match", "--RegionId", REGION, "--dir", missing),
              f"match: {missing}: not a folder that can be read (No such file or directory)")
    (tmp_path / "notes").write_text("hello\n")
    _one_line(cli("match", "--RegionId", REGION, "--dir", str(tmp_path / "notes")),
              f"match: {tmp_path / 'notes'}: not a folder that can be read (Not a directory)")


def test_match_keeps_the_apis_error_body_for_the_apis_refusal(cli, tmp_path: Path) -> None:
    error = cli("match", "--RegionId", "mars", "--dir", str(tmp_path / "nonexist")).error
    assert error["Code"] == "InvalidRegionId.NotFound"


def test_as_a_real_process_with_the_name_as_typed(home: Path) -> None:
    outcome = run_module("fingerprint", "nonexist")
    _one_line(outcome, "fingerprint: nonexist: No such file or directory")
