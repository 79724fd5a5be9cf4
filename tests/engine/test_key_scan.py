"""Reading key files and matching a folder to key pairs: bounded, read-only, inside the folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.key_values import PublicKey
from ecs_keypair.keys import key_scan
from ecs_keypair.keys.key_formats import (
    generate_private_key,
    public_key_of,
    serialize_private_key,
)
from ecs_keypair.keys.key_save import save_key
from ecs_keypair.keys.key_scan import (
    MAX_KEY_FILE_BYTES,
    MAX_SKIPPED_LISTED,
    match_folder,
    read_key_file,
    scan_folder,
)
from ecs_keypair.store.local_backend import LocalBackend

REGION = "cn-hangzhou"


@pytest.fixture(scope="module")
def keys():
    return [generate_private_key("ed25519"), generate_private_key("ecdsa", 256)]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.lstat().st_mtime_ns, p.lstat().st_size) for p in folder.iterdir()}


def test_fingerprints_of_each_kind_of_file(tmp_path: Path, keys) -> None:
    key = keys[0]
    expected = public_key_of(key)
    saved = save_key(str(tmp_path / "k.ppk"), key, "ppk", "k", b"pw")
    for path in (saved.private_path, saved.public_path):
        info = read_key_file(path)
        assert info.public_key.md5_fingerprint == expected.md5_fingerprint
        assert info.body()["SHA256FingerPrint"] == expected.sha256_fingerprint
    assert read_key_file(saved.private_path).body()["Kind"] == "private"


def test_encrypted_pem_uses_the_pub_beside_it_or_the_passphrase(tmp_path: Path) -> None:
    key = generate_private_key("rsa", 2048)
    saved = save_key(str(tmp_path / "r.pem"), key, "pem", "r", b"pw")
    assert read_key_file(saved.private_path).source == saved.public_path
    assert read_key_file(saved.private_path, b"pw").source == saved.private_path
    with pytest.raises(ApiException) as caught:
        read_key_file(saved.private_path, b"wrong")
    assert caught.value.error.code == "InvalidPassphrase"
    saved.public_path.unlink()
    with pytest.raises(ApiException) as caught:
        read_key_file(saved.private_path)
    assert caught.value.error.code == "InvalidPassphrase"
    assert "--passphrase-file" in caught.value.error.message


@pytest.mark.parametrize("content", [b"not a key\n", b"\x00" * 10])
def test_a_file_that_is_not_a_key(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x").write_bytes(content)
    with pytest.raises(ApiException) as caught:
        read_key_file(tmp_path / "x")
    assert caught.value.error.code == "InvalidKeyFile.Malformed"


def test_match_finds_private_and_public_files_and_reads_only_the_folder(
    tmp_path: Path, keys, backend: LocalBackend
) -> None:
    inside, outside = tmp_path / "ssh", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    first, second = keys
    save_key(str(inside / "one"), first, "openssh", "one")
    (outside / "two").write_bytes(serialize_private_key(second, "openssh"))
    (inside / "two-link").symlink_to(outside / "two")  # out of the folder: not followed
    (inside / "one-link").symlink_to(inside / "one")  # inside: followed
    (inside / "authorized_keys").write_text(f"# mine\n{public_key_of(second).line} x\n")
    huge = serialize_private_key(second, "openssh").ljust(MAX_KEY_FILE_BYTES + 1, b"\n")
    (inside / "huge").write_bytes(huge)
    (inside / "junk").write_bytes(b"\xff\xfe")
    (inside / "sub").mkdir()
    (inside / "sub" / "three").write_bytes(serialize_private_key(second, "openssh"))
    os.mkfifo(inside / "fifo")
    backend.import_key_pair(ImportKeyPairRequest(REGION, "one", public_key_of(first).line))
    backend.import_key_pair(ImportKeyPairRequest(REGION, "two", public_key_of(second).line))
    unmatched = public_key_of(generate_private_key()).line
    backend.import_key_pair(ImportKeyPairRequest(REGION, "none", unmatched))
    before = _snapshot(inside)

    pairs, scan = match_folder(backend.find_key_pairs(REGION), inside)
    matched = {m.record.key_pair_name: m for m in pairs}

    assert sorted(f.path.name for f in matched["one"].files) == ["one", "one-link", "one.pub"]
    assert [f.path.name for f in matched["two"].files] == ["authorized_keys"]
    assert matched["two"].private_files == ()
    assert matched["one"].body()["PrivateKeyOnThisMachine"] is True
    assert matched["none"].files == ()
    assert {(s.path.name, s.reason) for s in scan.skipped} == {
        ("two-link", "a link out of the folder"),
        ("huge", "larger than 64 KiB"),
        ("fifo", "not a regular file (a FIFO)"),
    }
    assert scan.files_read == 5  # one, one.pub, one-link, authorized_keys, junk (sub: a folder)
    assert _snapshot(inside) == before


def test_a_folder_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ApiException) as caught:
        scan_folder(tmp_path / "missing", lambda found: True)
    assert caught.value.error.code == "InvalidKeyFile.Malformed"


def _recording_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path ``os.open`` is asked for from here on (it still opens them)."""
    opened: list[str] = []
    real_open = os.open

    def recording(path: str | bytes, *args: Any, **kwargs: Any) -> int:
        opened.append(os.path.basename(os.fsdecode(path)))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording)
    return opened


def _special_files(folder: Path) -> dict[str, Path]:
    """A FIFO, a character device (/dev/null's numbers, made here) and a link to /dev/null."""
    folder.mkdir(exist_ok=True)
    os.mkfifo(folder / "fifo")
    made = {"fifo": folder / "fifo", "null-link": folder / "null-link"}
    made["null-link"].symlink_to(os.devnull)
    try:
        os.mknod(folder / "device", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        made["device"] = folder / "device"
    except PermissionError:  # not root (CI runs as root): the FIFO and the link still count
        pass
    return made


def test_special_files_are_looked_at_before_they_are_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys
) -> None:
    made = _special_files(tmp_path / "ssh")
    save_key(str(tmp_path / "ssh" / "mine"), keys[0], "openssh", "mine")
    never_opened = {*made, os.path.basename(os.devnull)}
    opened = _recording_opens(monkeypatch)

    messages = []
    for path in made.values():
        with pytest.raises(ApiException) as caught:
            read_key_file(path)  # a link the user names is followed: to its target's stat
        messages.append(caught.value.error.message)
    assert not set(opened) & never_opened
    assert all("not a regular file" in message for message in messages)

    scan = scan_folder(tmp_path / "ssh", lambda found: True)

    assert not set(opened) & never_opened
    assert [found.path.name for found in scan.keys] == ["mine", "mine.pub"]
    assert {s.path.name for s in scan.skipped} == set(made)


def test_the_scan_stops_at_its_entry_limit_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(key_scan, "MAX_FOLDER_ENTRIES", 30)
    for index in range(40):
        (tmp_path / f"file-{index}").write_text("not a key\n")

    scan = scan_folder(tmp_path, lambda found: True)

    assert scan.files_read == 30
    assert scan.entry_limit_reached and scan.body()["EntryLimitReached"] is True


def test_a_file_that_breaks_a_parser_is_skipped_and_the_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys
) -> None:
    save_key(str(tmp_path / "mine"), keys[0], "openssh", "mine")
    (tmp_path / "breaks").write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nboom\n")
    real = key_scan.public_key_in

    def breaking(data: bytes, passphrase: bytes | None = None) -> PublicKey:
        if b"boom" in data:
            raise RuntimeError("a parser's own bug")
        return real(data, passphrase)

    monkeypatch.setattr(key_scan, "public_key_in", breaking)

    scan = scan_folder(tmp_path, lambda found: True)

    assert [found.path.name for found in scan.keys] == ["mine", "mine.pub"]
    assert [(s.path.name, s.reason) for s in scan.skipped] == [
        ("breaks", "unexpected failure reading it (RuntimeError)")
    ]


def test_many_skipped_files_are_all_counted_and_the_first_ones_named(tmp_path: Path) -> None:
    for index in range(MAX_SKIPPED_LISTED + 5):
        os.mkfifo(tmp_path / f"fifo-{index}")

    scan = scan_folder(tmp_path, lambda found: True)

    assert scan.skipped_count == MAX_SKIPPED_LISTED + 5
    skipped = scan.body()["Skipped"]
    assert isinstance(skipped, list) and len(skipped) == MAX_SKIPPED_LISTED
