"""The real program on a pseudo-terminal: what it wrote there and how it ended."""

from __future__ import annotations

import os
import pty
import signal
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 60  # seconds: a hung program fails the test instead of hanging the run
ENTER_ALTERNATE_SCREEN = b"\x1b[?1049h"  # the app has taken the terminal


class OnTerminal(NamedTuple):
    status: int
    written: bytes
    seconds_to_stop: float | None = None
    """From the signal sent to the end of the process, when one was sent."""


def run_on_terminal(
    *args: str, env: dict[str, str] | None = None, stop_with: signal.Signals | None = None
) -> OnTerminal:
    """Run ``python -m app ARGS`` with a pseudo-terminal as stdin, stdout and stderr, reading
    everything it writes there until it ends (it is killed after :data:`DEADLINE`). With
    ``stop_with``, that signal is sent once the app has taken the terminal."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color", **(env or {})},
        start_new_session=True,
    )
    os.close(terminal)
    written = b""
    deadline = time.monotonic() + DEADLINE
    signalled: float | None = None
    try:
        while time.monotonic() < deadline:
            if stop_with is not None and signalled is None and ENTER_ALTERNATE_SCREEN in written:
                process.send_signal(stop_with)
                signalled = time.monotonic()
            ready, _, _ = select.select([controller], [], [], 0.2)
            if ready:
                try:
                    written += os.read(controller, 65536)
                except OSError:  # the program ended and closed the terminal
                    break
            elif process.poll() is not None:
                break
        status = process.wait(timeout=10)
        return OnTerminal(
            status, written, None if signalled is None else time.monotonic() - signalled
        )
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
