"""Saving a key and its .pub: modes from the first byte, nothing overwritten, nothing half-left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.keys import key_save
from ecs_keypair.keys.key_formats import generate_private_key, load_private_key, public_key_of
from ecs_keypair.keys.key_save import check_save_path, file_to_replace, save_key

from tests.support.engine import code_of
from tests.support.tools import mode

ROOT = Path(__file__).resolve().parents[2]


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
    reloaded = load_private_key(saved.private_path.read_bytes(), b"pw")
    assert public_key_of(reloaded) == public_key_of(key)
    assert saved.encrypted and saved.key_format == "openssh"


@pytest.mark.parametrize("taken", ["key", "pub"])
def test_an_existing_file_is_never_overwritten(tmp_path: Path, key, taken: str) -> None:
    target = tmp_path / ("k" if taken == "key" else "k.pub")
    target.write_text("mine")
    assert code_of(check_save_path(str(tmp_path / "k"))) == "InvalidKeyFile.Path"
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
    assert code_of(check_save_path(typed)) == "InvalidKeyFile.Path"


def test_a_failing_pub_removes_the_key_just_written(
    tmp_path: Path, key, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "k.pub").mkdir()  # appears after the checks: the checks are skipped to get here
    monkeypatch.setattr(key_save, "_check_absent", lambda path, replace=False: None)
    with pytest.raises(ApiException):
        save_key(str(tmp_path / "k"), key, "openssh", "k")
    assert not (tmp_path / "k").exists()


def test_check_makes_nothing(tmp_path: Path) -> None:
    assert check_save_path(str(tmp_path / "new" / "k")) is None
    assert not (tmp_path / "new").exists()


def test_a_folder_reached_through_a_link_is_fine(tmp_path: Path, key) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    saved = save_key(str(tmp_path / "linked" / "k"), key, "openssh", "k")
    assert saved.private_path.resolve() == tmp_path / "real" / "k"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["k", "k.pub"]


@pytest.mark.parametrize("taken", [["k"], ["k.pub"], ["k", "k.pub"]])
def test_replace_writes_key_0600_and_pub_0644_and_leaves_no_temp_file(
    tmp_path: Path, key, taken: list[str]
) -> None:
    for name in taken:
        (tmp_path / name).write_text("old\n")
        os.chmod(tmp_path / name, 0o666)
    assert file_to_replace(str(tmp_path / "k")) == tmp_path / taken[0]
    old = os.umask(0o077)
    try:
        saved = save_key(str(tmp_path / "k"), key, "openssh", "k", replace=True)
    finally:
        os.umask(old)
    assert (mode(saved.private_path), mode(saved.public_path)) == (0o600, 0o644)
    assert saved.public_path.read_text() == f"{public_key_of(key).line} k\n"
    assert public_key_of(load_private_key(saved.private_path.read_bytes())) == public_key_of(key)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k", "k.pub"]


def test_nothing_to_replace_at_a_free_or_refused_path(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    for typed in ("k", "folder", "link", ""):
        assert file_to_replace(str(tmp_path / typed) if typed else typed) is None


@pytest.mark.parametrize("linked", ["k", "k.pub"])
def test_replace_still_refuses_a_symlink_and_a_folder(tmp_path: Path, key, linked: str) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    other = "k.pub" if linked == "k" else "k"
    (tmp_path / other).write_text("old\n")
    (tmp_path / linked).symlink_to(victim)
    with pytest.raises(ApiException, match="symbolic link"):
        save_key(str(tmp_path / "k"), key, "openssh", "k", replace=True)
    assert victim.read_text() == "precious\n" and (tmp_path / other).read_text() == "old\n"
    assert (tmp_path / linked).is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k", "k.pub", "victim"]
    with pytest.raises(ApiException, match="it is a folder"):
        save_key(str(tmp_path), key, "openssh", "k", replace=True)


@pytest.mark.parametrize(
    "replace, folder", [(False, ""), (True, ""), (False, "new")], ids=["new", "replace", "folder"]
)
def test_a_write_that_fails_halfway_leaves_nothing_behind(
    tmp_path: Path, replace: bool, folder: str
) -> None:
    """A file size limit makes the write fail after the file exists (as a full disk would);
    a folder the save made for it is taken back too."""
    if replace:
        (tmp_path / "k").write_text("old\n")
    path = tmp_path / folder / "k"
    script = f"""
import resource, signal
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.keys.key_formats import generate_private_key
from ecs_keypair.keys.key_save import save_key
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))
try:
    save_key({str(path)!r}, generate_private_key("ed25519"), "openssh", "k",
             replace={replace})
except ApiException as exc:
    print(exc.error.code, exc.error.message)
"""
    finished = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert finished.stdout == f"InternalError Cannot write {path}: File too large.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == (["k"] if replace else [])
    if replace:
        assert (tmp_path / "k").read_text() == "old\n"


def _save_as_nobody(path: Path, key, umask: int = 0o022) -> str:
    """Root may write anywhere: try the save in a child that has become ``nobody``."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        message = "written"
        try:
            os.umask(umask)
            os.setgid(65534)
            os.setuid(65534)
            save_key(str(path), key, "openssh", "k")
        except ApiException as exc:
            message = exc.error.message
        except BaseException as exc:
            message = f"{type(exc).__name__}: {exc}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(child, 0)
    return message


def test_no_permission_is_a_refusal_in_words(tmp_path: Path, key) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    target = locked / "k"
    if os.geteuid() == 0:
        message = _save_as_nobody(target, key)
    else:
        message = "written"
        try:
            save_key(str(target), key, "openssh", "k")
        except ApiException as exc:
            message = exc.error.message
    assert message.startswith("Cannot save the key to ")
    assert message.endswith(("(permission denied).", ": permission denied."))
    assert not target.exists()


def test_a_new_folder_is_0700_whatever_the_umask(tmp_path: Path, key) -> None:
    old = os.umask(0o777)
    try:
        saved = save_key(str(tmp_path / "ssh" / "k"), key, "openssh", "k")
    finally:
        os.umask(old)
    assert (mode(tmp_path / "ssh"), mode(saved.private_path), mode(saved.public_path)) == (
        0o700, 0o600, 0o644
    )


def test_a_user_under_umask_777_saves_into_a_new_folder(key) -> None:
    """Made with the umask's mode 000, the folder refused its own key file and stayed behind."""
    shared = Path(tempfile.mkdtemp(prefix="shared-", dir="/tmp"))  # a folder nobody reaches
    try:
        os.chmod(shared, 0o777)
        target = shared / "ssh" / "k"
        if os.geteuid() == 0:
            message = _save_as_nobody(target, key, umask=0o777)
        else:
            old = os.umask(0o777)
            try:
                message = "written"
                save_key(str(target), key, "openssh", "k")
            finally:
                os.umask(old)
        assert message == "written"
        assert mode(shared / "ssh") == 0o700 and mode(target) == 0o600
    finally:
        shutil.rmtree(shared)
