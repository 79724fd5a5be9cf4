"""s on the results: the dialog asks for a path, the file is 0600 from its first byte."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.pilot import SIZE, create, made_by_ecs, pilot_test, press_and_settle
from tests.support.tools import mode


async def save_as(app: KeyPairApp, pilot: Pilot[None], path: str | None) -> None:
    """Press s, type the path (None: keep the proposed one), Enter, and let the write finish."""
    await pilot.press("s")
    assert isinstance(app.screen, SaveKeyDialog)
    if path is not None:
        app.screen.query_one("#path", Input).value = path
    await press_and_settle(app, pilot, "enter")


def refused(path: Path, reason: str) -> str:
    """The engine's refusal of a save path, as the dialog shows it."""
    return f"Cannot save the key to {path}: {reason}. · InvalidKeyFile.Path"


def dialog_problem(app: KeyPairApp) -> str:
    assert isinstance(app.screen, SaveKeyDialog)
    verdict = app.screen.query_one("#save-problem", Verdict)
    assert verdict.state == "problem"
    return verdict.text


@pilot_test
async def test_the_proposed_path_gets_a_0600_file_in_a_new_0700_folder(
    make_app: Callable[..., KeyPairApp], user_home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await pilot.press("s")
        assert app.screen.query_one("#path", Input).value == "~/.ssh/web-1.pem"
        await press_and_settle(app, pilot, "enter")
        saved = user_home / ".ssh" / "web-1.pem"
        assert saved.read_text() == made_by_ecs(screen).private_key_pem
        assert mode(saved) == 0o600
        assert mode(saved.parent) == 0o700
        assert app.screen is screen
        assert screen.kept == "saved"
        assert screen.key_is_safe
        assert str(screen.query_one("#key-notice").render()) == (
            f"Saved the private key to {saved} (pem, not encrypted, mode 0600) "
            f"and its public key to {saved}.pub."
        )
        assert mode(Path(f"{saved}.pub")) == 0o644


@pilot_test
async def test_an_existing_file_is_kept_without_a_yes(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    target = tmp_path / "key.pem"
    target.write_text("the old key\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await save_as(app, pilot, str(target))
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused is app.screen.query_one("#no")  # Enter alone keeps the file
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text() == "the old key\n"
        assert "already exists and was kept" in dialog_problem(app)
        await pilot.press("escape")
        assert app.screen is screen
        assert screen.kept is None


@pilot_test
async def test_an_existing_file_is_replaced_after_a_yes(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    target = tmp_path / "key.pem"
    target.write_text("the old key\n")
    os.chmod(target, 0o644)
    public = tmp_path / "key.pem.pub"
    public.write_text("the old public key\n")
    os.chmod(public, 0o600)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await save_as(app, pilot, str(target))
        assert isinstance(app.screen, ConfirmDialog)
        await press_and_settle(app, pilot, "y")
        assert target.read_text() == made_by_ecs(screen).private_key_pem
        assert public.read_text() == f"{screen.created.public_key.line} web-1\n"
        assert (mode(target), mode(public)) == (0o600, 0o644)  # as a new save makes them
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
        assert app.screen is screen
        assert screen.kept == "saved"


@pilot_test
async def test_a_symlink_at_the_path_is_refused(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    victim = tmp_path / "authorized_keys"
    victim.write_text("precious\n")
    link = tmp_path / "key.pem"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.pem"
    dangling.symlink_to(tmp_path / "nowhere")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await save_as(app, pilot, str(link))
        link_refused = "it is a symbolic link (refusing to write through it)"
        assert dialog_problem(app) == refused(link, link_refused)
        await pilot.press("escape")
        await save_as(app, pilot, str(dangling))
        assert dialog_problem(app) == refused(dangling, link_refused)
        await pilot.press("escape")
        assert victim.read_text() == "precious\n"
        assert not (tmp_path / "nowhere").exists()
        assert link.is_symlink() and dangling.is_symlink()
        assert screen.kept is None


@pilot_test
async def test_failures_are_shown_in_the_dialog_and_the_key_stays(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    plain_file = tmp_path / "notes.txt"
    plain_file.write_text("not a folder\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await save_as(app, pilot, str(tmp_path / "no" / "such" / "key.pem"))
        no_folder = f"there is no folder {tmp_path / 'no'}"
        assert dialog_problem(app) == refused(tmp_path / "no" / "such", no_folder)
        await pilot.press("escape")
        await save_as(app, pilot, str(plain_file / "key.pem"))  # ENOTDIR
        assert dialog_problem(app) == refused(plain_file, "it is not a folder")
        await pilot.press("escape")
        await save_as(app, pilot, str(tmp_path))  # a folder where the file should be
        assert dialog_problem(app) == refused(tmp_path, "it is a folder")
        # The dialog comes back with what was typed: fix it and try again.
        assert app.screen.query_one("#path", Input).value == str(tmp_path)
        app.screen.query_one("#path", Input).value = str(tmp_path / "key.pem")
        await press_and_settle(app, pilot, "enter")
        assert app.screen is screen
        assert (tmp_path / "key.pem").read_text() == made_by_ecs(screen).private_key_pem


@pilot_test
async def test_escape_in_the_dialog_saves_nothing(
    make_app: Callable[..., KeyPairApp], user_home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await pilot.press("s", "escape")
        assert app.screen is screen
        assert not (user_home / ".ssh").exists()
        assert screen.kept is None
