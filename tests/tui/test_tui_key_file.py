"""Writing a key file, below the dialog: modes, paths, and what a failed write leaves behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.tui.key_file import KeyFileError, KeyFileExists, key_path, write_private_key
from tests.support.tools import mode

PEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of the test's own (tmp_path also holds the test's ``~``)."""
    path = tmp_path / "keys"
    path.mkdir()
    return path


def test_the_file_is_0600_and_a_new_folder_0700_whatever_the_umask(folder: Path) -> None:
    previous = os.umask(0)
    try:
        written = write_private_key(folder / "ssh" / "k.pem", PEM)
    finally:
        os.umask(previous)
    assert written.read_text() == PEM
    assert mode(written) == 0o600
    assert mode(written.parent) == 0o700


def test_only_the_last_folder_level_is_created(folder: Path) -> None:
    with pytest.raises(KeyFileError, match=f"^no such folder: {folder / 'a'}$"):
        write_private_key(folder / "a" / "b" / "k.pem", PEM)
    assert list(folder.iterdir()) == []


def test_a_folder_reached_through_a_link_is_fine(folder: Path) -> None:
    real = folder / "real"
    real.mkdir()
    (folder / "linked").symlink_to(real)
    write_private_key(folder / "linked" / "k.pem", PEM)
    assert (real / "k.pem").read_text() == PEM


def test_an_existing_file_needs_replace_and_replacing_leaves_no_temp_file(folder: Path) -> None:
    target = folder / "k.pem"
    target.write_text("old\n")
    with pytest.raises(KeyFileExists):
        write_private_key(target, PEM)
    assert target.read_text() == "old\n"
    write_private_key(target, PEM, replace=True)
    assert target.read_text() == PEM
    assert mode(target) == 0o600
    assert [p.name for p in folder.iterdir()] == ["k.pem"]


def test_replace_still_refuses_a_symlink(folder: Path) -> None:
    victim = folder / "victim"
    victim.write_text("precious\n")
    (folder / "k.pem").symlink_to(victim)
    with pytest.raises(KeyFileError, match="is a symbolic link: refusing to write through it"):
        write_private_key(folder / "k.pem", PEM, replace=True)
    assert victim.read_text() == "precious\n"
    assert sorted(p.name for p in folder.iterdir()) == ["k.pem", "victim"]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "enter the path of the file to write"),
        ("   ", "enter the path of the file to write"),
        ("~/.ssh/", "~/.ssh/ names a folder: add a file name, such as key.pem"),
        ("keys/..", "keys/.. names a folder: add a file name, such as key.pem"),
    ],
)
def test_a_path_that_names_no_file_is_refused(typed: str, problem: str) -> None:
    with pytest.raises(KeyFileError, match=f"^{problem}$"):
        key_path(typed)


def test_tilde_is_the_users_home(user_home: Path) -> None:
    assert key_path("  ~/.ssh/web-1.pem ") == user_home / ".ssh" / "web-1.pem"


def test_a_write_that_fails_halfway_leaves_no_half_key(folder: Path) -> None:
    """A file size limit makes the write fail after the file exists (as a full disk would)."""
    script = f"""
import resource, signal
from pathlib import Path
from app.tui.key_file import KeyFileError, write_private_key
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))
try:
    write_private_key(Path({str(folder / "k.pem")!r}), {PEM!r})
except KeyFileError as exc:
    print(exc)
"""
    finished = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert finished.stdout == f"cannot write {folder / 'k.pem'}: File too large\n"
    assert list(folder.iterdir()) == []


def _write_as_nobody(path: Path) -> str:
    """Root may write anywhere: try the write in a child that has become ``nobody``."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        message = "written"
        try:
            os.setgid(65534)
            os.setuid(65534)
            write_private_key(path, PEM)
        except KeyFileError as exc:
            message = str(exc)
        except BaseException as exc:
            message = f"{type(exc).__name__}: {exc}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(child, 0)
    return message


def test_no_permission_is_a_message(folder: Path) -> None:
    locked = folder / "locked"
    locked.mkdir(mode=0o500)
    target = locked / "k.pem"
    if os.geteuid() == 0:
        message = _write_as_nobody(target)
    else:
        message = "written"
        try:
            write_private_key(target, PEM)
        except KeyFileError as exc:
            message = str(exc)
    assert message.startswith("cannot write ")
    assert message.endswith(": permission denied")
    assert not target.exists()
