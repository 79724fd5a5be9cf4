"""The app as a whole: how it starts, what it says when the store cannot be used, its palette."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store_paths import StoreError
from ecs_keypair.tui import PREFERENCES_FILE, run
from ecs_keypair.tui.app import KeyPairApp, make_app
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.color import Color
from textual.widgets import Footer, Header, Input, Select

from screenshots.scenes import RecordingClipboard
from tests.support.cli import modules_loaded_after
from tests.support.pilot import SIZE, pilot_test, press_and_settle, type_text, until
from tests.support.terminal import run_on_terminal

ROOT = Path(__file__).resolve().parents[2]
LEAVE_ALTERNATE_SCREEN = "\x1b[?1049l"


def contrast(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(color: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pilot_test
async def test_the_form_comes_first_with_the_backend_in_the_header(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, CreateKeyPairScreen)
        assert app.sub_title == backend.backend_label
        assert app.screen.focused is app.screen.query_one("#name", Input)


@pilot_test
async def test_the_service_opens_after_the_first_frame(backend: LocalBackend, home: Path) -> None:
    """When the backend is opened, the header, the name field and the footer are on the
    screen already and the rest of the form is not; once it is open, the form is whole."""
    seen_at_open: list[object] = []

    def open_service() -> LocalBackend:
        form = app.form
        seen_at_open.extend(
            [
                [len(form.query(kind)) for kind in (Header, Footer)],
                bool(form.name_input.region),  # laid out: on the screen
                form.is_whole,
                len(form.query(Select)),
            ]
        )
        return backend

    app = make_app(
        open_service, clipboard=RecordingClipboard(), preferences_path=home / PREFERENCES_FILE
    )
    async with app.run_test(size=SIZE) as pilot:
        await app.form.whole()
        await pilot.pause()
        assert seen_at_open == [[1, 1], True, False, 0]
        assert app.sub_title == backend.backend_label
        await pilot.press(*"web-1")
        assert app.form.query_one("#name-verdict", Verdict).text == "✓ free in cn-hangzhou"


@pilot_test
async def test_a_service_that_does_not_open_stops_the_app_with_its_problem(home: Path) -> None:
    problem = StoreError(home / "keypairs", "cannot be created (Permission denied)")

    def unusable() -> LocalBackend:
        raise problem

    app = make_app(
        unusable, clipboard=RecordingClipboard(), preferences_path=home / PREFERENCES_FILE
    )
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.return_code is not None, "the app stopped")
    assert app.return_code == 1
    assert app.start_problem == str(problem)


def test_a_store_that_fails_behind_the_first_frame_is_one_line_after_the_app(
    home: Path, tmp_path: Path
) -> None:
    """The real program on a terminal: the data home is fine (checked before the app starts),
    its key pairs folder is a link (found as the store opens, after the first frame). The app
    stops, gives the terminal back, and the last line it leaves is the problem."""
    home.mkdir(mode=0o700)
    (tmp_path / "elsewhere").mkdir()
    (home / "keypairs").symlink_to(tmp_path / "elsewhere")
    status, written, _ = run_on_terminal()
    assert status == 1
    screen, leaving, after = written.decode(errors="replace").rpartition(LEAVE_ALTERNATE_SCREEN)
    assert leaving, "the app never took the terminal"
    left = re.sub(r"\x1b\[[0-9;?<=>]*[A-Za-z]|\x1b[=>]", "", after).replace("\r", "")
    assert left == (
        f"ecs-keypair: The store file {home / 'keypairs'} is a symbolic link: it is never "
        "followed. It was left as it is: move it aside or restore it from a backup, then try "
        "again.\n"
    )
    assert "Traceback" not in screen


# What the form's first frame does not wait for: the store behind it, key generation and the
# other screens are imported after it is painted.
NOT_FOR_THE_FIRST_FRAME = (
    "tinydb",
    "orjson",
    "cryptography",
    "ecs_keypair.store.local_backend",
    "ecs_keypair.store.store",
    "ecs_keypair.store.storage",
    "ecs_keypair.contract.api_requests",
    "ecs_keypair.contract.results",
    "ecs_keypair.tui.screens.results",
    "ecs_keypair.tui.screens.key_pairs",
)


def test_the_first_frame_imports_nothing_of_the_store_behind_it() -> None:
    assert modules_loaded_after("import ecs_keypair.tui.app", NOT_FOR_THE_FIRST_FRAME) == []


def test_every_screen_finds_its_stylesheet() -> None:
    from ecs_keypair.tui.screens.confirm import ConfirmDialog
    from ecs_keypair.tui.screens.help import HelpScreen
    from ecs_keypair.tui.screens.import_key_pair import ImportKeyPairDialog
    from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
    from ecs_keypair.tui.screens.save_key import SaveKeyDialog

    owners = (
        KeyPairApp,
        ResultsScreen,
        ConfirmDialog,
        SaveKeyDialog,
        KeyPairsScreen,
        ImportKeyPairDialog,
        HelpScreen,
    )
    for owner in owners:
        paths = owner.CSS_PATH if isinstance(owner.CSS_PATH, list) else [owner.CSS_PATH]
        for path in map(Path, paths):
            assert path.is_file(), f"{owner.__name__}: {path}"
    # the form is the default screen, whose CSS_PATH Textual does not read: the app carries it
    assert CreateKeyPairScreen.CSS_PATH is None
    assert stylesheet("create_key_pair.tcss") in KeyPairApp.CSS_PATH
    assert stylesheet("app.tcss") == ROOT / "styles" / "app.tcss"  # a checkout: top-level styles/


@pytest.mark.usefixtures("on_a_terminal")
def test_an_unusable_setting_is_a_message_not_a_traceback(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_QUOTA", "lots")
    assert run() == 1
    err = capsys.readouterr().err
    assert (
        err
        == "ecs-keypair: ECS_KEYPAIR_QUOTA='lots' is not a whole number of key pairs per region\n"
    )


def test_a_data_home_that_cannot_be_made_names_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("ECS_KEYPAIR_HOME", str(blocker / "data"))
    status, written, _ = run_on_terminal()
    assert status == 1
    said = written.decode(errors="replace")
    assert "Traceback" not in said
    assert said.startswith(f"ecs-keypair: The store file {blocker / 'data'} cannot be created")


def test_sigterm_stops_the_app_at_once_and_gives_the_terminal_back(home: Path) -> None:
    status, written, seconds = run_on_terminal(stop_with=signal.SIGTERM)
    assert status == 143
    assert seconds is not None and seconds < 10  # at once: the bound only catches a hang
    assert written.decode(errors="replace").rpartition(LEAVE_ALTERNATE_SCREEN)[1]
    assert b"Traceback" not in written


@pytest.mark.parametrize("not_a_terminal", ["stdin", "stdout"])
def test_without_a_terminal_the_app_says_so_at_once_and_draws_nothing(
    home: Path, not_a_terminal: str
) -> None:
    """``echo | ecs-keypair`` (or ``ecs-keypair > file``): one line on stderr and exit 2, at
    once, not a newline read as Enter followed by a wait for keys that never come."""
    controller, terminal = pty.openpty()
    streams = {"stdin": terminal, "stdout": terminal}
    streams[not_a_terminal] = subprocess.PIPE
    process = subprocess.Popen(
        [sys.executable, "-m", "ecs_keypair"],
        cwd=ROOT,
        stdin=streams["stdin"],
        stdout=streams["stdout"],
        stderr=subprocess.PIPE,
    )
    try:
        out, err = process.communicate(input=b"\n" if not_a_terminal == "stdin" else None,
                                       timeout=60)
    finally:
        process.kill()  # a program that waits for keys must not outlive the test
        os.close(terminal)
        os.close(controller)
    assert process.returncode == 2
    assert err.decode() == (
        "ecs-keypair: the app reads keys from a terminal and draws on one, and stdin or stdout "
        "is not a terminal: run it in one, or give a command (ecs-keypair --help)\n"
    )
    assert not out
    assert not home.exists(), "nothing was made before the refusal"


@pilot_test
async def test_a_damaged_store_file_is_named_in_the_app_and_nothing_crashes(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    damaged = home / "keypairs" / "cn-hangzhou.json"
    damaged.write_text("{ not json")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        count = app.form.query_one("#region-count", Verdict)
        assert count.state == "problem"
        assert count.text.startswith(f"The store file {damaged} is damaged")
        await type_text(pilot, "web-1")
        verdict = app.form.query_one("#name-verdict", Verdict)
        assert verdict.text.startswith(f"The store file {damaged} is damaged")
        await press_and_settle(app, pilot, "enter")
        assert app.is_running
        assert isinstance(app.screen, CreateKeyPairScreen)
        assert app.form.focused is app.form.query_one("#name", Input)
    assert damaged.read_text() == "{ not json"  # left as it was


@pilot_test
async def test_the_palette_lists_the_screens_actions_and_runs_them(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Create", "Add tag", "Key pairs"):
            assert title in titles
        assert "Remove tag" not in titles  # offered once the focus is in a tag row
        assert "Screenshot" not in titles  # an SVG of the results would hold the private key
        await pilot.press("ctrl+p")
        await type_text(pilot, "Add tag")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.form.tag_editor.rows) == 1
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Remove tag" in titles


@pilot_test
async def test_the_results_palette_offers_copy_and_save(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await press_and_settle(app, pilot, "enter")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Copy key", "MD5", "Pubkey", "Save", "New", "Key pairs", "Back"):
            assert title in titles


@pytest.mark.parametrize("size", [(60, 16), (120, 40)])
@pilot_test
async def test_the_whole_flow_works_smaller_and_larger(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await type_text(pilot, "web-1")
        for _ in range(4):
            await pilot.press("ctrl+t")
            await type_text(pilot, f"k{_}")
        assert app.form.query_one(TagEditor).rows[-1].key_input.region.height == 1  # scrolled to
        await press_and_settle(app, pilot, "enter")
        assert isinstance(app.screen, ResultsScreen)
    assert [record.key_pair_name for record in backend.find_key_pairs("cn-hangzhou")] == ["web-1"]


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
@pilot_test
async def test_both_builtin_themes_show_the_verdicts(
    make_app: Callable[..., KeyPairApp], theme: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await type_text(pilot, "1a")
        verdict = app.form.query_one("#name-verdict", Verdict)
        hint = app.form.query_one("#region-count", Verdict)
        await pilot.pause()
        # An error reads differently from a hint, and both stand out from their background.
        assert verdict.rich_style.color != hint.rich_style.color
        for widget in (verdict, hint):
            _, background = widget.background_colors
            foreground = Color.from_rich_color(widget.rich_style.color)  # as painted
            assert contrast(foreground, background) >= 3.0, (theme, widget.id)


@pilot_test
async def test_the_key_pairs_of_the_chosen_region_are_a_key_away(
    make_app: Callable[..., KeyPairApp],
) -> None:
    from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.form.query_one("#region", Select).value = "ap-southeast-1"
        await pilot.pause()
        await pilot.press("ctrl+o")  # from the form, where letters are typed into fields
        assert isinstance(app.screen, KeyPairsScreen)
        assert app.screen.region_id == "ap-southeast-1"
        await pilot.press("escape")
        assert app.screen is app.form
        await type_text(pilot, "web-1")
        await press_and_settle(app, pilot, "enter")
        await pilot.press("k")  # from the results
        assert isinstance(app.screen, KeyPairsScreen)
        assert app.screen.region_id == "ap-southeast-1"
