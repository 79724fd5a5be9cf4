"""s on the results in another format or with a passphrase, and a for the ssh-agent: the files
read back by ssh-keygen and puttygen, the agent a real ``ssh-agent`` started by the test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from ecs_keypair.tui.widgets.save_options import DIFFERENT_PASSPHRASES, SAME_PASSPHRASE
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.pilot import Pilot
from textual.widgets import Input, Select

from tests.conftest import require_tool
from tests.support.pilot import SIZE, create, made_by_ecs, pilot_test, press_and_settle, type_text
from tests.support.tools import agent_listing, mode, run_tool, running_ssh_agent

PASSPHRASE = "correct horse"


def notifications(app: KeyPairApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_dialog(app: KeyPairApp, pilot: Pilot[None], path: Path, key_format: str) -> None:
    await pilot.press("s")
    assert isinstance(app.screen, SaveKeyDialog)
    app.screen.query_one("#path", Input).value = str(path)
    app.screen.query_one("#key-format", Select).value = key_format
    await pilot.pause()


async def type_passphrases(pilot: Pilot[None], first: str, second: str) -> None:
    await pilot.click("#passphrase")
    await type_text(pilot, first)
    await pilot.click("#passphrase-again")
    await type_text(pilot, second)


def passphrase_check(app: KeyPairApp) -> Verdict:
    return app.screen.query_one("#passphrase-check", Verdict)


async def save(app: KeyPairApp, pilot: Pilot[None]) -> None:
    await press_and_settle(app, pilot, "enter")


async def create_and_add_to_agent(app: KeyPairApp, pilot: Pilot[None]) -> ResultsScreen:
    """Create web-1, press a, and let the agent's answer arrive."""
    screen = await create(app, pilot)
    await press_and_settle(app, pilot, "a")
    return screen


def assert_pub_beside(screen: ResultsScreen, key_file: Path) -> None:
    public = Path(f"{key_file}.pub")
    assert public.read_text() == f"{screen.created.public_key.line} web-1\n"
    assert mode(public) == 0o644
    assert mode(key_file) == 0o600


@pilot_test
async def test_openssh_with_a_passphrase_is_read_by_ssh_keygen_with_it_only(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    require_tool("ssh-keygen")
    target = tmp_path / "web-1"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await open_dialog(app, pilot, target, "openssh")
        await type_passphrases(pilot, PASSPHRASE, PASSPHRASE)
        assert passphrase_check(app).text == SAME_PASSPHRASE
        await save(app, pilot)
        assert app.screen is screen and screen.kept == "saved"
        message = (
            f"Saved the private key to {target} (openssh, encrypted with your passphrase, "
            f"mode 0600) and its public key to {target}.pub."
        )
        assert message in notifications(app)
    assert target.read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert_pub_beside(screen, target)
    derived = run_tool("ssh-keygen", "-y", "-P", PASSPHRASE, "-f", target).stdout
    assert derived.split()[:2] == screen.created.public_key.line.split()
    assert run_tool("ssh-keygen", "-y", "-P", "wrong", "-f", target, check=False).returncode != 0


@pilot_test
async def test_ppk_with_a_passphrase_is_read_by_puttygen(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    require_tool("puttygen", "ssh-keygen")
    target = tmp_path / "web-1.ppk"
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await open_dialog(app, pilot, target, "ppk")
        await type_passphrases(pilot, PASSPHRASE, PASSPHRASE)
        await save(app, pilot)
        assert screen.kept == "saved"
    assert target.read_text().startswith("PuTTY-User-Key-File-3: ssh-rsa")
    assert_pub_beside(screen, target)
    converted = tmp_path / "converted"  # decrypting proves the passphrase; ssh-keygen the key
    run_tool("puttygen", target, "-O", "private-openssh-new", "-o", converted,
             "--old-passphrase", secret, "--new-passphrase", "/dev/null")
    derived = run_tool("ssh-keygen", "-y", "-f", converted).stdout
    assert derived.split()[:2] == screen.created.public_key.line.split()


@pilot_test
async def test_differing_passphrases_show_as_typed_and_save_nothing(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    target = tmp_path / "web-1.pem"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create(app, pilot)
        await open_dialog(app, pilot, target, "pem")
        await type_passphrases(pilot, PASSPHRASE, "correct")
        assert passphrase_check(app).state == "problem"
        assert passphrase_check(app).text == DIFFERENT_PASSPHRASES
        assert app.screen.query_one("#passphrase", Input).password  # masked
        await save(app, pilot)
        assert isinstance(app.screen, SaveKeyDialog)  # Enter does not save a mismatch
        assert not target.exists()
        await type_text(pilot, " horse")
        assert passphrase_check(app).text == SAME_PASSPHRASE
        await save(app, pilot)
        assert app.screen is screen and screen.kept == "saved"
    assert target.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")


@pilot_test
async def test_the_key_goes_to_the_running_agent_and_it_lists_the_fingerprint(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_tool("ssh-agent", "ssh-add")
    with running_ssh_agent() as socket_path:
        monkeypatch.setenv("SSH_AUTH_SOCK", socket_path)
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await create_and_add_to_agent(app, pilot)
            fingerprint = made_by_ecs(screen).record.fingerprint
            assert screen.in_agent is not None
            assert notifications(app)[-1].startswith(
                f"Added to the ssh-agent at {socket_path}: it now lists MD5:{fingerprint} "
                f"({screen.created.public_key.sha256_fingerprint})."
            )
            assert screen.kept is None  # an agent forgets: leaving still asks
        assert f"MD5:{fingerprint} web-1 (RSA)" in agent_listing(socket_path)
    assert list(tmp_path.rglob("*.pem")) == []  # nothing went to disk


@pilot_test
async def test_no_agent_is_a_clear_message(
    make_app: Callable[..., KeyPairApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await create_and_add_to_agent(app, pilot)
        assert notifications(app)[-1] == (
            "Not added to ssh-agent: No ssh-agent could be used: SSH_AUTH_SOCK is not set "
            "(start one with ssh-agent). (SshAgent.Unavailable)"
        )
        assert screen.in_agent is None


@pilot_test
async def test_enter_in_the_open_format_list_picks_the_format_and_saves_nothing(
    make_app: Callable[..., KeyPairApp], user_home: Path
) -> None:
    """By keyboard alone: Tab to Format, Enter opens it, Down, Enter picks openssh and the
    dialog stays open; Enter from the path then saves in the format picked."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveKeyDialog)
        key_format = dialog.query_one("#key-format", Select)
        await pilot.press("tab")
        assert dialog.focused is key_format
        await pilot.press("enter")
        await pilot.pause()
        assert key_format.expanded
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is dialog
        assert key_format.value == "openssh"
        folder = user_home / ".ssh"
        assert not folder.exists() or not any(folder.iterdir()), "nothing saved yet"
        await pilot.press("shift+tab")
        await save(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        saved = [path for path in folder.iterdir() if path.suffix != ".pub"]
        assert len(saved) == 1
        assert saved[0].read_bytes().startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")
