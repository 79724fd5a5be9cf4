"""The store's folders and what is wrong with its files: what can be checked before the store opens.

Kept apart from :mod:`ecs_keypair.store.storage` (TinyDB and orjson) so that the terminal app can
make
sure its data home is usable before its first frame and open the store itself right after it.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The store cannot be used as it is. The message names the file and what is wrong."""

    def __init__(self, path: Path, problem: str, *, untouched: bool = True) -> None:
        advice = (
            " It was left as it is: move it aside or restore it from a backup, then try again."
            if untouched
            else ""
        )
        super().__init__(f"The store file {path} {problem}.{advice}")
        self.path = path
        self.problem = problem


class StoreBusy(Exception):
    """A lock of the store stayed held by another holder, so what needed it did not run.

    All that ``flock`` tells of the holder is that it is another descriptor: another process,
    or another thread of this one. ``waited`` is how long the wait was allowed to last;
    ``called_off`` is True when its owner ended it sooner (``serve`` stopping). The message
    names the lock file, so that a person can find the process holding it.
    """

    def __init__(self, lock_path: Path, waited: float, *, called_off: bool = False) -> None:
        why = "the server is stopping" if called_off else f"waited {waited:g} s"
        super().__init__(f"the store's lock file {lock_path} is held by another process ({why})")
        self.lock_path = lock_path
        self.waited = waited
        self.called_off = called_off


def ensure_private_dir(path: Path) -> None:
    """Create the data directory (owner-only) if it is missing."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(path, f"cannot be created ({exc.strerror})", untouched=False) from None


def ensure_own_dir(path: Path) -> None:
    """Create a folder of the store's own (``keypairs/``) if missing; a link there is refused.

    The data home is wherever the user points it, links and all; what is inside it is ours,
    and a link there would lead the store's files out of the home.
    """
    ensure_private_dir(path)
    refuse_link(path)


def refuse_link(path: Path) -> None:
    """A StoreError if ``path`` is a symbolic link (what is inside the data home is ours)."""
    if path.is_symlink():
        raise StoreError(path, "is a symbolic link: it is never followed")
