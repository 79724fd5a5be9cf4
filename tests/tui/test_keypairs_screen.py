"""The key pairs screen over the real backend and store: filter, delete after a yes, import."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.import_key_pair import ImportKeyPairDialog, public_key_path
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen, name_filter
from ecs_keypair.tui.widgets.verdict import Verdict
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer, Input, Static
from textual.widgets._footer import FooterKey

from screenshots.scenes import settle
from tests.conftest import require_tool
from tests.support.pilot import SIZE, MakeApp, open_key_pairs, pilot_test, until

REGION = "cn-hangzhou"


def make_public_key(directory: Path, key_type: str = "ed25519", name: str = "id") -> Path:
    """A real key pair from ssh-keygen; returns the path of its .pub file."""
    require_tool("ssh-keygen")
    directory.mkdir(parents=True, exist_ok=True)
    private = directory / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", "test@host", "-f", str(private)],
        check=True,
    )
    return private.with_name(name + ".pub")


@pytest.fixture
def public_key(tmp_path: Path) -> Path:
    return make_public_key(tmp_path / "keys")


@pytest.fixture
def stocked(backend: LocalBackend, public_key: Path) -> LocalBackend:
    """A region with four key pairs (one tagged), and one key pair in another region."""
    line = public_key.read_text()
    for name in ("web-1", "web-2", "db-web", "api"):
        backend.import_key_pair(ImportKeyPairRequest(REGION, name, line))
    backend.import_key_pair(
        ImportKeyPairRequest(REGION, "tagged", line, tags=(Tag("env", "prod"),))
    ).body()
    backend.import_key_pair(ImportKeyPairRequest("cn-beijing", "web-elsewhere", line))
    return backend


def shown_names(pilot: Pilot[None]) -> list[str]:
    table = pilot.app.screen.query_one("#key-pairs", DataTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


def text_of(pilot: Pilot[None], selector: str) -> str:
    widget = pilot.app.screen.query_one(selector, Static)
    if isinstance(widget, Verdict):
        return widget.text
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def paste(pilot: Pilot[None], text: str) -> None:
    """Paste into the focused field, as a terminal delivers a paste (long paths, key lines)."""
    focused = pilot.app.screen.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def type_filter(pilot: Pilot[None], text: str) -> None:
    field = pilot.app.screen.query_one("#filter", Input)
    if not field.has_focus:
        await pilot.press("slash")
    field.value = ""
    await pilot.press(*text)
    await settle(pilot)


def test_plain_text_filters_by_substring_and_star_is_the_api_pattern() -> None:
    assert name_filter("") is None
    assert name_filter("  ") is None
    assert name_filter("web") == "*web*"
    assert name_filter("web*") == "web*"
    assert name_filter(" *-prod ") == "*-prod"


def test_paths_and_key_lines_are_told_apart() -> None:
    assert public_key_path("~/.ssh/id_ed25519.pub") == Path("~/.ssh/id_ed25519.pub")
    assert public_key_path("/keys/my key.pub") == Path("/keys/my key.pub")
    assert public_key_path("./id.pub") == Path("./id.pub")
    assert public_key_path("id_rsa.pub") == Path("id_rsa.pub")
    assert public_key_path("ssh-ed25519 AAAAC3Nz me@host.pub") is None
    assert public_key_path("") is None


@pilot_test
async def test_shows_the_key_pairs_of_its_region_only(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:  # room for every column
        await open_key_pairs(pilot)
        assert shown_names(pilot) == ["web-1", "web-2", "db-web", "api", "tagged"]
        assert "5 / 500 used" in text_of(pilot, "#summary")
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        tagged = [cell.plain for cell in table.get_row_at(4)]
        record = stocked.find_key_pairs(REGION, "tagged")[0]
        assert tagged == [
            "tagged",
            record.fingerprint,
            record.creation_time,
            "default",
            "env=prod",
        ]


@pilot_test
async def test_filter_narrows_as_you_type_with_wildcards(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await type_filter(pilot, "web")
        assert shown_names(pilot) == ["web-1", "web-2", "db-web"]
        assert "3 match" in text_of(pilot, "#summary")
        await type_filter(pilot, "web*")
        assert shown_names(pilot) == ["web-1", "web-2"]
        await type_filter(pilot, "*web")
        assert shown_names(pilot) == ["db-web"]
        await type_filter(pilot, "w*-2")
        assert shown_names(pilot) == ["web-2"]
        await type_filter(pilot, "nothing")
        assert shown_names(pilot) == []
        assert "No key pair matches 'nothing'" in text_of(pilot, "#empty")
        await pilot.press("ctrl+u")  # clearing the filter shows everything again
        await settle(pilot)
        assert len(shown_names(pilot)) == 5


@pilot_test
async def test_escape_in_the_filter_clears_it_then_goes_back(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await type_filter(pilot, "web")
        assert len(shown_names(pilot)) == 3
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert pilot.app.screen.query_one("#filter", Input).value == ""
        assert len(shown_names(pilot)) == 5
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, KeyPairsScreen)


@pilot_test
async def test_from_the_filter_down_or_enter_goes_to_the_matches(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        for leave in ("down", "enter"):
            await type_filter(pilot, "web")
            assert shown_names(pilot) == ["web-1", "web-2", "db-web"]
            await pilot.press(leave)
            assert table.has_focus, leave
        await pilot.press("down", "d")  # the table's own down moves its cursor: web-2
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.screen.question.startswith("web-2 will be removed")


@pilot_test
async def test_an_empty_region_says_so(make_app: MakeApp, backend: LocalBackend) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        assert shown_names(pilot) == []
        assert "cn-hangzhou has no key pairs yet" in text_of(pilot, "#empty")
        await pilot.press("d")  # nothing to delete: a warning, no dialog
        assert isinstance(pilot.app.screen, KeyPairsScreen)


@pilot_test
async def test_delete_asks_and_deletes_only_on_yes(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("down")  # web-2
        await pilot.press("d")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.screen.question.startswith("web-2 will be removed from cn-hangzhou")
        await pilot.press("n")
        await settle(pilot)
        assert "web-2" in shown_names(pilot)
        await pilot.press("d", "escape")
        await settle(pilot)
        assert "web-2" in shown_names(pilot)
        await pilot.press("d", "enter")  # the focused button is Keep: enter alone does not delete
        await settle(pilot)
        assert stocked.count_key_pairs(REGION) == 5
        await pilot.press("d", "y")
        await settle(pilot)
        assert shown_names(pilot) == ["web-1", "db-web", "api", "tagged"]
        assert [r.key_pair_name for r in stocked.find_key_pairs(REGION)] == shown_names(pilot)
        assert stocked.count_key_pairs("cn-beijing") == 1
        table = pilot.app.screen.query_one("#key-pairs", DataTable)
        assert table.get_row_at(table.cursor_row)[0].plain == "db-web"  # the next one, in place


@pilot_test
async def test_import_a_pasted_key_line(
    make_app: MakeApp, backend: LocalBackend, public_key: Path
) -> None:
    line = public_key.read_text()
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("i")
        assert isinstance(pilot.app.screen, ImportKeyPairDialog)
        await pilot.press(*"laptop", "tab")
        await paste(pilot, line)
        assert "pasted key line (ssh-ed25519)" in text_of(pilot, "#key-verdict")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert shown_names(pilot) == ["laptop"]
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-E", "md5", "-f", str(public_key)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert backend.find_key_pairs(REGION, "laptop")[0].fingerprint == fingerprint.removeprefix(
        "MD5:"
    )


@pilot_test
async def test_import_from_a_path_under_home(
    make_app: MakeApp, backend: LocalBackend, user_home: Path
) -> None:
    public_key = make_public_key(user_home / ".ssh", "rsa", "id_rsa")
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("i", *"from-file", "tab", *"~/.ssh/id_rsa.pub")
        assert "is read when you press enter" in text_of(pilot, "#key-verdict")
        await pilot.press("enter")
        await settle(pilot)
        assert shown_names(pilot) == ["from-file"]
    stored = backend.find_key_pairs(REGION, "from-file")[0]
    assert public_key.read_text().split()[:2] == stored.public_key.split()


@pilot_test
async def test_a_malformed_key_is_shown_with_its_code(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("i", *"broken", "tab", *"ssh-rsa AAAA-not-base64", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ImportKeyPairDialog)
        verdict = text_of(pilot, "#key-verdict")
        assert "not valid base64" in verdict
        assert "InvalidPublicKeyBody.Malformed" in verdict
        assert pilot.app.screen.query_one("#name", Input).value == "broken"  # input kept
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
    assert backend.count_key_pairs(REGION) == 0


@pilot_test
async def test_a_missing_or_private_key_path_is_shown_with_its_code(
    make_app: MakeApp, backend: LocalBackend, public_key: Path
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        missing = public_key.with_name("nope.pub")
        await pilot.press("i", *"lost", "tab")
        await paste(pilot, str(missing))
        await pilot.press("enter")
        await pilot.pause()
        verdict = text_of(pilot, "#key-verdict")
        assert f"cannot read {missing}: No such file or directory" in verdict
        assert "InvalidPublicKeyBody.Malformed" in verdict
        private = public_key.with_suffix("")
        pilot.app.screen.query_one("#public-key", Input).value = ""
        await paste(pilot, str(private))  # no .pub: a path all the same, since it starts with /
        await pilot.press("enter")
        await pilot.pause()
        assert "is a private key: choose its .pub file" in text_of(pilot, "#key-verdict")
        assert "PRIVATE" not in text_of(pilot, "#key-verdict")
    assert backend.count_key_pairs(REGION) == 0


@pilot_test
async def test_the_name_is_checked_live_and_again_on_enter(
    make_app: MakeApp, stocked: LocalBackend, public_key: Path
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("i", "tab")
        await paste(pilot, str(public_key))
        await pilot.press("enter")  # the name was never touched
        await pilot.pause()
        assert "MissingParameter" in text_of(pilot, "#name-verdict")
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#name", Input)
        await pilot.press("1", "x")
        assert "must start with a letter" in text_of(pilot, "#name-verdict")
        assert "InvalidKeyPairName.Malformed" in text_of(pilot, "#name-verdict")
        await pilot.press("backspace", "backspace", *"web-1")
        verdict = text_of(pilot, "#name-verdict")
        assert "already exists in cn-hangzhou · KeyPair.AlreadyExist" in verdict
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, ImportKeyPairDialog)
        await pilot.press("backspace", "9")
        assert "✓ free in cn-hangzhou" == text_of(pilot, "#name-verdict")
        await pilot.press("enter")
        await settle(pilot)
        assert "web-9" in shown_names(pilot)


@pilot_test
async def test_a_damaged_store_is_a_message_not_a_crash(
    make_app: MakeApp, stocked: LocalBackend, home: Path
) -> None:
    region_file = home / "keypairs" / f"{REGION}.json"
    region_file.write_text("{ not json")
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        message = text_of(pilot, "#empty")
        assert "could not be read" in message
        assert str(region_file) in message
        assert shown_names(pilot) == []
    assert region_file.read_text() == "{ not json"


@pilot_test
async def test_escape_goes_back_and_the_palette_reaches_the_actions(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("ctrl+p", *"Import", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportKeyPairDialog)
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CreateKeyPairScreen)


@pilot_test
async def test_the_footer_keys_that_fit_at_80_columns_and_the_rest_stay_in_the_palette(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        footer = app.screen.query_one(Footer)
        drawn = [key for key in footer.query(FooterKey) if key.region]  # not left out
        keys = sorted(drawn, key=lambda key: key.region.x)
        shown = [key.key for key in keys]
        assert shown == ["slash", "d", "i", "t", "escape", "ctrl+q", "f1", "ctrl+p"]
        # side by side, none pushed past the edge (keys[1:] is one shorter: not strict)
        for before, after in zip(keys, keys[1:], strict=False):
            assert before.region.right <= after.region.x
        assert keys[-1].region.right <= footer.region.right
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Filter", "Delete", "Import", "Edit", "Refresh", "Copy", "Where", "Back"):
            assert title in titles
        line = stocked.find_key_pairs(REGION, "api")[0].public_key
        stocked.import_key_pair(ImportKeyPairRequest(REGION, "added-behind", line))
        await pilot.press("ctrl+p", *"Refresh", "enter")  # the hidden key is still an action
        await until(pilot, lambda: "added-behind" in shown_names(pilot), "the table read again")


class WaitingBackend:
    """The real backend, presented as a backend whose calls may wait (as an endpoint's do), so
    the screen makes every call off the event loop."""

    is_local = False

    def __init__(self, backend: LocalBackend) -> None:
        self._backend = backend

    def __getattr__(self, name: str) -> object:
        return getattr(self._backend, name)


@pilot_test
async def test_calls_that_may_wait_are_made_off_the_event_loop(
    make_app: MakeApp, stocked: LocalBackend, public_key: Path
) -> None:
    app = make_app(backend=WaitingBackend(stocked))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: len(shown_names(pilot)) == 5)
        await pilot.press("slash", *"web*", "enter")
        await until(pilot, lambda: shown_names(pilot) == ["web-1", "web-2"])
        await pilot.press("d", "y")
        await until(pilot, lambda: shown_names(pilot) == ["web-2"])
        assert stocked.find_key_pairs(REGION, "web-1") == []
        await pilot.press("i", *"web-2")
        await until(pilot, lambda: "KeyPair.AlreadyExist" in text_of(pilot, "#name-verdict"))
        await pilot.press("backspace", "9", "tab")
        await until(pilot, lambda: text_of(pilot, "#name-verdict") == "✓ free in cn-hangzhou")
        await paste(pilot, public_key.read_text())
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen))
    assert stocked.find_key_pairs(REGION, "web-9")[0].public_key in public_key.read_text()


@pilot_test
async def test_a_filter_without_matches_says_so_and_escape_clears_it_from_the_table(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await type_filter(pilot, "xyz")
        await pilot.press("enter")  # to the (empty) table
        assert shown_names(pilot) == []
        assert "0 match" in text_of(pilot, "#summary")
        empty = pilot.app.screen.query_one("#empty", Static)
        assert empty.display and empty.region.height > 0
        assert text_of(pilot, "#empty") == "No key pair matches 'xyz' — esc clears the filter"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KeyPairsScreen)
        assert pilot.app.screen.query_one("#filter", Input).value == ""
        assert len(shown_names(pilot)) == 5
        assert pilot.app.screen.query_one("#key-pairs", DataTable).has_focus
        await type_filter(pilot, "web")
        await pilot.press("enter", "escape")  # from rows that match: back to the form
        assert isinstance(pilot.app.screen, CreateKeyPairScreen)


@pilot_test
async def test_an_empty_region_names_the_keys_that_fill_it(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    async with make_app().run_test(size=(60, 18)) as pilot:
        await open_key_pairs(pilot)
        message = text_of(pilot, "#empty")
        assert "cn-hangzhou has no key pairs yet" in message
        assert "i to import" in message and "g to look in another region" in message
        assert "escape to create one" in message
        assert pilot.app.screen.query_one("#empty", Static).region.height > 0


@pilot_test
async def test_refresh_keeps_the_focus_and_the_cursor_and_selects_nothing(
    make_app: MakeApp, stocked: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        screen = app.screen
        table = screen.query_one("#key-pairs", DataTable)
        await pilot.press("down", "down")
        for refresh in (("r",), ("ctrl+p", *"Refresh", "enter")):
            await pilot.press(*refresh)
            await settle(pilot)
            assert app.screen is screen and table.has_focus, refresh
            assert table.cursor_row == 2 and shown_names(pilot)[2] == "db-web"
            assert screen.selections == {}
        await type_filter(pilot, "web")
        search = screen.query_one("#filter", Input)
        for key in ("ctrl+r", "ctrl+p", "escape"):  # no key here selects the filter's text
            await pilot.press(key)
            await settle(pilot)
            assert search.has_focus and search.selection.is_empty, key
        await pilot.press("-")
        assert search.value == "web-"
