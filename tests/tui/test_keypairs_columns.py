"""The key pairs table at 60x18, 80x24 and 120x40: every column shown is whole (none cut at the
edge, no sideways scrolling), name and fingerprint always; the details line has the rest."""

from __future__ import annotations

import pytest
from ecs_keypair.contract.api_requests import (
    CreateResourceGroupRequest,
    ImportKeyPairRequest,
    JoinResourceGroupRequest,
)
from ecs_keypair.contract.rules import Tag
from ecs_keypair.keys.key_formats import generate_private_key, public_key_line
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.key_pair_columns import (
    FULL_FINGERPRINT,
    PADDING,
    SHORT_FINGERPRINT,
    plan_columns,
    short_fingerprint,
)
from textual.pilot import Pilot
from textual.widgets import DataTable

from screenshots.scenes import settle
from tests.support.pilot import MakeApp, drawn, open_key_pairs, pilot_test

REGION = "cn-hangzhou"
FINGERPRINT = "2a:d4:f5:5c:13:63:b7:7f:7b:22:29:d3:7b:a5:e9:8f"
NAMES = ("web-1", "db-main", "api-gateway-production", "tagged")


@pytest.fixture
def realistic(backend: LocalBackend) -> LocalBackend:
    """Names of the lengths people give, one tagged key pair in a group of its own."""
    line = public_key_line(generate_private_key("ed25519"))
    group = backend.create_resource_group(CreateResourceGroupRequest("web", "Web servers"))
    for name in NAMES:
        tags = (Tag("env", "prod"), Tag("team", "platform")) if name == "tagged" else ()
        backend.import_key_pair(ImportKeyPairRequest(REGION, name, line, tags=tags))
    join = JoinResourceGroupRequest(REGION, "keypair", "tagged", group.group.id)
    backend.join_resource_group(join)
    return backend


def columns_of(pilot: Pilot[None]) -> list[str]:
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    return [str(column.key.value) for column in table.ordered_columns]


def assert_whole(pilot: Pilot[None]) -> None:
    """The columns fit the table: nothing to scroll sideways to, every header drawn whole."""
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    assert table.max_scroll_x == 0, f"{table.virtual_size.width} wide in {table.size.width}"
    screen_text = drawn(pilot.app)
    for column in table.ordered_columns:
        assert column.label.plain in screen_text


def test_a_fingerprint_too_long_for_its_column_keeps_both_ends() -> None:
    assert short_fingerprint(FINGERPRINT, FULL_FINGERPRINT) == FINGERPRINT
    assert short_fingerprint(FINGERPRINT, 32) == "2a:d4:f5:5c:13:63…d3:7b:a5:e9:8f"
    assert short_fingerprint(FINGERPRINT, SHORT_FINGERPRINT) == "2a:d4…e9:8f"
    for width in range(SHORT_FINGERPRINT, FULL_FINGERPRINT + 1):
        assert len(short_fingerprint(FINGERPRINT, width)) <= width


@pytest.mark.parametrize("room", range(30, 200, 7))
def test_the_planned_columns_never_exceed_the_room(room: int) -> None:
    names, groups, tags = ["api-gateway-production", "x" * 128], ["default", "g" * 40], ["t" * 90]
    columns = plan_columns(room, names, groups, tags)
    assert [column.key for column in columns][:2] == ["name", "fingerprint"]
    if room >= 40:
        assert sum(column.width + PADDING for column in columns) <= room


def keys(room: int, group: str = "default", name: str = "api-gateway-production") -> list[str]:
    return [column.key for column in plan_columns(room, [name], [group], ["env=prod, team=ops"])]


def test_lower_priority_columns_go_first_and_tags_take_the_rest() -> None:
    assert keys(58) == ["name", "fingerprint"]
    assert keys(78) == ["name", "fingerprint"]
    assert keys(78, name="web-1") == ["name", "fingerprint", "tags"]
    assert keys(99) == ["name", "fingerprint", "tags"]
    assert keys(119) == ["name", "fingerprint", "created", "group", "tags"]
    assert keys(119, group="web-servers-eu") == ["name", "fingerprint", "group", "tags"]
    widest = plan_columns(119, ["api-gateway-production"], ["default"], ["env=prod"])
    assert sum(column.width + PADDING for column in widest) == 119
    assert widest[-1].key == "tags" and widest[-1].width > len("env=prod")


def test_at_60_columns_the_fingerprint_is_shortened_and_the_name_stays_whole() -> None:
    name, fingerprint = plan_columns(59, ["api-gateway-production"], [], [])
    assert name.width == len("api-gateway-production")
    assert SHORT_FINGERPRINT <= fingerprint.width < FULL_FINGERPRINT
    assert fingerprint.label == "Fingerprint (MD5)"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((60, 18), ["name", "fingerprint"]),
        ((80, 24), ["name", "fingerprint"]),
        ((120, 40), ["name", "fingerprint", "created", "group", "tags"]),
    ],
)
@pilot_test
async def test_every_column_shown_is_whole_at_each_size(
    make_app: MakeApp, realistic: LocalBackend, size: tuple[int, int], expected: list[str]
) -> None:
    async with make_app().run_test(size=size) as pilot:
        await open_key_pairs(pilot)
        assert columns_of(pilot) == expected
        assert_whole(pilot)
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        names = [table.get_row_at(row)[0].plain for row in range(table.row_count)]
        assert names == list(NAMES)
        if size[0] >= 80:
            assert FINGERPRINT.count(":") == table.get_row_at(0)[1].plain.count(":")


@pilot_test
async def test_resizing_plans_the_columns_again_and_keeps_the_cursor(
    make_app: MakeApp, realistic: LocalBackend
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("down", "down")
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        for size in ((60, 18), (80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert_whole(pilot)
            assert table.cursor_row == 2, size
            assert table.has_focus
        assert len(columns_of(pilot)) == 5
