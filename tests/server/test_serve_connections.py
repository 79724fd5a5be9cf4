"""Connections that never finish are dropped, idle ones cannot lock real clients out, and bad
HTTP costs one short line of log at most, never a traceback or a request line.

The timeouts are shortened for the in-process serve (the defaults are 10 s idle, 20 s body); the
waits below are bounds on a hung test, never speed checks.
"""

from __future__ import annotations

import asyncio
import io
import os
import resource
import select
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models
from ecs_keypair.server.access_keys import AccessKeyStore
from ecs_keypair.server.connections import ConnectionLimits, LoopErrors, RateLimitedLines

from tests.support.serve import RunningServe, running_serve
from tests.support.tools import ecs_keypair_command, run_cli

WAIT = 10.0  # seconds a socket waits for serve to act: generous against the 0.5 s limits
STOP_TIMEOUT = 60
SHORT = ConnectionLimits(idle_timeout=0.5, linger_timeout=0.5)


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory):
    with running_serve(
        tmp_path_factory.mktemp("strict") / "data", limits=SHORT, body_timeout=0.5
    ) as running:
        yield running


def _connect(serve: RunningServe) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", serve.port), timeout=WAIT)
    sock.settimeout(WAIT)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    """Everything serve sends before it closes; socket.timeout if it never does."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_connection_that_sends_nothing_is_dropped(strict: RunningServe) -> None:
    with _connect(strict) as sock:
        assert _read_until_closed(sock) == b""


def test_a_request_whose_headers_never_end_is_dropped(strict: RunningServe) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"POST /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\n")
        assert _read_until_closed(sock) == b""


def test_a_request_whose_body_never_ends_is_answered_408_and_dropped(
    strict: RunningServe,
) -> None:
    with _connect(strict) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100\r\n\r\nAction=Desc"
        )
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408") and b'"Code":"RequestTimeout"' in answer


def test_an_idle_keep_alive_connection_is_dropped_after_its_answer(strict: RunningServe) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"GET /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 400") and b"MissingParameter" in answer


def test_idle_connections_past_the_cap_make_room_for_real_requests(tmp_path: Path) -> None:
    limits = ConnectionLimits(idle_timeout=600, max_connections=8)
    with running_serve(tmp_path / "data", limits=limits) as serve:
        idle = [_connect(serve) for _ in range(40)]
        try:
            regions = serve.client().describe_regions(models.DescribeRegionsRequest())
            closed = _closed_by_serve(idle, at_least=40 - 8)
        finally:
            for sock in idle:
                sock.close()
    assert regions.body.regions.region
    assert len(closed) >= 40 - 8


def _closed_by_serve(socks: list[socket.socket], at_least: int) -> set[socket.socket]:
    """The sockets serve has closed, waiting (at most WAIT) until there are ``at_least``."""
    closed: set[socket.socket] = set()
    deadline = time.monotonic() + WAIT
    while len(closed) < at_least and (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([s for s in socks if s not in closed], [], [], left)
        for sock in readable:
            try:
                if sock.recv(1) == b"":
                    closed.add(sock)
            except ConnectionResetError:
                closed.add(sock)
    return closed


def _limit_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def _serve_process(home: Path) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [*ecs_keypair_command(), "serve", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ECS_KEYPAIR_HOME": str(home)},
        preexec_fn=_limit_descriptors,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("serving on "):
            return process, int(line.split("http://", 1)[1].split()[0].rsplit(":", 1)[1])
    process.kill()
    raise AssertionError("serve did not start")


def _stop(process: subprocess.Popen[str]) -> str:
    """Stop serve and return its stderr."""
    process.send_signal(signal.SIGTERM)
    deadline = threading.Timer(STOP_TIMEOUT, process.kill)
    deadline.start()
    try:
        _, err = process.communicate()
        return err
    finally:
        deadline.cancel()


def test_more_idle_connections_than_descriptors_still_leave_real_requests_answered(
    home: Path,
) -> None:
    run_cli(home, "CreateAccessKey")
    process, port = _serve_process(home)
    idle: list[socket.socket] = []
    try:
        failures = 0
        while len(idle) < 400 and failures < 3:  # more than the 256 descriptors serve may open
            try:
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=3))
            except OSError:  # the listen queue is full: serve is not accepting
                failures += 1
        key = AccessKeyStore(home).list()[0]
        serve = RunningServe(port, home, key, io.StringIO())
        regions = serve.client().describe_regions(models.DescribeRegionsRequest())
    finally:
        for sock in idle:
            sock.close()
        err = _stop(process)
    assert regions.body.regions.region
    assert "Traceback" not in err and err.count("cannot accept connections") <= 1


def test_malformed_requests_log_one_short_line_each_rate_limited(home: Path) -> None:
    run_cli(home, "CreateAccessKey")
    process, port = _serve_process(home)
    secret_line = b"GET /?AccessKeyId=LTAIleakedid&Signature=leaked%3D HTTP/1.1\r\n"
    try:
        for _ in range(200):
            with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
                sock.sendall(secret_line + b"Host: x\r\nnot a header\r\n\r\n")
                sock.settimeout(WAIT)
                assert _read_until_closed(sock).split(b"\r\n")[0].endswith(b"400 Bad Request")
    finally:
        err = _stop(process)
    lines = err.splitlines()
    assert lines and all("malformed HTTP request from 127.0.0.1" in line for line in lines)
    assert len(lines) <= 25  # the burst, not one per request
    assert "Traceback" not in err and "LTAI" not in err and "Signature" not in err


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_log_says_how_many_lines_it_left_out() -> None:
    out, clock = io.StringIO(), _Clock()
    lines = RateLimitedLines(out, burst=3, period=30.0, clock=clock)
    for _ in range(10):
        lines.write("bad")
    clock.now = 10.0  # one line's worth of time later
    lines.write("bad")

    assert out.getvalue().splitlines() == [
        "bad",
        "bad",
        "bad",
        "bad (7 similar lines left out before this one)",
    ]


def test_a_refused_accept_is_said_once_until_accepting_works_again() -> None:
    out = io.StringIO()
    errors = LoopErrors(RateLimitedLines(out))
    context = {"message": "socket.accept() out of system resource", "exception": OSError(24, "x")}
    loop = asyncio.new_event_loop()
    try:
        for _ in range(5):
            errors(loop, context)
        errors.accepted()
        errors(loop, context)
    finally:
        loop.close()

    said = out.getvalue().splitlines()
    assert [line.startswith("serve: cannot accept connections") for line in said] == [
        True,
        False,
        True,
    ]
    assert "Traceback" not in out.getvalue()
