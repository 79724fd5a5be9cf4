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
    """``python3 -m app ARGS`` as a real process."""
    return run_process([sys.executable, "-m", "app", *args], **env)


def run_module_bytes(*args: str, **env: str) -> tuple[int, bytes, bytes]:
    """``python3 -m app ARGS`` as a real process: its exit status and the very bytes it wrote
    on stdout and stderr (what a terminal would be sent)."""
    completed = subprocess.run(
        [sys.executable, "-m", "app", *args],
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
