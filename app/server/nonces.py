"""Signature nonces already used, kept in the data directory so that a captured request cannot be
replayed: not after ``serve`` restarts, and not against a second ``serve`` on the same data.

A request is accepted only while its signed timestamp is within the window of now, so a nonce is
remembered until ``timestamp + window`` and then forgotten. Entries are digests (never the nonce
or the key id as sent), one 33-byte line each, appended to the file of the five minutes in which
they expire (``nonces/<epoch>.log``); a file whose five minutes are over is deleted whole, so
pruning never rewrites anything. Every use takes the directory's own ``flock`` (not the store's
lock: a held store lock must not stop signature checks), reads what other processes appended
since the last look, checks, then appends and ``fdatasync``s its line before the request runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.engine.store_paths import StoreError, ensure_private_dir

DIRECTORY = "nonces"
LOCK_NAME = ".lock"
BUCKET_SECONDS = 300
_DIGEST_HEX = 32
_BUCKET_FILE = re.compile(r"([0-9]{1,12})\.log")
_LINE = re.compile(rb"[0-9a-f]{32}")


def _digest(access_key_id: str, nonce: str) -> bytes:
    text = f"{access_key_id}\0{nonce}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()[:_DIGEST_HEX].encode("ascii")


class NonceStore:
    """``use(key, nonce, sent)`` is True the first time, False while ``sent`` is acceptable."""

    def __init__(
        self,
        home: Path,
        window: timedelta,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.directory = home / DIRECTORY
        ensure_private_dir(self.directory)
        self._window = window
        self._now = now
        self._seen: dict[int, set[bytes]] = {}  # bucket -> digests
        self._read: dict[int, int] = {}  # bucket -> bytes of its file already read
        self._lock = threading.Lock()
        self._lock_fd: int | None = None

    def use(self, access_key_id: str, nonce: str, sent: datetime) -> bool:
        digest = _digest(access_key_id, nonce)
        bucket = int((sent + self._window).timestamp()) // BUCKET_SECONDS
        with self._lock, self._locked():
            self._prune(int(self._now().timestamp()))
            self._catch_up()
            if any(digest in seen for seen in self._seen.values()):
                return False
            self._append(bucket, digest + b"\n")
            self._seen.setdefault(bucket, set()).add(digest)
            return True

    def __len__(self) -> int:
        return sum(len(seen) for seen in self._seen.values())

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self._lock_fd is None:
            path = self.directory / LOCK_NAME
            try:
                self._lock_fd = os.open(
                    path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
                )
            except OSError as exc:
                problem = f"cannot be opened ({exc.strerror})"
                raise StoreError(path, problem, untouched=False) from None
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _path(self, bucket: int) -> Path:
        return self.directory / f"{bucket}.log"

    def _buckets(self) -> list[int]:
        try:
            names = os.listdir(self.directory)
        except OSError as exc:
            raise StoreError(self.directory, f"cannot be read ({exc.strerror})") from None
        return [int(m[1]) for name in names if (m := _BUCKET_FILE.fullmatch(name))]

    def _prune(self, now: int) -> None:
        """Forget (and delete) every bucket whose last expiry time has passed."""
        for bucket in set(self._buckets()) | set(self._seen):
            if (bucket + 1) * BUCKET_SECONDS < now:
                self._seen.pop(bucket, None)
                self._read.pop(bucket, None)
                try:
                    self._path(bucket).unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise StoreError(
                        self._path(bucket), f"cannot be removed ({exc.strerror})"
                    ) from None

    def _catch_up(self) -> None:
        """Read the lines other processes appended since this one last looked."""
        for bucket in self._buckets():
            path = self._path(bucket)
            start = self._read.get(bucket, 0)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreError(path, f"cannot be read ({exc.strerror})") from None
            try:
                size = os.fstat(fd).st_size
                if size <= start:
                    continue
                data = os.pread(fd, size - start, start)
            finally:
                os.close(fd)
            whole = data[: data.rfind(b"\n") + 1]  # a line being written is read next time
            self._read[bucket] = start + len(whole)
            seen = self._seen.setdefault(bucket, set())
            seen.update(line for line in whole.split(b"\n") if _LINE.fullmatch(line))

    def _append(self, bucket: int, line: bytes) -> None:
        path = self._path(bucket)
        try:
            fd = os.open(
                path,
                os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
            )
            try:
                os.write(fd, line)  # one short write: appended whole
                os.fdatasync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            problem = f"could not be written ({exc.strerror}); the request was refused"
            raise StoreError(path, problem, untouched=False) from None
