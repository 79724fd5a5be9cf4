"""Reading key files and matching a folder to key pairs: bounded, read-only, inside the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.engine.errors import ApiException
from app.engine.key_formats import generate_private_key, public_key_of, serialize_private_key
from app.engine.key_save import save_key
from app.engine.key_scan import MAX_KEY_FILE_BYTES, match_folder, read_key_file, scan_folder
from app.engine.requests import ImportKeyPairRequest
from app.engine.service import KeyPairService

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
    tmp_path: Path, keys, service: KeyPairService
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
    (inside / "huge").write_bytes(serialize_private_key(second, "openssh").ljust(MAX_KEY_FILE_BYTES + 1, b"\n"))
    (inside / "junk").write_bytes(b"\xff\xfe")
    (inside / "sub").mkdir()
    (inside / "sub" / "three").write_bytes(serialize_private_key(second, "openssh"))
    os.mkfifo(inside / "fifo")
    service.import_key_pair(ImportKeyPairRequest(REGION, "one", public_key_of(first).line))
    service.import_key_pair(ImportKeyPairRequest(REGION, "two", public_key_of(second).line))
    unmatched = public_key_of(generate_private_key()).line
    service.import_key_pair(ImportKeyPairRequest(REGION, "none", unmatched))
    before = _snapshot(inside)

    pairs, scan = match_folder(service.find_key_pairs(REGION), inside)
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
