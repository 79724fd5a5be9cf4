"""A TinyDB storage that is safe to share between processes and cheap to re-read.

TinyDB's own ``JSONStorage`` rewrites its file in place (a crash leaves half a file) and knows
nothing of other processes. This storage:

* writes atomically: a new file beside the old one, fsynced, then ``os.replace``d over it, so a
  crash leaves the old state or the new one; files are created ``0600``;
* re-reads a file only when it changed on disk (its inode, size and mtime), so the per-keystroke
  name check costs one ``stat``;
* refuses a file that is damaged or not ours with a :class:`StoreError` naming it, and never
  writes over such a file.

Cross-process serialization is :func:`store_lock`: callers hold it around read-check-write,
and every ``write`` happens under it.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import os
import stat as stat_mode
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from time import monotonic
from typing import Any, cast

import orjson
from tinydb.storages import Storage

from ecs_keypair.keys import file_writes
from ecs_keypair.store.settings import lock_timeout
from ecs_keypair.store.store_paths import StoreBusy, StoreError

FORMAT_TABLE = "ecs-keypair"
FORMAT_VERSION = 1
MAX_DOC_ID_DIGITS = 18  # TinyDB numbers documents from 1: far more than any file of ours holds
MAX_FILE_BYTES = 64 * 1024 * 1024  # unless the owner sets a bound of its own (a region's quota)
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC

Tables = dict[str, dict[str, Any]]
DocumentCheck = Callable[[str, dict[str, Any]], str | None]


def _open_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link: it is never followed"
    return f"cannot be opened ({exc.strerror})"


def _refuse_non_regular(path: Path, fd: int) -> os.stat_result:
    """The open file's status, or a StoreError if it is a FIFO, device, folder or socket."""
    found = os.fstat(fd)
    if not stat_mode.S_ISREG(found.st_mode):
        raise StoreError(path, "is not a regular file (a FIFO, device or folder): it is never read")
    return found


_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_LONGEST_POLL_SECONDS = 0.05


def _take(fd: int, lock_path: Path, timeout: float, stop: threading.Event | None) -> None:
    """Take the exclusive flock on ``fd``, polling for at most ``timeout`` seconds, or until
    ``stop`` is set."""
    deadline = monotonic() + timeout
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:  # a file system without locks, say
            raise StoreError(
                lock_path, f"cannot be locked ({exc.strerror})", untouched=False
            ) from None
        pause = min(delay, deadline - monotonic())
        if pause <= 0 or _paused_until_stopped(pause, stop):
            break
        delay = min(delay * 2, _LONGEST_POLL_SECONDS)
    raise StoreBusy(lock_path, timeout, called_off=stop is not None and stop.is_set())


def _paused_until_stopped(seconds: float, stop: threading.Event | None) -> bool:
    """Sleep ``seconds``, less if ``stop`` is set meanwhile; whether it is set."""
    if stop is None:
        time.sleep(seconds)
        return False
    return stop.wait(seconds)


def store_lock(
    home: Path, timeout: float | None = None, stop: threading.Event | None = None
) -> AbstractContextManager[None]:
    """Hold the store's exclusive lock (``.lock``): one writer at a time, across threads and
    processes; see :func:`file_lock`."""
    return file_lock(home / ".lock", timeout, stop)


@contextmanager
def file_lock(
    lock_path: Path, timeout: float | None = None, stop: threading.Event | None = None
) -> Iterator[None]:
    """Hold the exclusive ``flock`` of ``lock_path``, taken through a descriptor of its own, so
    that it excludes the other threads of this process as well as other processes.

    Waits at most ``timeout`` seconds (``$ECS_KEYPAIR_LOCK_TIMEOUT``, else 10) for another
    holder, then raises :class:`StoreBusy` naming the lock file: a stuck process never hangs
    the others. Once ``stop`` is set (its owner is stopping), a wait ends at once, with a
    StoreBusy that says so. The lock file is never reached through a symbolic link.
    """
    if timeout is None:
        timeout = lock_timeout()
    try:
        fd = os.open(lock_path, _LOCK_FLAGS, 0o600)
    except OSError as exc:
        raise StoreError(lock_path, _open_problem(exc), untouched=False) from None
    try:
        _refuse_non_regular(lock_path, fd)
        _take(fd, lock_path, timeout, stop)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


_Signature = tuple[int, int, int]


class _Cached:
    __slots__ = ("signature", "tables")

    def __init__(self, signature: _Signature, tables: Tables) -> None:
        self.signature = signature
        self.tables = tables


# Parsed files shared by every storage object of this process, keyed by path.
_cache: dict[Path, _Cached] = {}
_cache_lock = threading.Lock()


def _signature(stat: os.stat_result) -> _Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file of ours; see the module docstring.

    ``kind`` is written into the file's format table and checked on every load, so that a file
    of some other program is never mistaken for (or overwritten as) one of ours. ``check`` looks
    at each document of the data tables and returns what is wrong with it, or None. A file
    larger than ``max_bytes`` is refused unread.
    """

    def __init__(
        self, path: str | Path, kind: str, check: DocumentCheck, max_bytes: int = MAX_FILE_BYTES
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.kind = kind
        self.check = check
        self.max_bytes = max_bytes

    def read(self) -> Tables | None:
        try:
            stat = os.lstat(self.path)  # a link's own signature: _load refuses links
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(self.path, f"cannot be read ({exc.strerror})") from None
        signature = _signature(stat)
        cached = _cache.get(self.path)
        if cached is not None and cached.signature == signature:
            return cached.tables
        tables = self._load()
        with _cache_lock:
            _cache[self.path] = _Cached(signature, tables)
        return tables

    def _load(self) -> Tables:
        raw = self._read_bytes()
        if not raw.strip():
            raise StoreError(self.path, "is empty, so it is damaged")
        try:
            data = orjson.loads(raw)
        except (ValueError, RecursionError) as exc:  # bad JSON or UTF-8, huge integer, deep nesting
            raise StoreError(self.path, f"is damaged: it is not valid JSON ({exc})") from None
        problem = self._problem(data)
        if problem:
            raise StoreError(self.path, problem)
        return cast(Tables, data)  # the shape _problem has just checked

    def _read_bytes(self) -> bytes:
        """The whole file: never through a link, never a FIFO or device, never past the cap."""
        try:
            fd = os.open(self.path, _READ_FLAGS)
        except OSError as exc:
            raise StoreError(self.path, _open_problem(exc)) from None
        try:
            if _refuse_non_regular(self.path, fd).st_size > self.max_bytes:
                raise StoreError(self.path, self._too_large())
            chunks = []
            size = 0
            while chunk := os.read(fd, 1 << 20):
                size += len(chunk)
                if size > self.max_bytes:  # it grew while being read
                    raise StoreError(self.path, self._too_large())
                chunks.append(chunk)
        except OSError as exc:
            raise StoreError(self.path, f"cannot be read ({exc.strerror})") from None
        finally:
            os.close(fd)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"is larger than {self.max_bytes} bytes, more than a file of ours ever holds"

    def _problem(self, data: Any) -> str | None:
        if not isinstance(data, dict):
            return "is not an ecs-keypair store file (it holds no JSON object)"
        marker = data.get(FORMAT_TABLE)
        expected = {"1": {"kind": self.kind, "version": FORMAT_VERSION}}
        if marker != expected:
            return (
                f"is not an ecs-keypair {self.kind} file (its format marker is missing or "
                "different)"
            )
        for table_name, table in data.items():
            if table_name == FORMAT_TABLE:
                continue
            if not isinstance(table, dict):
                return f"is damaged: table {_shown(table_name)} is not a JSON object"
            for doc_id, document in table.items():
                if not _is_doc_id(doc_id) or not isinstance(document, dict):
                    return (
                        f"is damaged: table {_shown(table_name)} has a malformed entry "
                        f"{_shown(doc_id)}"
                    )
                problem = self.check(table_name, document)
                if problem:
                    return f"is damaged: entry {doc_id} of table {_shown(table_name)} {problem}"
        return None

    def write(self, data: Tables) -> None:
        data.setdefault(FORMAT_TABLE, {"1": {"kind": self.kind, "version": FORMAT_VERSION}})
        self._remove_leftovers()
        mtime = self._next_mtime()
        try:
            payload = orjson.dumps(data)  # ~7x faster than json: a write re-encodes a whole region
            self._refuse_unreadable(payload)
            file_writes.replace_whole(self.path, payload, mtime_ns=mtime)
            signature = _signature(os.lstat(self.path))
        except BaseException as exc:  # whatever stopped the write, the cache must not claim it
            with _cache_lock:
                _cache.pop(self.path, None)  # TinyDB changed the cached tables before writing
            if not isinstance(exc, OSError):
                raise
            outcome = (
                "the new version is in place but may not be safe on disk yet"
                if self._written_at(mtime)
                else "nothing was changed"
            )
            # Not the damaged-file advice: the file is fine, the disk or the system is not.
            raise StoreError(
                self.path, f"could not be written ({exc.strerror}); {outcome}", untouched=False
            ) from None
        with _cache_lock:
            _cache[self.path] = _Cached(signature, data)

    def _refuse_unreadable(self, payload: bytes) -> None:
        """A file this storage would refuse to read is never written: it would lock its owner
        out of everything the file holds."""
        if len(payload) > self.max_bytes:
            raise StoreError(
                self.path,
                f"was not written: it would be larger than {self.max_bytes} bytes "
                f"({len(payload)}), more than it may hold to be read again; nothing was changed",
                untouched=False,
            )

    def _written_at(self, mtime: int) -> bool:
        """Whether the file at the path is the one this write made (its mtime is unique)."""
        try:
            return os.lstat(self.path).st_mtime_ns == mtime
        except OSError:
            return False

    def create(self, data: Tables) -> None:
        """Put the file in place holding ``data`` if there is none, without the lock: whole or
        not at all, and of racing creators one wins (the others find its file)."""
        data = {FORMAT_TABLE: {"1": {"kind": self.kind, "version": FORMAT_VERSION}}, **data}
        try:
            payload = orjson.dumps(data)
            self._refuse_unreadable(payload)
            file_writes.create_whole(self.path, payload)
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(
                self.path, f"could not be created ({exc.strerror})", untouched=False
            ) from None

    def _remove_leftovers(self) -> None:
        """Remove temp files of writers killed mid-write (we hold the lock: none is live)."""
        for leftover in self.path.parent.glob(f".{glob.escape(self.path.name)}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass

    def _next_mtime(self) -> int:
        """A modification time later than the current file's, for the cache's signature.

        Inode numbers come back at once after a replace, and a coarse file clock repeats mtimes,
        so a later version of the same size could carry the signature a reader has cached and
        be taken for it. Strictly increasing mtimes (writes are serialized) rule that out.
        """
        try:
            previous = os.lstat(self.path).st_mtime_ns  # a link being replaced is not followed
        except FileNotFoundError:
            previous = 0
        return max(time.time_ns(), previous + 1)

    def close(self) -> None:
        pass


def _is_doc_id(doc_id: str) -> bool:
    return len(doc_id) <= MAX_DOC_ID_DIGITS and doc_id.isascii() and doc_id.isdigit()


def _shown(text: str) -> str:
    """A name from a damaged file, cut short: a message stays readable whatever the file holds."""
    return repr(text) if len(text) <= 40 else f"{text[:40]!r}... ({len(text)} characters)"
