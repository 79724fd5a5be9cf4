"""The key pairs screen's local files: hostile files in ~/.ssh (tests/support/hostile_keys.py) are
read at once and counted in the details line, a scan that never ends neither stops the screen
answering keys nor holds the app when it quits, and a FIFO or a device named for an import is
refused without being opened."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.keys import key_scan
from ecs_keypair.keys.key_formats import generate_private_key, public_key_line
from ecs_keypair.keys.key_save import save_key
from ecs_keypair.keys.key_specs import KeyFormat
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen, read_public_key
from rich.text import Text
from textual.widgets import Input, Static

from tests.support.hostile_keys import within, write_corpus
from tests.support.pilot import SIZE, MakeApp, open_key_pairs, pilot_test, until

REGION = "cn-hangzhou"
STUCK_FOR = 30.0  # seconds the stuck scan below waits before it gives up
QUIT_LIMIT = 15.0  # seconds for the whole app run, once quitting


def details(app: KeyPairApp) -> str:
    rendered = app.screen.query_one("#details", Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def _mine(backend: LocalBackend, ssh: Path) -> Path:
    here = generate_private_key("ed25519")
    saved = save_key(str(ssh / "mine"), here, "openssh", "mine")
    line = public_key_line(here)
    backend.import_key_pair(ImportKeyPairRequest(REGION, "mine", line))
    return saved.private_path


@pilot_test
async def test_a_hostile_ssh_folder_is_read_and_what_it_skipped_is_counted(
    make_app: MakeApp, backend: LocalBackend, user_home: Path
) -> None:
    ssh = user_home / ".ssh"
    write_corpus(ssh)
    mine = _mine(backend, ssh)
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)  # it waits for the screen's workers: the scan too
        assert details(app).endswith(
            f"private key on this machine: {mine} (openssh) (13 unreadable files skipped)"
        )


def test_a_scan_that_never_ends_neither_stops_the_screen_nor_holds_quitting(
    make_app: MakeApp, backend: LocalBackend, user_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (user_home / ".ssh").mkdir()
    _mine(backend, user_home / ".ssh")
    release = threading.Event()
    scanning: list[threading.Thread] = []

    def stuck(path: Path, data: bytes) -> list[key_scan.KeyFileInfo]:
        scanning.append(threading.current_thread())
        release.wait(STUCK_FOR)
        return []

    monkeypatch.setattr(key_scan, "keys_in", stuck)
    app = make_app(backend=backend)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen) and bool(scanning))
            await pilot.press("slash", *"mi")
            await until(pilot, lambda: app.screen.query_one("#filter", Input).value == "mi")
            assert details(app).endswith("looking in ~/.ssh for its private key…")
            await pilot.press("ctrl+q")

    started = time.monotonic()
    try:
        asyncio.run(scenario())  # the event loop's executor is joined as it closes
        took = time.monotonic() - started
    finally:
        release.set()
    assert scanning[0].daemon
    assert took < QUIT_LIMIT


def test_importing_from_a_fifo_or_a_device_refuses_it_unopened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")  # opening it would wait for a writer, on the event loop
    (tmp_path / "null-link").symlink_to(os.devnull)
    for name in ("fifo", "null-link"):
        verdict = within(lambda: read_public_key(str(tmp_path / name)))
        assert isinstance(verdict, ApiError)
        assert verdict.code == "InvalidPublicKeyBody.Malformed"
        assert "not a regular file" in verdict.reason


@pilot_test
async def test_refresh_reads_the_ssh_folder_again(
    make_app: MakeApp, backend: LocalBackend, user_home: Path
) -> None:
    here = generate_private_key("ed25519")
    line = public_key_line(here)
    backend.import_key_pair(ImportKeyPairRequest(REGION, "later", line))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        assert details(app).endswith("no private key for it in ~/.ssh")
        saved = save_key(str(user_home / ".ssh" / "later"), here, "openssh", "later")
        await pilot.press("r")
        await until(pilot, lambda: str(saved.private_path) in details(app), "~/.ssh read again")
        assert details(app).endswith(f"private key on this machine: {saved.private_path} (openssh)")


@pytest.mark.parametrize(("folder", "key_format"), [(".ssh", "openssh"), ("keys", "pem")])
@pilot_test
async def test_after_an_import_from_a_file_its_private_key_is_found(
    make_app: MakeApp,
    backend: LocalBackend,
    user_home: Path,
    folder: str,
    key_format: KeyFormat,
) -> None:
    """Made after the screen opened, in ~/.ssh or in a folder of its own: the private key beside
    the .pub imported is named at once, without reopening the screen."""
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        here = generate_private_key("ed25519")
        saved = save_key(str(user_home / folder / "laptop"), here, key_format, "laptop")
        await pilot.press("i", *"laptop", "tab", *f"~/{folder}/laptop.pub", "enter")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the import done")
        await until(pilot, lambda: "looking in" not in details(app), "the private keys looked for")
        assert details(app).startswith("laptop · ")
        assert details(app).endswith(
            f"private key on this machine: {saved.private_path} ({key_format})"
        )


@pilot_test
async def test_an_import_of_a_pasted_line_finds_no_file_beside_it(
    make_app: MakeApp, backend: LocalBackend, user_home: Path
) -> None:
    line = public_key_line(generate_private_key("ed25519"))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("i", *"pasted", "tab")
        app.screen.query_one("#public-key", Input).value = line
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the import done")
        await until(pilot, lambda: "looking in" not in details(app), "the private keys looked for")
        assert details(app).endswith("no private key for it in ~/.ssh")
