"""Saving a key and its .pub: modes from the first byte, nothing overwritten, nothing half-left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.engine import key_save
from app.engine.errors import ApiException
from app.engine.key_formats import generate_private_key, load_private_key, public_key_of
from app.engine.key_save import check_save_path, save_key
from tests.support.tools import mode


@pytest.fixture(scope="module")
def key():
    return generate_private_key("ed25519")


def test_saves_key_0600_and_pub_0644_in_a_new_0700_folder(tmp_path: Path, key) -> None:
    old = os.umask(0o077)  # a strict umask still gives the .pub its 0644
    try:
        saved = save_key(str(tmp_path / "ssh" / "web-1"), key, "openssh", "web-1", b"pw")
    finally:
        os.umask(old)
    assert (mode(saved.private_path), mode(saved.public_path)) == (0o600, 0o644)
    assert mode(tmp_path / "ssh") == 0o700
    assert saved.public_path == tmp_path / "ssh" / "web-1.pub"
    line = saved.public_path.read_text()
    assert line == f"{public_key_of(key).line} web-1\n"
    assert public_key_of(load_private_key(saved.private_path.read_bytes(), b"pw")) == public_key_of(key)
    assert saved.encrypted and saved.key_format == "openssh"


@pytest.mark.parametrize("taken", ["key", "pub"])
def test_an_existing_file_is_never_overwritten(tmp_path: Path, key, taken: str) -> None:
    target = tmp_path / ("k" if taken == "key" else "k.pub")
    target.write_text("mine")
    assert check_save_path(str(tmp_path / "k")).code == "InvalidKeyFile.Path"
    with pytest.raises(ApiException) as caught:
        save_key(str(tmp_path / "k"), key, "openssh", "k")
    assert "never overwritten" in caught.value.error.message
    assert target.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_symlink_is_refused_even_dangling(tmp_path: Path, key) -> None:
    (tmp_path / "k").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ApiException, match="symbolic link"):
        save_key(str(tmp_path / "k"), key, "ppk", "k")
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_two_levels_missing_is_refused(tmp_path: Path, key) -> None:
    path = tmp_path / "a" / "b" / "k"
    error = check_save_path(str(path))
    assert error is not None and "there is no folder" in error.message
    with pytest.raises(ApiException):
        save_key(str(path), key, "openssh", "k")
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("typed", ["", "  ", "/tmp/", "~/.ssh/.."])
def test_a_path_without_a_file_name_is_refused(typed: str) -> None:
    assert check_save_path(typed).code == "InvalidKeyFile.Path"


def test_a_failing_pub_removes_the_key_just_written(
    tmp_path: Path, key, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "k.pub").mkdir()  # appears after the checks: the checks are skipped to get here
    monkeypatch.setattr(key_save, "_check_absent", lambda path: None)
    with pytest.raises(ApiException):
        save_key(str(tmp_path / "k"), key, "openssh", "k")
    assert not (tmp_path / "k").exists()


def test_check_makes_nothing(tmp_path: Path) -> None:
    assert check_save_path(str(tmp_path / "new" / "k")) is None
    assert not (tmp_path / "new").exists()
