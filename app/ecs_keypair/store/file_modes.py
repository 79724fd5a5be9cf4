"""Whether a file or folder of the store may be trusted by who it belongs to and who may change
it, and the ``chmod``/``chown`` that would make it so: serve's secrets are kept from every other
user, and what sshd is handed (``authorized-keys``) is checked as OpenSSH's StrictModes checks
its own files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

OPEN_TO_OTHERS = 0o077  # a secret: group and others may neither read nor write it
WRITABLE_BY_OTHERS = 0o022  # what sshd trusts: group and others may not change it


class UntrustedPath(Exception):
    """A path that others could have written; the message says how to make it trusted."""


def loose_mode(path: Path, found: os.stat_result, refused: int, fix: str) -> str | None:
    """How to fix ``path`` when its mode (``found``) has a bit of ``refused``, or None.
    ``fix`` is chmod's mode argument (``700``, ``go-w``)."""
    mode = stat.S_IMODE(found.st_mode)
    if not mode & refused:
        return None
    how = "open to" if refused & 0o044 else "writable by"
    return f"{path} is {how} group or others (mode {mode:o}): chmod {fix} {path}"


def foreign_owner(path: Path, found: os.stat_result, user_id: int | None = None) -> str | None:
    """How to fix ``path`` when it belongs to neither ``user_id`` (the user running this) nor
    root, or None: another user could change it."""
    user_id = os.geteuid() if user_id is None else user_id
    if found.st_uid in (user_id, 0):
        return None
    user = _user_name(user_id)
    return (
        f"{path} belongs to user id {found.st_uid}, neither {user} (running this) nor root: "
        f"chown {user} {path}"
    )


def refuse_untrusted(path: Path, *, follow: bool = True) -> bool:
    """Raise :class:`UntrustedPath` if ``path`` is writable by group or others or belongs to
    another user than this one or root (StrictModes); whether it exists. ``follow``: a link is
    judged by what it points at (the data folder, which the user may point anywhere); else a
    link is left to its reader, which never follows it (a link's own mode is always 777)."""
    try:
        found = os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(found.st_mode):
        return True
    problem = foreign_owner(path, found) or loose_mode(path, found, WRITABLE_BY_OTHERS, "go-w")
    if problem:
        raise UntrustedPath(problem)
    return True


def _user_name(user_id: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(user_id).pw_name
    except KeyError:  # a user id without a name (a container's)
        return str(user_id)
