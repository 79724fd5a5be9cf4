"""What keeps ``serve`` answering when clients misbehave: timeouts, a connection cap, a quiet log.

* A connection must send a request's headers within ``idle_timeout`` of opening or of its last
  answer (aiohttp's keep-alive timer, which also closes idle keep-alive connections), and the
  body within the endpoint's body timeout after them: a request not sent whole within 30 s is
  answered ``RequestTimeout`` and dropped (after at most ``linger_timeout`` more).
* At most ``max_connections`` are open, below the process's file descriptor limit: when a new one
  would pass the cap, the oldest connection that is not being answered (idle, or still sending
  its headers) is closed to make room, so idle connections cannot lock real clients out; if every
  connection is busy, the new one is closed.
* Malformed HTTP and refused accepts (out of file descriptors) write one line each on stderr,
  never a traceback or a request line (it carries AccessKeyId and Signature): a burst of at
  most :data:`LOG_BURST` lines, then :data:`LOG_BURST` per :data:`LOG_PERIOD` seconds, so a flood
  cannot fill the disk.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TextIO

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

IDLE_TIMEOUT = 10.0
# After an answer to a request whose body was not read whole (too large, too slow), how long the
# rest is read and dropped so that the client sees the answer rather than a reset (aiohttp: 10 s).
LINGER_TIMEOUT = 2.0
ACCEPT_BACKLOG = 128  # also how many connections asyncio accepts in one go
FD_RESERVE = 64  # descriptors kept for the store, the nonces, the worker threads and stdio
MIN_CONNECTIONS = 16
LOG_BURST = 20
LOG_PERIOD = 60.0


def fd_connection_cap() -> int:
    """The most connections that fit under RLIMIT_NOFILE, with room for a burst of accepts."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 65536
    return max(MIN_CONNECTIONS, soft - FD_RESERVE - ACCEPT_BACKLOG)


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    idle_timeout: float = IDLE_TIMEOUT
    linger_timeout: float = LINGER_TIMEOUT
    max_connections: int | None = None  # None: fd_connection_cap()

    def cap(self) -> int:
        return self.max_connections or fd_connection_cap()


DEFAULT_LIMITS = ConnectionLimits()


class RateLimitedLines:
    """Writes whole lines to a stream, at most ``burst`` per ``period``; counts the rest and says
    how many were left out in the next line it writes."""

    def __init__(
        self,
        out: TextIO,
        burst: int = LOG_BURST,
        period: float = LOG_PERIOD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._out = out
        self._burst = burst
        self._period = period
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()
        self._dropped = 0
        self._lock = threading.Lock()

    def write(self, line: str) -> None:
        with self._lock:
            now = self._clock()
            self._tokens = min(
                self._burst, self._tokens + (now - self._last) * self._burst / self._period
            )
            self._last = now
            if self._tokens < 1:
                self._dropped += 1
                return
            self._tokens -= 1
            if self._dropped:
                line = f"{line} ({self._dropped} similar lines left out before this one)"
                self._dropped = 0
            try:
                print(line, file=self._out, flush=True)
            except (OSError, ValueError):  # stderr gone: nothing to tell, keep serving
                pass


class _OneLine(logging.Handler):
    """aiohttp's server log as one line per record: what happened, from where, never the
    exception's text (a bad request line is quoted in it, query string and signature included)."""

    def __init__(self, lines: RateLimitedLines) -> None:
        super().__init__(logging.INFO)
        self._lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        status = getattr(exc, "status", None) or getattr(exc, "code", None)
        kind = type(exc).__name__ if exc is not None else "error"
        remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        answered = f", answered {status}" if isinstance(status, int) else ""
        self._lines.write(f"serve: malformed HTTP request from {remote} ({kind}){answered}")


def http_logger(lines: RateLimitedLines) -> logging.Logger:
    """A logger of its own for aiohttp's request handlers (not the global ``aiohttp.server``)."""
    logger = logging.Logger("ecs-keypair.serve.http", logging.INFO)
    logger.propagate = False
    logger.addHandler(_OneLine(lines))
    return logger


class LoopErrors:
    """The event loop's exception handler: a refused accept is said once until accepting works
    again; anything else is one line."""

    def __init__(self, lines: RateLimitedLines) -> None:
        self._lines = lines
        self.out_of_descriptors = False

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if context.get("message", "").startswith("socket.accept() out of system resource"):
            if not self.out_of_descriptors:
                self.out_of_descriptors = True
                limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
                self._lines.write(
                    f"serve: cannot accept connections ({exc}; ulimit -n is {limit}); "
                    "retrying every second, said once until it works again"
                )
            return
        kind = type(exc).__name__ if exc is not None else "no exception"
        self._lines.write(f"serve: event loop: {context.get('message', 'error')} ({kind})")

    def accepted(self) -> None:
        if self.out_of_descriptors:
            self.out_of_descriptors = False
            self._lines.write("serve: accepting connections again")


class LimitedServer(web.Server):
    """aiohttp's low-level server with a cap on open connections (see the module docstring)."""

    def __init__(
        self,
        handler: Callable[[web.BaseRequest], Awaitable[web.StreamResponse]],
        *,
        max_connections: int,
        loop_errors: LoopErrors,
        **kwargs: Any,
    ) -> None:
        super().__init__(self._track, **kwargs)
        self._handler = handler
        self._max_connections = max_connections
        self._loop_errors = loop_errors
        self._busy: set[object] = set()

    async def _track(self, request: web.BaseRequest) -> web.StreamResponse:
        protocol = request.protocol
        self._busy.add(protocol)
        try:
            return await self._handler(request)
        finally:
            self._busy.discard(protocol)

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        self._loop_errors.accepted()
        connections = self.connections
        if len(connections) <= self._max_connections:
            return
        idle = (c for c in connections if c not in self._busy and c.transport is not None)
        next(idle, handler).force_close()


__all__ = [
    "ConnectionLimits",
    "DEFAULT_LIMITS",
    "LimitedServer",
    "LoopErrors",
    "RateLimitedLines",
    "fd_connection_cap",
    "http_logger",
]
