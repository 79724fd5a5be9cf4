"""An interactive bash or zsh on a pseudo-terminal: what its own completion does with a line
typed there, Tab keys included."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

DEADLINE = 60  # seconds: a shell that never answers fails the test instead of hanging the run

SHELL_SETUP = {
    "bash": "PS1='$ '; bind 'set bell-style none'",
    "zsh": "PS1='$ '; autoload -Uz compinit; compinit -D",
}
RAN = re.compile(rb"ran:(.*?):end")


class ShellOnTerminal:
    """An interactive bash or zsh on a pseudo-terminal, the completion script loaded, where
    ``ecs-keypair`` is a function that prints its arguments: a line typed with a Tab in it
    shows what the shell's own completion made of it."""

    def __init__(self, shell: str, script: Path, folder: Path) -> None:
        flags = ["--norc", "--noprofile", "-i"] if shell == "bash" else ["-f", "-i"]
        self.controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
        self.process = subprocess.Popen(
            [shell, *flags], cwd=folder, stdin=terminal, stdout=terminal, stderr=terminal,
            env={"HOME": str(folder), "PATH": os.environ["PATH"], "TERM": "xterm"},
            start_new_session=True,
        )
        os.close(terminal)
        self.written = b""
        self.send(
            f"{SHELL_SETUP[shell]}; ecs-keypair() {{ printf 'ran:%s:end\\n' \"$*\"; }}; "
            f'eval "$(cat {script})"; echo RE""ADY\n'
        )
        self.wait_for(re.compile(rb"READY"))

    def send(self, text: str) -> None:
        """Type ``text``."""
        os.write(self.controller, text.encode())

    def wait_for(self, pattern: re.Pattern[bytes]) -> re.Match[bytes]:
        """The first match of ``pattern`` in what the shell wrote since the last match, waited
        for (:data:`DEADLINE` at most); what follows it is kept for the next."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            found = pattern.search(self.written)
            if found:
                self.written = self.written[found.end():]
                return found
            ready, _, _ = select.select([self.controller], [], [], 0.2)
            if ready:
                self.written += os.read(self.controller, 65536)
        raise AssertionError(f"{pattern.pattern!r} never came; the shell wrote {self.written!r}")

    def ran(self, typed: str) -> str:
        """What ``ecs-keypair`` received for ``typed``, Tabs completed, then Enter."""
        self.send(typed + "\n")
        return self.wait_for(RAN).group(1).decode()

    def close(self) -> None:
        """End the shell this object started."""
        self.process.kill()
        self.process.wait(timeout=DEADLINE)
        os.close(self.controller)
