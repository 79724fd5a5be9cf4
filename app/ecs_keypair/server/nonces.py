"""Signature nonces already used, kept in the data directory so that a captured request cannot be
replayed: not after ``serve`` restarts, and not against a second ``serve`` on the same data.

A request is accepted only while its signed timestamp is within the window of now, so a nonce is
remembered until ``timestamp + window`` and then forgotten. Entries are digests (never the nonce
or the key id as sent), one 33-byte line each, appended to the file of the five minutes in which
they expire (``nonces/<epoch>.log``); once a file's five minutes are over it is deleted whole, so
pruning never rewrites anything.

Every use takes the directory's own lock, ``nonces/.lock`` (not the store's: a held store lock
must not stop signature checks), as the store's lock is taken: at most the lock timeout, then
``ServiceUnavailable``. Under it, a use reads what other processes appended since its last look
(the files stay open; the directory is listed again only when it changed), checks, then appends
and ``fdatasync``s its line before the request runs.

A line that cannot be written whole and durably refuses the request (``ServiceUnavailable``)
and is taken back (``ftruncate`` to the size before). Should even that fail, the next line starts
with a newline of its own, and a reader takes a line's last 32 characters: a cut line is never
read as a digest, and never hides the whole one after it.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ecs_keypair.contract.errors import ApiException, service_unavailable
from ecs_keypair.keys.file_writes import os_error_reason, sync_folder
from ecs_keypair.store.busy_answer import busy_as_unavailable
from ecs_keypair.store.storage import file_lock
from ecs_keypair.store.store_paths import StoreError, ensure_private_dir

DIRECTORY = "nonces"
LOCK_NAME = ".lock"
BUCKET_SECONDS = 300
_DIGEST_HEX = 32
_BUCKET_FILE = re.compile(r"([0-9]{1,12})\.log")
_DIGEST = re.compile(rb"[0-9a-f]{32}")
_READ_CHUNK = 1 << 16
_OPEN_FLAGS = os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
# A directory's mtime can repeat within the file system's timestamp granularity (up to two
# seconds on some), so a listing is trusted to stay current only once the mtime it saw is older.
_SETTLED_NS = 5_000_000_000


def _digest(access_key_id: str, nonce: str) -> bytes:
    text = f"{access_key_id}\0{nonce}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()[:_DIGEST_HEX].encode("ascii")


class _Bucket:
    """One file's digests, and its open descriptor (None while its file is not there)."""

    __slots__ = ("fd", "inode", "name_synced", "read", "seen")

    def __init__(self) -> None:
        self.fd: int | None = None
        self.inode = 0
        self.name_synced = False  # the directory was fsynced since the file was opened
        self.read = 0  # bytes of the file taken in: up to the end of its last whole line
        self.seen: set[bytes] = set()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _close_all(buckets: dict[int, _Bucket]) -> None:
    for bucket in buckets.values():
        bucket.close()


class NonceStore:
    """``use(key, nonce, sent)`` is True the first time, False while ``sent`` is acceptable.

    Safe to share between threads: every use holds ``nonces/.lock`` through a descriptor of its
    own, which excludes the other threads as it excludes other processes.
    """

    def __init__(
        self,
        home: Path,
        window: timedelta,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.directory = home / DIRECTORY
        ensure_private_dir(self.directory)
        self._lock_path = self.directory / LOCK_NAME
        self._window = window
        self._now = now
        self._buckets: dict[int, _Bucket] = {}
        self._listed_mtime: int | None = None
        self._listing_settled = False
        self._pruned_in: int | None = None  # the bucket period of the last pruning
        self._waits_stopped = threading.Event()  # this store's own: see stop_waiting
        weakref.finalize(self, _close_all, self._buckets)

    def use(self, access_key_id: str, nonce: str, sent: datetime) -> bool:
        digest = _digest(access_key_id, nonce)
        number = int((sent + self._window).timestamp()) // BUCKET_SECONDS
        with busy_as_unavailable(), file_lock(self._lock_path, stop=self._waits_stopped):
            now = int(self._now().timestamp())
            self._prune(now)
            self._catch_up(now)
            bucket = self._opened_for_append(number)
            if any(digest in other.seen for other in self._buckets.values()):
                return False
            self._append(number, bucket, digest)
            bucket.seen.add(digest)
            return True

    def stop_waiting(self) -> None:
        """End this store's waits for ``nonces/.lock``, now and later: each answers
        ``ServiceUnavailable`` at once (serve stopping)."""
        self._waits_stopped.set()

    def __len__(self) -> int:
        return sum(len(bucket.seen) for bucket in self._buckets.values())

    def _path(self, number: int) -> Path:
        return self.directory / f"{number}.log"

    def _listing(self) -> dict[int, int]:
        """The bucket files there are: number -> inode."""
        try:
            with os.scandir(self.directory) as entries:
                return {
                    int(match[1]): entry.inode()
                    for entry in entries
                    if (match := _BUCKET_FILE.fullmatch(entry.name))
                }
        except OSError as exc:
            raise StoreError(self.directory, f"cannot be read ({exc.strerror})") from None

    @staticmethod
    def _expired(number: int, now: int) -> bool:
        """Whether every nonce of the bucket has left the window (its last expiry has passed)."""
        return (number + 1) * BUCKET_SECONDS < now

    def _prune(self, now: int) -> None:
        """Forget, and delete, the buckets that expired: once a bucket period begins."""
        period = now // BUCKET_SECONDS
        if period == self._pruned_in:
            return
        for number in self._listing().keys() | self._buckets.keys():
            if not self._expired(number, now):
                continue
            bucket = self._buckets.pop(number, None)
            if bucket is not None:
                bucket.close()
            try:
                self._path(number).unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StoreError(
                    self._path(number), f"cannot be removed ({exc.strerror})"
                ) from None
        self._pruned_in = period

    def _directory_changed(self) -> bool:
        try:
            mtime = os.stat(self.directory).st_mtime_ns
        except OSError as exc:
            raise StoreError(self.directory, f"cannot be read ({exc.strerror})") from None
        if mtime == self._listed_mtime and self._listing_settled:
            return False
        self._listed_mtime = mtime
        self._listing_settled = time.time_ns() - mtime > _SETTLED_NS
        return True

    def _catch_up(self, now: int) -> None:
        """Take in the lines appended since the last look, and the files made or removed."""
        if self._directory_changed():
            listing = self._listing()
            for number, bucket in self._buckets.items():
                if bucket.fd is not None and listing.get(number) != bucket.inode:
                    bucket.close()  # removed, or replaced: the file now there is read whole
            for number in listing:
                if not self._expired(number, now):
                    bucket = self._buckets.setdefault(number, _Bucket())
                    if bucket.fd is None:
                        self._open_found(number, bucket)
        for number, bucket in self._buckets.items():
            if bucket.fd is not None:
                self._read_new(number, bucket)

    def _open_found(self, number: int, bucket: _Bucket) -> None:
        try:
            self._open(number, bucket, create=False)
        except FileNotFoundError:
            pass  # removed since the listing
        except OSError as exc:
            raise StoreError(self._path(number), f"cannot be opened ({exc.strerror})") from None

    def _open(self, number: int, bucket: _Bucket, create: bool) -> None:
        """Open the bucket's file, to be read from its start; OSError as ``os.open`` raises it."""
        fd = os.open(self._path(number), _OPEN_FLAGS | (os.O_CREAT if create else 0), 0o600)
        try:
            bucket.inode = os.fstat(fd).st_ino
        except OSError:
            os.close(fd)
            raise
        bucket.fd = fd
        bucket.name_synced = False
        bucket.read = 0

    def _read_new(self, number: int, bucket: _Bucket) -> None:
        """Take in the whole lines appended to the bucket's file since the last look."""
        assert bucket.fd is not None
        chunks = []
        end = bucket.read
        try:
            while chunk := os.pread(bucket.fd, _READ_CHUNK, end):
                chunks.append(chunk)
                end += len(chunk)
        except OSError as exc:
            raise StoreError(self._path(number), f"cannot be read ({exc.strerror})") from None
        if not chunks:
            return
        data = b"".join(chunks)
        whole = data[: data.rfind(b"\n") + 1]  # a cut line is left for the line after it to end
        bucket.read += len(whole)
        bucket.seen.update(
            line[-_DIGEST_HEX:]
            for line in whole.split(b"\n")
            if _DIGEST.fullmatch(line, max(len(line) - _DIGEST_HEX, 0))
        )

    def _opened_for_append(self, number: int) -> _Bucket:
        """The bucket, its file opened (made if missing) and read, its name made durable."""
        bucket = self._buckets.setdefault(number, _Bucket())
        try:
            if bucket.fd is None:
                self._open(number, bucket, create=True)
                self._read_new(number, bucket)
            if not bucket.name_synced:  # whoever made the file, its line must not outlive its name
                sync_folder(self.directory)
                bucket.name_synced = True
        except OSError as exc:
            raise self._unwritten(number, os_error_reason(exc)) from None
        return bucket

    def _append(self, number: int, bucket: _Bucket, digest: bytes) -> None:
        """Write the digest's line whole and durably, or take it back and refuse the request."""
        assert bucket.fd is not None
        try:
            size = os.fstat(bucket.fd).st_size
        except OSError as exc:
            raise self._unwritten(number, os_error_reason(exc)) from None
        # Everything up to the last newline was read: any more is a line cut short.
        line = digest + b"\n" if size == bucket.read else b"\n" + digest + b"\n"
        try:
            written = os.write(bucket.fd, line)
            if written == len(line):
                os.fdatasync(bucket.fd)
                return
            reason = f"{written} of its {len(line)} bytes written; the disk may be full"
        except OSError as exc:
            reason = os_error_reason(exc)
        try:
            os.ftruncate(bucket.fd, size)
        except OSError:
            pass  # what is left is a cut line: the next line starts with a newline of its own
        raise self._unwritten(number, reason)

    def _unwritten(self, number: int, reason: str) -> ApiException:
        return ApiException(
            service_unavailable(
                f"the nonce record {self._path(number)} could not be written ({reason}), "
                "so the request was not run"
            )
        )
