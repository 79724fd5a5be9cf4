"""Helpers for the command line's tests: what a run left, and running it as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
REGION = "cn-hangzhou"


@dataclass(frozen=True)
class Outcome:
    """What one run of ``ecs-keypair`` left: its exit status and both streams."""

    status: int
    out: str
    err: str

    @property
    def body(self) -> Any:
        """The success body (stdout), after checking that the run succeeded."""
        assert self.status == 0, self.err
        assert self.err == ""
        return json.loads(self.out)

    def ok(self) -> Any:
        """:attr:`body`, for a run whose success is all that is checked."""
        return self.body

    @property
    def error(self) -> Any:
        """The API error body (stderr), after checking that the run failed with status 1."""
        assert self.status == 1, (self.out, self.err)
        assert self.out == ""
        return error_and_reason(self.err)[0]

    @property
    def reason(self) -> str:
        """The line after the error body that says why, when the API's message does not."""
        return error_and_reason(self.err)[1]

    @property
    def usage(self) -> str:
        """The usage message (stderr), after checking status 2 and that nothing else came out."""
        assert self.status == 2, (self.out, self.err)
        assert self.out == ""
        return self.err


def error_and_reason(err: str) -> tuple[Any, str]:
    """The error body that starts stderr, and what follows it: nothing, or one line saying
    ``ecs-keypair: FIELD: reason``."""
    body, end = json.JSONDecoder().raw_decode(err)
    rest = err[end:].lstrip("\n")
    assert rest == "" or (rest.startswith("ecs-keypair: ") and rest.count("\n") == 1), rest
    return body, rest


def run_process(command: list[str], **env: str) -> Outcome:
    """A real process, from the repository's root, with the test's environment plus ``env``."""
    completed = subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert "Traceback" not in completed.stderr
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


def run_module(*args: str, **env: str) -> Outcome:
    """``python3 -m ecs_keypair ARGS`` as a real process."""
    return run_process([sys.executable, "-m", "ecs_keypair", *args], **env)


def run_module_bytes(*args: str, **env: str) -> tuple[int, bytes, bytes]:
    """``python3 -m ecs_keypair ARGS`` as a real process: its exit status and the very bytes it
    wrote on stdout and stderr (what a terminal would be sent)."""
    completed = subprocess.run(
        [sys.executable, "-m", "ecs_keypair", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert b"Traceback" not in completed.stderr
    return completed.returncode, completed.stdout, completed.stderr


def modules_loaded_after(code: str, packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` (each with its submodules) that running ``code`` in a fresh
    interpreter, from this checkout, has loaded."""
    script = (
        f"import json, sys\n{code}\n"
        f"unwanted = {packages!r}\n"
        "print(json.dumps([m for m in sys.modules\n"
        "    if any(m == u or m.startswith(u + '.') for u in unwanted)]))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, check=True, capture_output=True, text=True
    )
    return json.loads(completed.stdout.splitlines()[-1])


@dataclass(frozen=True)
class Measured:
    """One run of ``python3 -m ecs_keypair``: what it left, its wall time and its own peak
    memory."""

    outcome: Outcome
    seconds: float
    peak_mib: float


# Linux counts in a child's peak memory what it held before exec: a child forked from the test
# runner (hundreds of MiB late in a run) would be charged for the runner. A small interpreter
# forks the program instead and reports that child's own peak, as wait4 gives it.
_MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "ecs_keypair", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def run_measured(*args: str, timeout: float = 120, **env: str) -> Measured:
    """``python3 -m ecs_keypair ARGS`` as a real process, timed, with the peak resident memory of
    that process alone (not the test runner's, nor its other children). Killed at ``timeout``."""
    import signal
    import tempfile
    import threading
    import time

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile() as report:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, report.name, *args], cwd=REPO,
            env={**os.environ, **env}, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,
        )
        killer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        killer.start()
        try:
            process.wait()
        finally:
            killer.cancel()
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        outcome = Outcome(process.returncode, out.read().decode(), err.read().decode())
        peak_kib = int(Path(report.name).read_text() or 0)
    assert "Traceback" not in outcome.err
    return Measured(outcome, seconds, peak_kib / 1024)


def start_module(*args: str, **env: str) -> subprocess.Popen[str]:
    """``python3 -m ecs_keypair ARGS`` started, not waited for (its streams captured)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ecs_keypair", *args], cwd=REPO, env={**os.environ, **env},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def cpu_seconds(pid: int) -> float:
    """The CPU time a running process has used so far (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def has_open(pid: int, path: Path) -> bool:
    """Whether the process holds ``path`` open (a file or a folder)."""
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(entry) == str(path):
                return True
        except OSError:  # closed meanwhile
            continue
    return False
