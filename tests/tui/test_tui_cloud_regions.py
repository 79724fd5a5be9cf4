"""The app's regions on the cloud: two serve processes standing for two regions through
ECS_KEYPAIR_ENDPOINTS. The key pairs screen switches between regions at different endpoints;
the header names the profile and the form's region and follows it, cut to fit at 60 columns;
the region list is the cloud's (kept a day, asked again off the event loop when older), so a
region only the cloud lists is offered and accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.widgets.region_picker import RegionPicker
from textual.content import Content
from textual.widgets import DataTable, Select

from tests.support.engine import PUBLIC_LINE
from tests.support.pilot import MakeApp, pilot_test, until
from tests.support.region_cache import DAY, NEW_REGION, kept_file, rewrite
from tests.support.serve_process import serves_sharing_a_key

PROFILE = "production-account"


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """cn-hangzhou at one serve (web-1, web-2), every other region at another (bj-1 in
    cn-beijing); the access key both take, in the environment and in the profile PROFILE."""
    homes = (tmp_path / "hangzhou", tmp_path / "rest")
    with serves_sharing_a_key(*homes) as (servers, key):
        for home, region, names in ((homes[0], "cn-hangzhou", ("web-1", "web-2")),
                                    (homes[1], "cn-beijing", ("bj-1",))):
            for name in names:
                LocalBackend(KeyPairStore(home)).import_key_pair(
                    ImportKeyPairRequest(region, name, PUBLIC_LINE)
                )
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key["AccessKeySecret"])
        monkeypatch.setenv("ECS_KEYPAIR_ENDPOINTS", json.dumps({
            "cn-hangzhou": f"http://127.0.0.1:{servers[0].port}",
            "*": f"http://127.0.0.1:{servers[1].port}",
        }))
        config = Path.home() / ".aliyun" / "config.json"
        config.parent.mkdir()
        config.write_text(json.dumps({"current": PROFILE, "profiles": [
            {"name": PROFILE, "mode": "AK", "access_key_id": key["AccessKeyId"],
             "access_key_secret": key["AccessKeySecret"]},
        ]}))
        yield key


def table_names(screen: object) -> list[str]:
    assert isinstance(screen, KeyPairsScreen)
    table = screen.query_one("#key-pairs", DataTable)
    return sorted(str(table.get_row_at(row)[0]) for row in range(table.row_count))


def header_text(app: object) -> str:
    title = app.screen.query_one("HeaderTitle")  # type: ignore[attr-defined]
    rendered = title.render()
    assert isinstance(rendered, Content)
    assert title.content_region.width >= len(rendered.plain)  # nothing cut off by Textual
    return rendered.plain


@pilot_test
async def test_the_key_pairs_screen_shows_each_regions_endpoint(
    make_app: MakeApp, key: dict[str, str], home: Path
) -> None:
    app = make_app(backend=RemoteBackend.connect_cloud(home=home))
    async with app.run_test(size=(80, 24)) as pilot:
        def showing(names: list[str]) -> bool:
            return isinstance(app.screen, KeyPairsScreen) and table_names(app.screen) == names

        await pilot.press("ctrl+o")
        await until(pilot, lambda: showing(["web-1", "web-2"]), "cn-hangzhou's key pairs")
        await pilot.press("g", *"beij", "enter")
        await until(pilot, lambda: showing(["bj-1"]), "cn-beijing's, at the other endpoint")
        await pilot.press("g", *"hang", "enter")
        await until(pilot, lambda: showing(["web-1", "web-2"]), "cn-hangzhou's again")


@pilot_test
async def test_the_header_names_the_profile_and_follows_the_region(
    make_app: MakeApp, key: dict[str, str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID")  # the profile's credentials, then
    app = make_app(backend=RemoteBackend.connect_cloud(PROFILE, home))
    async with app.run_test(size=(60, 18)) as pilot:
        assert header_text(app) == "ecs-keypair — production-ac… · cn-hangzhou"
        app.screen.query_one("#region", Select).value = "ap-southeast-1"
        await until(pilot, lambda: app.sub_title.endswith("ap-southeast-1"), "the region")
        assert header_text(app) == "ecs-keypair — production… · ap-southeast-1"
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: app.sub_title.startswith("Alibaba"), "the header refitted")
        assert header_text(app) == (
            f"ecs-keypair — Alibaba Cloud · {PROFILE} · ap-southeast-1"
        )


def kept_with_a_new_region(home: Path, age: float) -> None:
    """The region list kept as the cloud answered it ``age`` seconds ago, NEW_REGION in it."""
    RemoteBackend.connect_cloud(home=home).regions()
    rewrite(kept_file(home), age=age)


def offered(app: object) -> list[str]:
    select = app.screen.query_one("#region", Select)  # type: ignore[attr-defined]
    return [str(value) for _label, value in select._options]


@pilot_test
async def test_a_region_only_the_cloud_lists_is_offered_and_accepted(
    make_app: MakeApp, key: dict[str, str], home: Path
) -> None:
    kept_with_a_new_region(home, age=60)
    app = make_app(backend=RemoteBackend.connect_cloud(home=home))
    async with app.run_test(size=(80, 24)) as pilot:
        assert offered(app)[-1] == NEW_REGION[0]
        picker = app.screen.query_one("#import-regions", RegionPicker)
        last = picker.get_option_at_index(picker.option_count - 1)
        assert str(last.prompt) == f"{NEW_REGION[0]}  {NEW_REGION[1]}"
        app.screen.query_one("#region", Select).value = NEW_REGION[0]
        await pilot.press(*"web-9")
        verdict = app.screen.query_one("#name-verdict")
        # not the built-in list's "there is no region": the endpoint is asked, and answers
        await until(pilot, lambda: "cannot check with the endpoint" in str(verdict.render()),
                    "the endpoint's answer")
        assert "there is no region" not in str(verdict.render())


@pilot_test
async def test_a_list_a_day_old_is_shown_then_asked_again_off_the_event_loop(
    make_app: MakeApp, key: dict[str, str], home: Path
) -> None:
    kept_with_a_new_region(home, age=DAY + 60)
    app = make_app(backend=RemoteBackend.connect_cloud(home=home))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: NEW_REGION[0] not in offered(app), "the list asked again")
        assert offered(app)[0] == "cn-qingdao"
        assert app.screen.query_one("#region", Select).value == "cn-hangzhou"
    assert NEW_REGION[0] not in kept_file(home).read_text()
