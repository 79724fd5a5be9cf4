"""Running the endpoint: bind (loopback unless told otherwise), say where, stop cleanly on a signal.

On SIGINT or SIGTERM the server stops accepting, lets the requests in flight finish (their store
writes included) and returns; nothing is left half-written because every write is atomic anyway.
A request still waiting for a lock answers 503 at once rather than holding the shutdown up.
The HTTP server is aiohttp's low-level one, with the limits of :mod:`connections`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TextIO

from aiohttp import web

from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.server.access_keys import AccessKeyStore
from ecs_keypair.server.connections import (
    ACCEPT_BACKLOG,
    DEFAULT_LIMITS,
    ConnectionLimits,
    LimitedServer,
    LoopErrors,
    RateLimitedLines,
    http_logger,
)
from ecs_keypair.server.endpoint import (
    BODY_TIMEOUT,
    MAX_HEADER_BYTES,
    MAX_REQUEST_LINE_BYTES,
    Endpoint,
)
from ecs_keypair.server.signatures import SignatureVerifier

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
WORKER_THREADS = 8
SHUTDOWN_GRACE_SECONDS = 30.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one); raises OSError when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(ACCEPT_BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def banner(host: str, port: int) -> list[str]:
    """What ``serve`` says at start: where it listens, and a warning when not on loopback."""
    shown = f"[{host}]" if ":" in host else host
    if is_loopback(host):
        return [f"serving on http://{shown}:{port} (loopback only)"]
    return [
        f"serving on http://{shown}:{port}",
        f"warning: {host} is reachable from other machines, over plain HTTP; "
        "signatures stop strangers, but requests and key material travel unencrypted",
    ]


async def serve_until_stopped(
    backend: KeyPairBackend,
    keys: AccessKeyStore,
    sock: socket.socket,
    out: TextIO,
    stop: asyncio.Event | None = None,
    limits: ConnectionLimits = DEFAULT_LIMITS,
    body_timeout: float = BODY_TIMEOUT,
    errors: TextIO | None = None,
) -> None:
    """Serve on ``sock`` until SIGINT/SIGTERM (or ``stop`` is set), then shut down gracefully.

    The shutdown stops ``backend``'s waits for good (:meth:`KeyPairBackend.stop_waiting`): a
    serve that follows opens a backend of its own, as ``ecs-keypair serve`` does each time.

    ``errors`` (stderr by default) gets the rate-limited lines about malformed requests.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (RuntimeError, ValueError):  # not the main thread (tests run it in a thread)
            pass
    lines = RateLimitedLines(errors or sys.stderr)
    loop_errors = LoopErrors(lines)
    loop.set_exception_handler(loop_errors)
    with ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="serve") as executor:
        verifier = SignatureVerifier(keys)
        endpoint = Endpoint(backend, verifier, executor, body_timeout)
        server = LimitedServer(
            endpoint.handle,
            max_connections=limits.cap(),
            loop_errors=loop_errors,
            keepalive_timeout=limits.idle_timeout,
            lingering_time=limits.linger_timeout,
            max_line_size=MAX_REQUEST_LINE_BYTES,
            max_field_size=MAX_HEADER_BYTES,
            logger=http_logger(lines),
            access_log=None,
        )
        runner = web.ServerRunner(server, shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
        await runner.setup()
        try:
            await web.SockSite(runner, sock, backlog=ACCEPT_BACKLOG).start()
            host, port = sock.getsockname()[:2]
            for line in banner(host, port):
                print(line, file=out, flush=True)
            await stop.wait()
            # Every request waiting for a lock answers 503 now, not after the lock timeout.
            backend.stop_waiting()
            verifier.stop_waiting()
            print("stopping: finishing the requests in flight", file=out, flush=True)
        finally:
            await runner.cleanup()
    print("stopped", file=out, flush=True)


def run(backend: KeyPairBackend, keys: AccessKeyStore, host: str, port: int) -> int:
    """``ecs-keypair serve``: returns the exit status (2 when the address cannot be bound)."""
    try:
        sock = bind(host, port)
    except OSError as exc:
        print(f"ecs-keypair serve: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    asyncio.run(serve_until_stopped(backend, keys, sock, sys.stdout))
    return 0
