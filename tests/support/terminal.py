"""The real program on a pseudo-terminal: what it wrote there, keys sent as a terminal sends
them, and how it ended."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


class Terminal:
    """The controlling side of the program's terminal; ``written`` is everything it wrote."""

    def __init__(self, controller: int, process: subprocess.Popen[bytes]) -> None:
        self.controller = controller
        self.process = process
        self.written = b""

    def read(self, wait: float) -> bool:
        """Read what is there (waiting up to ``wait``); False once the program has ended."""
        ready, _, _ = select.select([self.controller], [], [], wait)
        if ready:
            try:
                chunk = os.read(self.controller, 65536)
            except OSError:  # the program ended and closed the terminal
                return False
            self.written += chunk
            return bool(chunk)
        return self.process.poll() is None

    def wait_for(self, wanted: bytes, what: str) -> None:
        """Read until ``wanted`` has been written (after what was read before the call)."""
        start = max(len(self.written) - len(wanted), 0)
        deadline = time.monotonic() + DEADLINE
        while wanted not in self.written[start:]:
            assert time.monotonic() < deadline, f"never drawn: {what}"
            assert self.read(0.2), f"the program ended before drawing {what}"

    def press(self, keys: bytes) -> None:
        os.write(self.controller, keys)

    def finish(self) -> int:
        """Read until the program has ended; its exit status."""
        deadline = time.monotonic() + DEADLINE
        while self.read(0.2):
            assert time.monotonic() < deadline, "the program did not end"
        return self.process.wait(timeout=DEADLINE)


@contextmanager
def program_on_terminal(
    *args: str, env: dict[str, str] | None = None, columns: int = 80, lines: int = 24
) -> Iterator[Terminal]:
    """``python -m ecs_keypair ARGS`` with a new pseudo-terminal of ``columns`` x ``lines`` as
    stdin, stdout and stderr, in the test's environment plus ``env``; killed at the end if it is
    still running."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "ecs_keypair", *args],
        cwd=REPO,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color", **(env or {})},
        start_new_session=True,
    )
    os.close(terminal)
    try:
        yield Terminal(controller, process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=DEADLINE)
        os.close(controller)


def run_on_terminal(
    *args: str, env: dict[str, str] | None = None, stop_with: signal.Signals | None = None
) -> OnTerminal:
    """Run ``python -m ecs_keypair ARGS`` on a pseudo-terminal, reading everything it writes there
    until it ends (it is killed after :data:`DEADLINE`). With ``stop_with``, that signal is sent
    once the app has taken the terminal."""
    with program_on_terminal(*args, env=env) as terminal:
        deadline = time.monotonic() + DEADLINE
        signalled: float | None = None
        while time.monotonic() < deadline:
            taken = ENTER_ALTERNATE_SCREEN in terminal.written
            if stop_with is not None and signalled is None and taken:
                terminal.process.send_signal(stop_with)
                signalled = time.monotonic()
            if not terminal.read(0.2):
                break
        status = terminal.process.wait(timeout=10)
        seconds = None if signalled is None else time.monotonic() - signalled
    return OnTerminal(status, terminal.written, seconds)
