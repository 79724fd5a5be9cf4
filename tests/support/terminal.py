"""The real program on a pseudo-terminal: what it wrote there and how it ended."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 60  # seconds: a hung program fails the test instead of hanging the run


class OnTerminal(NamedTuple):
    status: int
    written: bytes


def run_on_terminal(*args: str, env: dict[str, str] | None = None) -> OnTerminal:
    """Run ``python -m app ARGS`` with a pseudo-terminal as stdin, stdout and stderr, reading
    everything it writes there until it ends (it is killed after :data:`DEADLINE`)."""
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
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.2)
            if ready:
                try:
                    written += os.read(controller, 65536)
                except OSError:  # the program ended and closed the terminal
                    break
            elif process.poll() is not None:
                break
        return OnTerminal(process.wait(timeout=10), written)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
