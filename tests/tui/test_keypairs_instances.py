"""The key pairs screen and the instances: a count per key pair in the table, the highlighted
key pair's instances in the details (bound or in effect), and a screen that stays usable when
DescribeInstances is not there to answer."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pytest
from ecs_keypair.backends import open_backend
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.instance_requests import DescribeInstancesRequest
from ecs_keypair.contract.instance_results import InstancePage
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui import key_pair_instances
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from textual.pilot import Pilot
from textual.widgets import DataTable

from screenshots.scenes import settle
from tests.support.instances import api, imported, run
from tests.support.pilot import MakeApp, drawn, open_key_pairs, pilot_test, until
from tests.support.serve import running_serve
from tests.tui.test_keypairs_columns import assert_whole, columns_of
from tests.tui.test_keypairs_screen import text_of, type_filter
from tests.tui.test_tui_hostile_text import assert_drawn_safely

REGION = "cn-hangzhou"
SIZES = ((60, 18), (80, 24), (120, 40))


def counts(pilot: Pilot[None]) -> dict[str, str]:
    """The Instances column: key pair name → the count shown."""
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    at = columns_of(pilot).index("instances")
    rows = (table.get_row_at(row) for row in range(table.row_count))
    return {row[0].plain: row[at].plain for row in rows}


def details(pilot: Pilot[None]) -> str:
    return text_of(pilot, "#details")


async def highlight(pilot: Pilot[None], name: str) -> None:
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    table.move_cursor(row=table.get_row_index(name))
    await pilot.pause()


async def refresh(pilot: Pilot[None]) -> None:
    await pilot.press("r")
    await settle(pilot)



@pilot_test
async def test_the_counts_follow_run_attach_and_detach(
    make_app: MakeApp, web: LocalBackend
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_key_pairs(pilot)
        assert counts(pilot) == {"web-1": "2", "web-2": "0"}
        assert "instances: web (Running, in effect) i-" in details(pilot)

        first, *_ = run(web, REGION, KeyPairName="web-2", InstanceName="db")
        await refresh(pilot)
        assert counts(pilot) == {"web-1": "2", "web-2": "1"}

        web_1 = [i for i, item in described(web).items() if item["KeyPairName"] == "web-1"]
        api(web, "AttachKeyPair", RegionId=REGION, KeyPairName="web-2",
            InstanceIds=f'["{web_1[0]}"]')
        await refresh(pilot)
        assert counts(pilot) == {"web-1": "1", "web-2": "2"}
        await highlight(pilot, "web-2")
        shown = details(pilot)
        assert f"db (Running, in effect) {first}" in shown
        assert f"web (Running, at next reboot) {web_1[0]}" in shown
        await highlight(pilot, "web-1")
        assert f"web (Running, detached, in effect until reboot) {web_1[0]}" in details(pilot)

        api(web, "DetachKeyPair", RegionId=REGION, KeyPairName="web-2",
            InstanceIds=f'["{web_1[0]}", "{first}"]')
        api(web, "StopInstance", InstanceId=first)
        await refresh(pilot)
        assert counts(pilot) == {"web-1": "1", "web-2": "0"}
        await highlight(pilot, "web-2")
        assert f"db (Stopped, detached, in effect until start) {first}" in details(pilot)


def described(backend: LocalBackend) -> dict[str, dict[str, str]]:
    body = api(backend, "DescribeInstances", RegionId=REGION, PageSize="100")
    return {item["InstanceId"]: item for item in body["Instances"]["Instance"]}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pilot_test
async def test_the_columns_still_fit_and_the_details_say_how_many_more(
    make_app: MakeApp, backend: LocalBackend, size: tuple[int, int]
) -> None:
    for name in ("web-1", "web-2", "db-primary", "laptop-2026"):
        imported(backend, REGION, name)
    run(backend, REGION, amount=7, KeyPairName="web-1", InstanceName="web-server")
    async with make_app().run_test(size=size) as pilot:
        await open_key_pairs(pilot)
        assert_whole(pilot)
        shown = columns_of(pilot)
        assert shown[:2] == ["name", "fingerprint"]
        assert ("instances" in shown) == (size[0] >= 80)
        if size[0] >= 80:
            assert counts(pilot)["web-1"] == "7"
        room = {18: 1, 24: 3, 40: 6}[size[1]]
        text = drawn(pilot.app)
        assert f"· +{7 - room} more" in text
        assert text.count("web-server (Running, in effect)") == room
        # the private key's line stays in the details, under the instances
        assert "no private key for it in" in text


@pilot_test
async def test_a_region_without_instances_has_no_count_column(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    imported(backend, REGION, "web-1")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_key_pairs(pilot)
        assert "instances" not in columns_of(pilot)
        assert "instances: none" in details(pilot)


class HostileInstances(LocalBackend):
    """An endpoint whose instances carry hostile names and statuses."""

    def describe_instances(self, request: DescribeInstancesRequest) -> InstancePage:
        page = super().describe_instances(request)
        hostile = tuple(
            replace(record, instance_name="evil\x1b]52;c;eA==\x07\u202e", status="Run\x9b2J")
            for record in page.instances
        )
        return replace(page, instances=hostile)


@pilot_test
async def test_hostile_instance_names_are_drawn_escaped(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    hostile = HostileInstances(backend.store)
    imported(hostile, REGION, "web-1")
    run(hostile, REGION, KeyPairName="web-1")
    app = make_app(backend=hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_key_pairs(pilot)
        text = assert_drawn_safely(app)
        assert "evil\\x1b]52;c;eA==\\x07\\u202e (Run\\x9b2J, in effect) i-" in text


class WithoutInstances(LocalBackend):
    """An endpoint that answers every key pair call and refuses DescribeInstances."""

    def __init__(self, backend: LocalBackend, error: ApiError) -> None:
        super().__init__(backend.store)
        self.error = error
        self.asked = 0

    def describe_instances(self, request: DescribeInstancesRequest) -> InstancePage:
        self.asked += 1
        raise ApiException(self.error)


REFUSALS = (
    ApiError("InvalidAction.NotFound", "Specified api is not found, please check your url.", 404),
    ApiError("Forbidden.RAM", "User not authorized to operate on the specified resource.", 403),
)


@pytest.mark.parametrize("error", REFUSALS, ids=lambda error: error.code)
@pilot_test
async def test_a_describe_instances_failure_leaves_the_screen_usable(
    make_app: MakeApp, backend: LocalBackend, error: ApiError
) -> None:
    failing = WithoutInstances(backend, error)
    for name in ("web-1", "web-2", "db-1"):
        imported(failing, REGION, name)
    app = make_app(backend=failing)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_key_pairs(pilot)
        assert "instances" not in columns_of(pilot)
        assert_whole(pilot)
        assert f"instances not shown: {error.text}" in details(pilot)
        assert failing.asked == 1
        await type_filter(pilot, "web")
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        assert table.row_count == 2
        assert failing.asked == 1  # a filter lists no instances again
        await pilot.press("enter", "down", "d")  # to the table, web-2
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert [record.key_pair_name for record in failing.find_key_pairs(REGION)] == [
            "web-1", "db-1"
        ]
        await refresh(pilot)
        assert failing.asked == 2  # r asks again


@pilot_test
async def test_a_listing_stops_after_its_bound_and_says_so(
    make_app: MakeApp, backend: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(key_pair_instances, "PAGE_SIZE", 2)
    monkeypatch.setattr(key_pair_instances, "MOST_PAGES", 3)
    imported(backend, REGION, "web-1")
    run(backend, REGION, amount=8, KeyPairName="web-1")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_key_pairs(pilot)
        assert counts(pilot) == {"web-1": "6"}
        assert details(pilot).startswith("web-1")
        assert "of the first 6 instances: i-" in details(pilot)


@pilot_test
async def test_on_an_endpoint_the_counts_come_from_it_and_go_when_it_stops_answering(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ExitStack() as serving:
        serve = serving.enter_context(running_serve(tmp_path / "served"))
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
        served = serve.backend()
        imported(served, REGION, "web-1")
        imported(served, REGION, "web-2")
        run(served, REGION, amount=2, KeyPairName="web-2", InstanceName="web")
        app = make_app(backend=open_backend(f"http://{serve.endpoint}"))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
            await until(pilot, lambda: "instances" in columns_of(pilot), "the counts")
            assert counts(pilot) == {"web-1": "0", "web-2": "2"}
            await pilot.press("down")
            # DescribeInstances names the bound key pair only: nothing said of its effect
            assert "instances: web (Running) i-" in details(pilot)

            serving.close()  # serve stops: its port refuses connections from now on
            await pilot.press("r")
            await until(pilot, lambda: "instances" not in columns_of(pilot), "no counts")
            assert_whole(pilot)
            shown = details(pilot)
            assert "instances not shown: as of " in shown and f"{REGION} unreachable" in shown
            assert pilot.app.screen.query_one("#key-pairs", DataTable).row_count == 2
