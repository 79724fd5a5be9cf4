"""The mirror of an endpoint's key pairs, against a real ``serve`` that is stopped mid-test.

The backend is the one ``open_backend`` gives for ``--endpoint``: the SDK's client to serve,
wrapped in the mirror, whose files live in the test's own data home (serve's store is another).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import StaticAKCredentialsProvider
from ecs_keypair.backends import open_backend
from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract.backend import KeyPairBackend, MirrorStatus
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.contract.rules import Tag
from ecs_keypair.mirrored import RETRY_SECONDS, MirroredBackend, shown_time
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.remote.endpoints import Routes
from ecs_keypair.store.mirror import Mirror

from tests.support.serve import RunningServe, running_serve

REGION = "cn-hangzhou"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServe]:
    with serving(tmp_path, monkeypatch) as serve:
        yield serve


def connect(serve: RunningServe) -> KeyPairBackend:
    return open_backend(f"http://{serve.endpoint}")


def mirror_files(home: Path) -> list[Path]:
    return sorted(path for path in (home / "mirrors").rglob("*") if path.is_file())


def test_an_endpoint_is_opened_with_its_mirror_beside_the_store_never_in_it(
    served: RunningServe, home: Path
) -> None:
    backend = connect(served)

    backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "web-1"))

    assert isinstance(backend, MirroredBackend) and isinstance(backend, MirrorStatus)
    assert sorted(path.name for path in home.iterdir()) == ["mirrors"]  # no keypairs/, no .lock
    [folder] = (home / "mirrors").iterdir()
    assert folder.name.startswith(f"http_127.0.0.1_{served.port}~{served.key.access_key_id}-")
    assert [path.name for path in mirror_files(home)] == [".lock", f"{REGION}.json"]


def test_the_mirror_never_holds_a_private_key_a_public_key_or_a_secret(
    served: RunningServe, home: Path
) -> None:
    backend = connect(served)

    created = backend.create_key_pair(
        rq.CreateKeyPairRequest(REGION, "web-1", tags=(Tag("env", "prod"),))
    )
    backend.find_key_pairs(REGION)

    text = "".join(path.read_text() for path in mirror_files(home))
    assert "web-1" in text and created.record.fingerprint in text and "prod" in text
    assert "PRIVATE KEY" not in text and created.private_key_pem.split("\n")[1] not in text
    assert created.public_key.line.split()[1] not in text
    assert served.key.secret not in text


def test_the_name_check_reads_the_mirror_once_the_region_is_listed(
    served: RunningServe,
) -> None:
    backend = connect(served)
    served.backend().create_key_pair(rq.CreateKeyPairRequest(REGION, "listed"))

    first = backend.check_name(REGION, "listed")  # lists the region once
    served.backend().create_key_pair(rq.CreateKeyPairRequest(REGION, "behind-its-back"))
    unseen = backend.check_name(REGION, "behind-its-back")  # the mirror only: no request
    backend.find_key_pairs(REGION)  # a listing refreshes the mirror
    seen = backend.check_name(REGION, "behind-its-back")

    assert first is not None and first.code == "KeyPair.AlreadyExist"
    assert unseen is None
    assert seen is not None
    assert seen.reason == f"a key pair with this name already exists in {REGION}"
    assert backend.count_key_pairs(REGION) == 2


def test_changes_through_the_backend_adjust_the_mirror_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(tmp_path, monkeypatch) as served:
        backend = connect(served)
        backend.find_key_pairs(REGION)
        line = served.backend().create_key_pair(rq.CreateKeyPairRequest("cn-qingdao", "src"))

        backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "made"))
        backend.import_key_pair(
            rq.ImportKeyPairRequest(REGION, "brought", line.record.public_key)
        )
        backend.tag_resources(
            rq.TagResourcesRequest(REGION, "keypair", ("made",), (Tag("env", "dev"),))
        )
        backend.delete_key_pairs(rq.DeleteKeyPairsRequest(REGION, ("brought",)))
        taken = backend.check_name(REGION, "made")
        free = backend.check_name(REGION, "brought")

    [row] = backend.find_key_pairs(REGION)  # serve has stopped: the mirror answers
    assert taken is not None and taken.code == "KeyPair.AlreadyExist" and free is None
    assert (row.key_pair_name, row.tags) == ("made", (Tag("env", "dev"),))


def test_offline_the_mirror_answers_listings_with_their_age_and_the_name_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(tmp_path, monkeypatch) as served:
        served.backend().create_key_pair(
            rq.CreateKeyPairRequest(REGION, "web-1", tags=(Tag("env", "prod"),))
        )
        served.backend().create_key_pair(rq.CreateKeyPairRequest(REGION, "db-1"))
        backend = connect(served)
        online = backend.find_key_pairs(REGION)
        assert isinstance(backend, MirrorStatus) and backend.offline_note(REGION) is None
    later = connect(served)  # another run of the app, say: it finds the mirror on disk

    for each in (backend, later):
        rows = each.find_key_pairs(REGION)
        web = each.find_key_pairs(REGION, key_pair_name="web*")
        taken = each.check_name(REGION, "web-1")
        assert [r.key_pair_name for r in rows] == [r.key_pair_name for r in online]
        assert [r.fingerprint for r in rows] == [r.fingerprint for r in online]
        assert [r.key_pair_name for r in web] == ["web-1"] and web[0].tags == (Tag("env", "prod"),)
        assert taken is not None and taken.code == "KeyPair.AlreadyExist"
        assert each.check_name(REGION, "web-2") is None
        assert each.count_key_pairs(REGION) == 2
        assert isinstance(each, MirrorStatus)
        note = each.offline_note(REGION)
        assert note is not None and note.startswith("as of ")
        assert note.endswith(f", {REGION} unreachable")


def test_offline_a_region_never_listed_is_not_made_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(tmp_path, monkeypatch) as served:
        backend = connect(served)
        backend.find_key_pairs(REGION)

    with pytest.raises(ApiException) as caught:
        backend.find_key_pairs("cn-qingdao")
    verdict = backend.check_name("cn-qingdao", "web-1")

    assert caught.value.error.code == "SDK.ServerUnreachable"
    assert verdict is not None and verdict.code == "SDK.ServerUnreachable"
    assert verdict.reason.startswith("cannot check with the endpoint: ")


def test_offline_changes_say_they_need_the_endpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(tmp_path, monkeypatch) as served:
        backend = connect(served)
        backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "web-1"))
        backend.find_key_pairs(REGION)

    calls = {
        "Creating a key pair": lambda: backend.create_key_pair(
            rq.CreateKeyPairRequest(REGION, "web-2")
        ),
        "Deleting key pairs": lambda: backend.delete_key_pairs(
            rq.DeleteKeyPairsRequest(REGION, ("web-1",))
        ),
        "Tagging key pairs": lambda: backend.tag_resources(
            rq.TagResourcesRequest(REGION, "keypair", ("web-1",), (Tag("env", "dev"),))
        ),
    }
    for doing, call in calls.items():
        with pytest.raises(ApiException) as caught:
            call()
        error = caught.value.error
        assert (error.code, error.status) == ("SDK.ServerUnreachable", 503)
        assert error.message.startswith(f"{doing} needs the endpoint, and it cannot be reached")
        assert f"127.0.0.1:{served.port} refused the connection" in error.message
        assert error.reason.startswith(f"{doing.lower()} needs the endpoint: ")
    [row] = backend.find_key_pairs(REGION)
    assert (row.key_pair_name, row.tags) == ("web-1", ())


def test_an_api_answer_is_never_made_from_the_mirror(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(tmp_path, monkeypatch) as served:
        backend = connect(served)
        backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "web-1"))
        backend.find_key_pairs(REGION)

    with pytest.raises(ApiException) as caught:
        backend.describe_key_pairs(rq.DescribeKeyPairsRequest(REGION))
    with pytest.raises(ApiException):  # the mirror keeps no public key to answer with
        backend.find_key_pairs(REGION, include_public_key=True)

    assert caught.value.error.code == "SDK.ServerUnreachable"


def test_the_local_store_is_untouched_by_mirror_traffic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    local = open_backend()
    local.create_key_pair(rq.CreateKeyPairRequest(REGION, "mine"))
    before = {p: p.read_bytes() for p in (home / "keypairs").rglob("*") if p.is_file()}
    with serving(tmp_path, monkeypatch) as served:
        backend = connect(served)
        backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "theirs"))
        backend.find_key_pairs(REGION)

    after = {p: p.read_bytes() for p in (home / "keypairs").rglob("*") if p.is_file()}
    assert after == before
    assert [r.key_pair_name for r in local.find_key_pairs(REGION)] == ["mine"]
    assert [r.key_pair_name for r in backend.find_key_pairs(REGION)] == ["theirs"]


def test_a_listing_time_is_shown_in_local_time_with_the_day_when_not_today() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    same_day = shown_time("2026-05-01T11:30:00Z", now)
    other_day = shown_time("2026-04-20T11:30:00Z", now)

    assert len(same_day) == 5 and same_day[2] == ":"
    assert other_day.startswith("Apr 20 ") and len(other_day) == len("Apr 20 11:30")


@contextmanager
def serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServe]:
    """A serve of the test's own, its access key in the environment; stopped when the block
    ends, after which its port refuses every connection."""
    with running_serve(tmp_path / "served") as serve:
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
        yield serve
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", serve.port), timeout=5).close()


def test_an_endpoint_that_never_answers_is_asked_again_only_after_a_while(home: Path) -> None:
    now = [0.0]
    with socket.socket() as mute:
        mute.bind(("127.0.0.1", 0))
        mute.listen()
        mute.setblocking(False)
        remote = RemoteBackend(
            Routes.one(f"http://127.0.0.1:{mute.getsockname()[1]}"),
            CredentialClient(provider=StaticAKCredentialsProvider(
                access_key_id="id", access_key_secret="secret")),
            read_timeout_ms=300,
        )
        mirror = Mirror(home, "mute", "id")
        earlier = KeyPairRecord("", "web-1", REGION, "aa:bb", "", "rg-1", "2026-01-01T00:00Z")
        mirror.replace_region(REGION, [earlier], "2026-01-01T00:00:00Z")
        backend = MirroredBackend(remote, mirror, clock=lambda: now[0])

        def asked() -> int:
            """Connections the backend opened since the last look."""
            count = 0
            while True:
                try:
                    mute.accept()[0].close()
                except BlockingIOError:
                    return count
                count += 1

        taken = backend.check_name(REGION, "web-1")  # lists: no answer, so the mirror's names
        first = asked()
        again = backend.check_name(REGION, "web-2")
        kept_to_the_mirror = asked()
        now[0] += RETRY_SECONDS
        backend.check_name(REGION, "web-3")
        later = asked()
        with pytest.raises(ApiException) as caught:
            backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "web-9"))

    assert taken is not None and taken.code == "KeyPair.AlreadyExist" and again is None
    assert (first, kept_to_the_mirror, later) == (1, 0, 1)
    assert backend.offline_note(REGION) == (
        f"as of {shown_time('2026-01-01T00:00:00Z')}, {REGION} unreachable"
    )
    error = caught.value.error
    assert (error.code, error.status) == ("SDK.Timeout", 504)
    assert "Whether it was made is not known until the region is listed again." in error.message
