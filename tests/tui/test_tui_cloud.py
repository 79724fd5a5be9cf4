"""The app on the cloud: two serve processes standing for two regions through
ECS_KEYPAIR_ENDPOINTS; the header says whose credentials and the region, and fits at 60
columns; the region's count comes from that region's endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.content import Content
from textual.widgets import Select

from tests.support.pilot import pilot_test, until
from tests.support.serve_process import serves_sharing_a_key

MakeApp = Callable[..., KeyPairApp]
PUBLIC_LINE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOGj3xkiwPBuJLHbb1VPm0QJZ0YLJsiw7mkTS7bg2kgg"


@pytest.fixture
def cloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RemoteBackend]:
    """The cloud backend, cn-hangzhou at one serve holding two key pairs, the rest at another."""
    homes = (tmp_path / "hangzhou", tmp_path / "rest")
    with serves_sharing_a_key(*homes) as (servers, key):
        for name in ("web-1", "web-2"):
            LocalBackend(KeyPairStore(homes[0])).import_key_pair(
                ImportKeyPairRequest("cn-hangzhou", name, PUBLIC_LINE)
            )
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key["AccessKeySecret"])
        monkeypatch.setenv("ECS_KEYPAIR_ENDPOINTS", json.dumps({
            "cn-hangzhou": f"http://127.0.0.1:{servers[0].port}",
            "*": f"http://127.0.0.1:{servers[1].port}",
        }))
        yield RemoteBackend.connect_cloud()


@pilot_test
async def test_the_header_names_whose_credentials_and_the_region_and_fits_at_60_columns(
    make_app: MakeApp, cloud: RemoteBackend
) -> None:
    app = make_app(backend=cloud)
    async with app.run_test(size=(60, 18)) as pilot:
        assert app.sub_title == "environment · cn-hangzhou"  # "Alibaba Cloud" gave way
        title = app.screen.query_one("HeaderTitle")
        rendered = title.render()
        assert isinstance(rendered, Content)
        assert rendered.plain == "ecs-keypair — environment · cn-hangzhou"
        assert title.content_region.width >= len(rendered.plain)
        count = app.screen.query_one("#region-count", Verdict)
        await until(pilot, lambda: count.text.startswith("2 /"), "cn-hangzhou's endpoint")
        assert count.text == f"2 / {cloud.quota} key pairs in cn-hangzhou"


@pilot_test
async def test_a_key_made_here_for_the_cloud_starts_as_rsa_3072(
    make_app: MakeApp, cloud: RemoteBackend
) -> None:
    app = make_app(backend=cloud)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#key-type")), "the form whole")
        assert app.screen.query_one("#key-type", Select).value == ("rsa", 3072)
