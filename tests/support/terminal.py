"""The real program on a pseudo-terminal: every byte it writes to the terminal, and keys sent as
a terminal sends them."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT_LIMIT = 60.0  # seconds: a bound on waiting for the program, never a speed check


class Terminal:
    """The controlling side of the program's terminal; ``written`` is everything it drew."""

    def __init__(self, controller: int, process: subprocess.Popen[bytes]) -> None:
        self.controller = controller
        self.process = process
        self.written = b""

    def _read(self, wait: float) -> bool:
        """Read what is there (waiting up to ``wait``); False once the program closed it."""
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
        start = len(self.written)
        deadline = time.monotonic() + WAIT_LIMIT
        while wanted not in self.written[max(start - len(wanted), 0) :]:
            assert time.monotonic() < deadline, f"never drawn: {what}"
            assert self._read(0.2), f"the program ended before drawing {what}"

    def press(self, keys: bytes) -> None:
        os.write(self.controller, keys)

    def finish(self) -> int:
        """Read until the program has ended; its exit status."""
        deadline = time.monotonic() + WAIT_LIMIT
        while self._read(0.2):
            assert time.monotonic() < deadline, "the program did not end"
        return self.process.wait(timeout=WAIT_LIMIT)


@contextmanager
def program_in_terminal(
    *args: str, columns: int = 80, lines: int = 24
) -> Iterator[Terminal]:
    """``python -m app ARGS`` on a new pseudo-terminal of ``columns`` x ``lines``, in the test's
    environment; killed at the end if it is still running."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(terminal)
    try:
        yield Terminal(controller, process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT_LIMIT)
        os.close(controller)
