"""Fixtures for the app's Pilot tests: the app built by the same factory as ``run()``.

Helpers to import (``pilot_test``, ``type_text``) are in tests/support/pilot.py;
``RecordingClipboard`` in screenshots/scenes.py.

* ``make_app(**overrides)`` builds the app over the test's store (the ``backend`` fixture),
  with preferences in the test's data home and, unless told otherwise, ``clipboard``.
* ``clipboard`` records what was copied instead of touching the machine's clipboard.
* ``no_display`` takes DISPLAY, WAYLAND_DISPLAY and the SSH variables away, so the real
  :class:`SystemClipboard` finds no system clipboard and the app falls back to OSC 52.
* The text cursor never blinks (a blinking cursor makes screens differ from one frame to the
  next), and ``~`` is a fresh folder, so the save dialog's default path is the test's own.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import ecs_keypair.tui as tui
import pytest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui import PREFERENCES_FILE
from ecs_keypair.tui import app as tui_app
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from screenshots.scenes import RecordingClipboard
from tests.support.instances import imported, run

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``~`` for the code under test: a fresh folder without ``.ssh``."""
    path = tmp_path / "user"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    return path


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """``run()`` called in this process, as if stdin and stdout were a terminal."""
    monkeypatch.setattr(tui, "on_a_terminal", lambda: True)


@pytest.fixture
def clipboard() -> RecordingClipboard:
    return RecordingClipboard()


@pytest.fixture
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DISPLAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_app(
    backend: LocalBackend, clipboard: RecordingClipboard, home: Path
) -> Callable[..., tui_app.KeyPairApp]:
    def build(**overrides: Any) -> tui_app.KeyPairApp:
        chosen = overrides.pop("backend", backend)
        app = tui_app.make_app(
            lambda: chosen,
            clipboard=overrides.pop("clipboard", clipboard),
            preferences_path=overrides.pop("preferences_path", home / PREFERENCES_FILE),
            data_home=overrides.pop("data_home", home),
        )
        app.run_test = whole_form_first(app)  # type: ignore[method-assign]
        return app

    return build


def whole_form_first(app: tui_app.KeyPairApp) -> Callable[..., Any]:
    """``app.run_test`` that hands over the pilot once the whole form is mounted (the form
    mounts what is below its first frame right after it): the tests look at every field."""
    run_test = app.run_test

    @contextlib.asynccontextmanager
    async def run(*args: Any, **kwargs: Any) -> AsyncIterator[Pilot[None]]:
        async with run_test(*args, **kwargs) as pilot:
            await app.form.whole()
            await pilot.pause()
            yield pilot

    return run


@pytest.fixture
def web(backend: LocalBackend) -> LocalBackend:
    """In cn-hangzhou: web-1 on two running instances named web, web-2 on none."""
    imported(backend, "cn-hangzhou", "web-1")
    imported(backend, "cn-hangzhou", "web-2")
    run(backend, "cn-hangzhou", amount=2, KeyPairName="web-1", InstanceName="web")
    return backend
