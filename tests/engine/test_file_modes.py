"""Who a store path belongs to and who may write it, judged as sshd's StrictModes judges: the
owner must be the user running the command or root, and group and others may not write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ecs_keypair.store.file_modes import UntrustedPath, foreign_owner, refuse_untrusted


def _owned_by(found: os.stat_result, user_id: int) -> os.stat_result:
    """``found`` as if the path belonged to ``user_id``: only root can make such a file."""
    fields = list(found)
    fields[4] = user_id  # st_uid
    return os.stat_result(fields)


def test_only_the_user_running_it_or_root_may_own_a_path(tmp_path: Path) -> None:
    found = tmp_path.stat()
    assert foreign_owner(tmp_path, _owned_by(found, 4242), user_id=4242) is None
    assert foreign_owner(tmp_path, _owned_by(found, 0), user_id=4242) is None
    said = foreign_owner(tmp_path, _owned_by(found, 4243), user_id=4242)
    assert said is not None
    assert said.startswith(f"{tmp_path} belongs to user id 4243, neither ")
    assert ": chown " in said and said.endswith(f" {tmp_path}")


def test_a_path_writable_by_others_is_refused_and_one_read_by_them_is_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f"
    path.write_text("")
    path.chmod(0o644)
    assert refuse_untrusted(path) is True
    path.chmod(0o646)
    with pytest.raises(UntrustedPath, match=f"mode 646\\): chmod go-w {path}$"):
        refuse_untrusted(path)
    assert refuse_untrusted(tmp_path / "missing") is False


def test_a_link_is_judged_by_its_target_or_left_to_a_reader_that_never_follows_it(
    tmp_path: Path,
) -> None:
    target = tmp_path / "target"
    target.mkdir(mode=0o777)
    target.chmod(0o777)
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(UntrustedPath):
        refuse_untrusted(link)
    assert refuse_untrusted(link, follow=False) is True
