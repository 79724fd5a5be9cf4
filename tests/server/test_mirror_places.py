"""Where an endpoint's mirror lives: one folder per endpoint however it is spelled, made only
once the endpoint has answered, against a real ``serve``."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.backends import open_backend
from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.mirrored import MirroredBackend

from tests.support.serve import RunningServe, running_serve

REGION = "cn-hangzhou"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServe]:
    with running_serve(tmp_path / "served") as serve:
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
        yield serve


def test_every_spelling_of_one_endpoint_shares_one_mirror(served: RunningServe, home: Path) -> None:
    spellings = [
        f"http://127.0.0.1:{served.port}",
        f"http://127.0.0.1:{served.port}/",
        f"HTTP://127.0.0.1:{served.port}",
        f"Http://127.0.0.1:{served.port}/",
    ]
    for n, spelling in enumerate(spellings):
        open_backend(spelling).create_key_pair(rq.CreateKeyPairRequest(REGION, f"web-{n}"))

    [folder] = (home / "mirrors").iterdir()
    assert folder.name.startswith(f"http_127.0.0.1_{served.port}~{served.key.access_key_id}-")
    reopened = open_backend(spellings[2])
    assert isinstance(reopened, MirroredBackend)
    assert reopened.mirror.names(REGION) == {f"web-{n}" for n in range(len(spellings))}


def test_an_endpoint_that_never_answered_leaves_no_folder(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: every connection is refused
        backend = open_backend(f"http://127.0.0.1:{port}")
        for call in (
            lambda: backend.find_key_pairs(REGION),
            lambda: backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "web-1")),
        ):
            with pytest.raises(ApiException) as failed:
                call()
            assert failed.value.error.code == "SDK.ServerUnreachable"
        checked = backend.check_name(REGION, "web-2")
        assert checked is not None and checked.code == "SDK.ServerUnreachable"

    assert not (home / "mirrors").exists()


def test_a_link_where_the_mirrors_live_is_refused_before_any_call(
    served: RunningServe, home: Path, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    home.mkdir()
    (home / "mirrors").symlink_to(tmp_path / "elsewhere")

    with pytest.raises(Exception, match="is a symbolic link"):
        open_backend(f"http://127.0.0.1:{served.port}")
    assert list((tmp_path / "elsewhere").iterdir()) == []
