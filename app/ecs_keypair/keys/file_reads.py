"""Reading a small settings-like file that anyone may have put there: a regular file, read
whole up to a cap, opened without waiting (a FIFO cannot hang the caller)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotASmallFile(OSError):
    """The path is there but is not a regular file of at most the cap; ``reason`` says which."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.reason = reason


def read_small_file(path: Path, limit: int, *, follow_link: bool = True) -> bytes:
    """The file's bytes. Raises :class:`NotASmallFile` for a FIFO, a folder, a device or a file
    over ``limit`` bytes, and the OSError of the open or read (``FileNotFoundError`` when it
    is missing). ``follow_link=False`` refuses a symbolic link (files only this app writes)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_link else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotASmallFile(path, "is not a regular file")
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        size = f"{limit // 1024} KiB" if limit % 1024 == 0 else f"{limit} bytes"
        raise NotASmallFile(path, f"is larger than {size}")
    return data
