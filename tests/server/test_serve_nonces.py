"""A nonce is refused for as long as its timestamp is acceptable: across a restart of serve and
across two serve processes on one data directory, because the nonces live in the data directory.
"""

from __future__ import annotations

import os
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ecs_keypair.server.nonces import NonceStore

from tests.support.serve import running_serve, unique
from tests.support.signing import rpc, send, v2_request

REGION = "cn-hangzhou"
WINDOW = timedelta(minutes=15)


def _create(name: str) -> dict[str, str]:
    return rpc("CreateKeyPair", RegionId=REGION, KeyPairName=name)


def test_a_request_replayed_after_a_restart_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "data"
    name = unique()
    with running_serve(home) as first:
        request = v2_request(first.endpoint, first.key, _create(name))
        assert send(request).status_code == 200
    with running_serve(home) as second:
        assert request.url is not None
        request.prepare_url(request.url.replace(first.endpoint, second.endpoint), None)
        replay = send(request)
        assert (replay.status_code, replay.json()["Code"]) == (400, "SignatureNonceUsed")
        assert "PrivateKeyBody" not in replay.json()
        assert [r.key_pair_name for r in second.backend().find_key_pairs(REGION)] == [name]


def test_a_request_sent_to_one_serve_is_refused_by_another_on_the_same_data(
    tmp_path: Path,
) -> None:
    home = tmp_path / "data"
    with running_serve(home) as one, running_serve(home) as other:
        nonce = unique("nonce")
        first = send(v2_request(one.endpoint, one.key, _create(unique()), nonce=nonce))
        again = send(v2_request(other.endpoint, one.key, _create(unique()), nonce=nonce))

        assert first.status_code == 200
        assert (again.status_code, again.json()["Code"]) == (400, "SignatureNonceUsed")


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_nonces_are_kept_owner_only_and_forgotten_once_their_timestamp_has_expired(
    tmp_path: Path,
) -> None:
    clock = _Clock()
    window = timedelta(minutes=15)
    store = NonceStore(tmp_path, window, now=clock)
    sent = clock.now

    assert store.use("LTAIkey", "n-1", sent)
    assert not store.use("LTAIkey", "n-1", sent)
    assert store.use("LTAIother", "n-1", sent)  # nonces are per access key
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert all("n-1" not in p.read_text() for p in files)  # kept as digests

    clock.now = sent + window + timedelta(minutes=10)
    store.use("LTAIkey", "n-2", clock.now)  # a later request prunes what has expired
    assert [p for p in files if p.exists() and p.name != ".lock"] == []
    later = NonceStore(tmp_path, window, now=clock)
    assert later.use("LTAIkey", "n-1", clock.now)
    assert len(later) == 2  # n-2 and n-1 again: nothing expired is kept in memory


@pytest.mark.parametrize("shift", [timedelta(minutes=-14), timedelta(minutes=14)])
def test_a_nonce_is_remembered_until_its_timestamp_leaves_the_window(
    tmp_path: Path, shift: timedelta
) -> None:
    clock = _Clock()
    window = timedelta(minutes=15)
    sent = clock.now + shift
    assert NonceStore(tmp_path, window, now=clock).use("LTAIkey", "n", sent)

    clock.now = sent + window - timedelta(seconds=1)  # the request would still be accepted
    assert not NonceStore(tmp_path, window, now=clock).use("LTAIkey", "n", sent)


def test_a_file_another_serve_makes_later_is_read(tmp_path: Path) -> None:
    """A use lists the directory again only when its mtime changed: a new file changes it."""
    clock = _Clock()
    one = NonceStore(tmp_path, WINDOW, now=clock)
    other = NonceStore(tmp_path, WINDOW, now=clock)
    assert one.use("LTAIkey", "first", clock.now)
    a_minute_ago = time.time() - 60
    os.utime(one.directory, (a_minute_ago, a_minute_ago))  # a directory left alone for a while
    assert other.use("LTAIkey", "second", clock.now)  # listed, and trusted to stay current
    later = clock.now + timedelta(minutes=10)  # expires in other five minutes: a new file
    assert one.use("LTAIkey", "third", later)
    assert not other.use("LTAIkey", "third", clock.now)  # found in that new file


def test_a_listing_made_within_the_timestamp_granularity_is_not_trusted(tmp_path: Path) -> None:
    """A file system with a coarse clock can give a new file's directory the mtime it had."""
    clock = _Clock()
    one = NonceStore(tmp_path, WINDOW, now=clock)
    other = NonceStore(tmp_path, WINDOW, now=clock)
    assert one.use("LTAIkey", "first", clock.now)  # the directory changed just now
    listed = os.stat(one.directory).st_mtime_ns
    assert other.use("LTAIkey", "second", clock.now)
    later = clock.now + timedelta(minutes=10)
    assert one.use("LTAIkey", "third", later)
    os.utime(one.directory, ns=(listed, listed))  # the same tick of a coarse clock
    assert not other.use("LTAIkey", "third", clock.now)  # found in that new file
