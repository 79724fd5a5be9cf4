"""``ecs-keypair serve`` as a real process (the installed console script on a free port), and
the command line pointed at it with credentials in the environment."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import Outcome
from tests.support.tools import ecs_keypair_command, run_cli

STOP_TIMEOUT = 60  # seconds: a bound on waiting for the process, not a speed check


@dataclass
class ServeProcess:
    """A started serve: its process, what it printed up to "serving on", the port it took."""

    process: subprocess.Popen[str]
    banner: str
    port: int

    def stop(self, signum: int) -> tuple[int, str]:
        """Signal serve, then read what it says until it exits (killed if it never does)."""
        self.process.send_signal(signum)
        deadline = threading.Timer(STOP_TIMEOUT, self.process.kill)
        deadline.start()
        try:
            assert self.process.stdout is not None  # stdout=PIPE
            out = self.process.stdout.read()
            return self.process.wait(), out
        finally:
            deadline.cancel()


def start_serve(home: Path, *args: str) -> ServeProcess:
    """serve over ``home`` on a free port (``args`` added), once it says where it listens."""
    process = subprocess.Popen(
        [*ecs_keypair_command(), "serve", "--port", "0", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home)},
    )
    assert process.stdout is not None  # stdout=PIPE
    lines: list[str] = []
    while True:
        line = process.stdout.readline()
        assert line, f"serve exited early: {''.join(lines)}"
        lines.append(line)
        if line.startswith("serving on "):
            port = int(line.split("http://", 1)[1].split()[0].rsplit(":", 1)[1])
            return ServeProcess(process, "".join(lines), port)


def create_access_key(home: Path) -> dict:
    """A new access key in ``home``, as CreateAccessKey prints it (the secret included)."""
    return run_cli(home, "CreateAccessKey").body["AccessKey"]


def cli_on(server: ServeProcess | int, key: dict, home: Path, *args: str) -> Outcome:
    """The command line (a process) on serve, with ``key`` in its environment."""
    env = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": key["AccessKeyId"],
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": key["AccessKeySecret"],
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        # Another data home, empty: whatever the command line finds, it found through serve.
        port = server if isinstance(server, int) else server.port
        return run_cli(home / "elsewhere", *args, "--endpoint", f"http://127.0.0.1:{port}")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value


@contextmanager
def serves_sharing_a_key(*homes: Path) -> Iterator[tuple[list[ServeProcess], dict]]:
    """A serve process over each data home, all taking the same access key (returned): the
    regions of one account at endpoints of their own."""
    key = create_access_key(homes[0])
    for home in homes[1:]:
        home.mkdir(mode=0o700)
        shutil.copy2(homes[0] / "access-keys.json", home / "access-keys.json")
    servers: list[ServeProcess] = []
    try:
        for home in homes:
            servers.append(start_serve(home))
        yield servers, key
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.stop(signal.SIGTERM)
