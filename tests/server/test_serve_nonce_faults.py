"""A nonce that cannot be written whole and durably refuses its request (503 ServiceUnavailable),
and a record cut short never lets a request be replayed.

The property, for any sequence of requests where some records fail: an accepted nonce is never
accepted again, by the same serve, by another serve on the same data, or after a restart; a
refused nonce may be remembered or not; a nonce never sent is accepted (no leftover of a failed
record ever looks like a nonce). Checked with a write cut at every byte of a record (short, or
failing after writing part of it), with ``ftruncate`` and ``fdatasync`` failing too, and with a
real file system that fills.
"""

from __future__ import annotations

import errno
import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.server.nonces import DIRECTORY, NonceStore

from tests.conftest import IN_CI, require_tool
from tests.support.serve import running_serve
from tests.support.signing import rpc, send, v2_request

KEY = "LTAIkey"
WINDOW = timedelta(minutes=15)
SENT = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LONGEST_RECORD = 34  # a digest and its newline, after a newline when a cut record is left
REFUSED = "refused"
_real_write = os.write


def _error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


class _Faults:
    """The ``os`` functions a failing disk gives one record, and whether they struck.

    ``room``: bytes ``os.write`` can still write; past them it returns short, or, with
    ``fail_after_part``, writes what fits and raises ENOSPC (a caller must expect that too);
    nothing fits: ENOSPC. ``fdatasync`` / ``ftruncate`` fail with EIO when told.
    """

    def __init__(
        self,
        room: int | None = None,
        *,
        fail_after_part: bool = False,
        fdatasync_fails: bool = False,
        ftruncate_fails: bool = False,
    ) -> None:
        self.room = room
        self.fail_after_part = fail_after_part
        self.struck = False
        self.replaced: dict[str, Callable[..., Any]] = {}
        if room is not None:
            self.replaced["write"] = self._write
        if fdatasync_fails:
            self.replaced["fdatasync"] = self._fdatasync
        if ftruncate_fails:
            self.replaced["ftruncate"] = self._ftruncate

    def _write(self, fd: int, data: bytes) -> int:
        assert self.room is not None
        data = bytes(data)
        fits = data[: self.room]
        if len(fits) < len(data):
            self.struck = True
            if not fits or self.fail_after_part:
                if fits:
                    self.room -= _real_write(fd, fits)
                raise _error(errno.ENOSPC)
        written = _real_write(fd, fits)
        self.room -= written
        return written

    def _fdatasync(self, _fd: int) -> None:
        self.struck = True
        raise _error(errno.EIO)

    @staticmethod
    def _ftruncate(_fd: int, _length: int) -> None:
        raise _error(errno.EIO)


def _files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (home / DIRECTORY).glob("*.log")}


def _attempt(store: NonceStore, nonce: str, faults: _Faults | None, home: Path) -> bool | str:
    """``use`` with the faults' ``os`` functions for this call: True, False or REFUSED."""
    with pytest.MonkeyPatch.context() as patch:
        for name, fake in (faults.replaced if faults else {}).items():
            patch.setattr(os, name, fake)
        try:
            return store.use(KEY, nonce, SENT)
        except ApiException as exc:
            error = exc.error
    assert (error.code, error.status) == ("ServiceUnavailable", 503)
    assert str(home / DIRECTORY) in error.message and "nonce record" in error.message
    assert nonce not in error.message
    return REFUSED


def _clock() -> datetime:
    return SENT


def _run(home: Path, faults: Callable[[], _Faults], undo_works: bool) -> None:
    """Requests on one serve, some of them under ``faults``; then the property, everywhere."""
    store = NonceStore(home, WINDOW, now=_clock)
    peer = NonceStore(home, WINDOW, now=_clock)  # a second serve on the same data
    assert peer.use(KEY, "peer-before", SENT)
    plan = ["before", "cut-1", "after-1", "cut-2", "cut-3", "after-2"]
    outcomes: dict[str, bool | str] = {}
    for nonce in plan:
        fault = faults() if nonce.startswith("cut") else None
        before = _files(home)
        outcomes[nonce] = _attempt(store, nonce, fault, home)
        if fault is None:
            assert outcomes[nonce] is True, (nonce, outcomes)
        elif fault.struck:
            assert outcomes[nonce] == REFUSED, f"{nonce}: a record cut short was accepted"
            if undo_works:
                assert _files(home) == before, f"{nonce}: the cut record was not taken back"
    accepted = ["peer-before", *(nonce for nonce in plan if outcomes[nonce] is True)]
    restarted = NonceStore(home, WINDOW, now=_clock)
    for view in (store, peer, restarted):
        for nonce in accepted:
            assert not view.use(KEY, nonce, SENT), (nonce, outcomes)
    for view in (store, peer, NonceStore(home, WINDOW, now=_clock)):
        assert view.use(KEY, uuid.uuid4().hex, SENT)  # never sent: nothing left over matches it
    if undo_works:  # taken back whole: a refused request can be sent again
        for nonce in plan:
            if outcomes[nonce] == REFUSED:
                assert restarted.use(KEY, nonce, SENT), (nonce, outcomes)


@pytest.mark.parametrize("fail_after_part", [False, True], ids=["short-write", "write-fails"])
@pytest.mark.parametrize("undo_works", [True, False], ids=["undone", "ftruncate-fails"])
def test_a_write_cut_at_any_byte_never_lets_a_nonce_be_used_twice(
    tmp_path: Path, fail_after_part: bool, undo_works: bool
) -> None:
    for room in range(LONGEST_RECORD + 1):
        faults = partial(
            _Faults, room, fail_after_part=fail_after_part, ftruncate_fails=not undo_works
        )
        _run(tmp_path / str(room), faults, undo_works)


@pytest.mark.parametrize("undo_works", [True, False], ids=["undone", "ftruncate-fails"])
def test_a_failed_fdatasync_refuses_the_request(tmp_path: Path, undo_works: bool) -> None:
    faults = partial(_Faults, fdatasync_fails=True, ftruncate_fails=not undo_works)
    _run(tmp_path, faults, undo_works)


@contextmanager
def _small_tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path`` for the block (root only: skipped elsewhere,
    except in CI, which runs as root)."""
    require_tool("mount", "umount")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs ({mounted.stderr.strip()})"
        if IN_CI:
            pytest.fail(message + " but CI is set: CI runs as root")
        pytest.skip(message)
    try:
        yield path
    finally:
        # Lazy: a serve's nonce store may still hold its files open until it is collected.
        subprocess.run(["umount", "--lazy", str(path)], check=True)


MOST_REQUESTS = 2000  # 8 KiB holds about 250 records
REFUSALS = 10


def test_a_full_disk_refuses_requests_and_no_accepted_one_can_be_replayed(
    tmp_path: Path,
) -> None:
    home = tmp_path / "data"
    with _small_tmpfs(home / DIRECTORY, "8k"):
        accepted, refused = [], []
        with running_serve(home) as first:
            for _ in range(MOST_REQUESTS):
                request = v2_request(first.endpoint, first.key, rpc("DescribeRegions"))
                answer = send(request)
                if answer.status_code == 200:
                    accepted.append(request)
                    continue
                body = answer.json()
                assert (answer.status_code, body["Code"]) == (503, "ServiceUnavailable"), body
                assert str(home / DIRECTORY) in body["Message"]
                assert "could not be written" in body["Message"]
                refused.append(request)
                if len(refused) == REFUSALS:
                    break
        assert accepted and len(refused) == REFUSALS
        with running_serve(home) as second:
            for request in accepted + refused:
                assert request.url is not None
                request.prepare_url(request.url.replace(first.endpoint, second.endpoint), None)
                replay = send(request)
                code = (replay.status_code, replay.json()["Code"])
                if request in refused:
                    assert code in [(400, "SignatureNonceUsed"), (503, "ServiceUnavailable")]
                else:
                    assert code == (400, "SignatureNonceUsed"), "an accepted request was replayed"


def test_a_whole_line_glued_onto_a_cut_one_is_still_read(tmp_path: Path) -> None:
    """A file may hold a cut line with a whole one right after it, no newline between them (a
    crash, or a writer that appended after a cut line): the whole digest is still found."""
    assert NonceStore(tmp_path, WINDOW, now=_clock).use(KEY, "glued", SENT)
    [record] = (tmp_path / DIRECTORY).glob("*.log")
    record.write_bytes(b"0123456789abcdef01" + record.read_bytes())  # a cut digest before it
    restarted = NonceStore(tmp_path, WINDOW, now=_clock)
    assert not restarted.use(KEY, "glued", SENT)
    assert restarted.use(KEY, uuid.uuid4().hex, SENT)
