"""The real X clipboard: c on the results copies the private key that ``xclip -o`` reads back,
and the key is cleared from it after ``clipboard_clear_seconds`` or when the app quits, unless
something else was copied since.

The test starts its own Xvfb (it picks a free display itself, ``-displayfd``), runs the app with
the real :class:`SystemClipboard` on that display, and stops Xvfb afterwards; the xclip process
that served the selection ends with the X server, and the test checks that it did.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp, make_app
from ecs_keypair.tui.clipboard import SystemClipboard
from ecs_keypair.tui.screens.results import ResultsScreen
from textual.pilot import Pilot

from tests.conftest import require_tool
from tests.support.pilot import SIZE, made_by_ecs, pilot_test, press_and_settle, type_text, until

START_TIMEOUT = 30  # seconds for Xvfb to say which display it took
STOP_TIMEOUT = 10


def _read_display_number(fd: int, server: subprocess.Popen[bytes]) -> str:
    """Xvfb writes its display number and a newline on ``-displayfd`` once it accepts clients."""
    deadline = time.monotonic() + START_TIMEOUT
    text = b""
    os.set_blocking(fd, False)
    while not text.endswith(b"\n"):
        if server.poll() is not None:
            pytest.fail(f"Xvfb exited with status {server.returncode} before it was ready")
        if time.monotonic() > deadline:
            pytest.fail(f"Xvfb did not start within {START_TIMEOUT} s")
        try:
            chunk = os.read(fd, 16)
        except BlockingIOError:
            time.sleep(0.02)
            continue
        if not chunk:
            pytest.fail("Xvfb closed -displayfd without naming a display")
        text += chunk
    return text.decode().strip()


def _xclip_servers(display: str) -> list[int]:
    """Our xclip processes still serving a selection on ``display`` (found by their pid)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")[0]
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # gone already, or not ours to read
        if Path(os.fsdecode(command)).name == "xclip" and f"DISPLAY={display}".encode() in environ:
            found.append(int(entry.name))
    return found


@pytest.fixture
def x_display(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A private X server; DISPLAY points at it, and no SSH or Wayland variable gets in the way."""
    require_tool("Xvfb", "xclip")
    read_end, write_end = os.pipe()
    log = open(tmp_path / "xvfb.log", "wb")
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        display = f":{_read_display_number(read_end, server)}"
        for name in ("WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DISPLAY", display)
        yield display
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    # The xclip that served the selection loses its X server and exits; make sure it did.
    deadline = time.monotonic() + STOP_TIMEOUT
    while _xclip_servers(display) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _xclip_servers(display) == [], "an xclip process outlived its X server"


def read_clipboard(display: str) -> bytes:
    result = subprocess.run(
        ["xclip", "-o", "-selection", "clipboard"],
        env={**os.environ, "DISPLAY": display},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=STOP_TIMEOUT,
        check=True,
    )
    return result.stdout


@pilot_test
async def test_c_puts_the_private_key_on_the_x_clipboard_byte_for_byte(
    x_display: str, backend: LocalBackend
) -> None:
    app: KeyPairApp = make_app(lambda: backend, clipboard=SystemClipboard())
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await press_and_settle(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        await press_and_settle(app, pilot, "c")
        messages = [notification.message for notification in app._notifications]
        assert messages == [
            (
                "Copied the private key to the system clipboard (xclip); the clipboard will be "
                "cleared in 45 s."
            )
        ]
        assert app.clipboard == ""  # the system clipboard answered: no OSC 52 fallback
        assert screen.key_is_safe
        pem = made_by_ecs(screen).private_key_pem
    assert read_clipboard(x_display) == pem.encode("ascii")
    assert _xclip_servers(x_display), "xclip should still be serving the selection"


def write_clipboard(display: str, data: bytes) -> None:
    """Copy as another program would: xclip, left to serve the selection in the background."""
    subprocess.run(
        ["xclip", "-selection", "clipboard"],
        env={**os.environ, "DISPLAY": display},
        input=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        timeout=STOP_TIMEOUT,
        check=True,
    )


def app_clearing_after(
    backend: LocalBackend, tmp_path: Path, seconds: float | None
) -> KeyPairApp:
    settings = tmp_path / "tui-preferences.json"
    if seconds is not None:
        settings.write_text(json.dumps({"clipboard_clear_seconds": seconds}), encoding="utf-8")
    return make_app(lambda: backend, clipboard=SystemClipboard(), preferences_path=settings)


async def copy_a_new_key(app: KeyPairApp, pilot: Pilot[None], display: str) -> str:
    await type_text(pilot, "web-1")
    await press_and_settle(app, pilot, "enter")
    screen = app.screen
    assert isinstance(screen, ResultsScreen)
    await press_and_settle(app, pilot, "c")
    assert read_clipboard(display) == screen.private_key_text.encode("ascii")
    return screen.private_key_text


def said(app: KeyPairApp) -> list[str]:
    return [notification.message for notification in app._notifications]


@pilot_test
async def test_the_key_is_cleared_from_the_x_clipboard_after_the_time_set(
    x_display: str, backend: LocalBackend, tmp_path: Path
) -> None:
    app = app_clearing_after(backend, tmp_path, 0.5)
    async with app.run_test(size=SIZE) as pilot:
        await copy_a_new_key(app, pilot, x_display)
        assert said(app) == [
            (
                "Copied the private key to the system clipboard (xclip); the clipboard will be "
                "cleared in 0.5 s."
            )
        ]
        await until(
            pilot, lambda: "Cleared the private key from the clipboard." in said(app), "cleared"
        )
        assert read_clipboard(x_display) == b""


@pilot_test
async def test_what_was_copied_meanwhile_stays_on_the_x_clipboard(
    x_display: str, backend: LocalBackend, tmp_path: Path
) -> None:
    app = app_clearing_after(backend, tmp_path, 0.5)
    async with app.run_test(size=SIZE) as pilot:
        await copy_a_new_key(app, pilot, x_display)
        write_clipboard(x_display, b"copied by the user meanwhile")
        await until(pilot, lambda: not app.clipboard_guard.pending, "the time was up")
        await app.workers.wait_for_complete()
        assert read_clipboard(x_display) == b"copied by the user meanwhile"
        assert len(said(app)) == 1  # nothing cleared, nothing failed


@pilot_test
async def test_quitting_clears_the_key_from_the_x_clipboard(
    x_display: str, backend: LocalBackend, tmp_path: Path
) -> None:
    app = app_clearing_after(backend, tmp_path, None)  # the default, 45 s: quit long before
    async with app.run_test(size=SIZE) as pilot:
        await copy_a_new_key(app, pilot, x_display)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "ctrl+q quit")
    assert read_clipboard(x_display) == b""
