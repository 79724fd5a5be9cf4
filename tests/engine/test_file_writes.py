"""The one writer of whole owner-only files that the store, the preferences and key files use."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from ecs_keypair.keys import file_writes


def test_write_new_is_0600_whatever_the_umask_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "new"
    before = os.umask(0)
    try:
        file_writes.write_new(path, b"data", mtime_ns=5_000_000_000)
    finally:
        os.umask(before)
    assert path.read_bytes() == b"data"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_mtime_ns == 5_000_000_000
    with pytest.raises(FileExistsError):
        file_writes.write_new(path, b"other")
    assert path.read_bytes() == b"data"


def test_write_new_gives_the_mode_asked_even_under_a_strict_umask(tmp_path: Path) -> None:
    path = tmp_path / "key.pub"
    before = os.umask(0o077)
    try:
        file_writes.write_new(path, b"ssh-ed25519 AAAA k\n", mode=0o644)
    finally:
        os.umask(before)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_write_new_never_goes_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target"
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        file_writes.write_new(link, b"data")
    assert not target.exists()


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"old")

    def full_disk(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError) as caught:
        file_writes.replace_whole(path, b"new")
    assert caught.value.errno == errno.ENOSPC
    assert isinstance(caught.value, file_writes.WriteFailed)  # created, then not written whole
    assert [p.name for p in tmp_path.iterdir()] == ["file"] and path.read_bytes() == b"old"


def test_create_whole_has_one_winner(tmp_path: Path) -> None:
    path = tmp_path / "file"
    file_writes.create_whole(path, b"first")
    with pytest.raises(FileExistsError):
        file_writes.create_whole(path, b"second")
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
