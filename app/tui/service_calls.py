"""Service calls from the screens: in place on the local store, off the event loop on an endpoint.

On the local store a call reads a cached file in microseconds, so a keystroke's verdict is drawn in
the same frame; writes and key generation already run in Textual thread workers. On an endpoint
any call may wait for the network up to the SDK's timeouts (5 s to connect, 30 s to read), so it
runs in a thread and its answer comes back to the screen as a callback on the event loop.

Those threads are daemon threads, not Textual's thread workers: a worker runs in the event loop's
default executor, which asyncio joins when the app ends, so quitting while an endpoint hangs would
wait out the read timeout, and six hung calls would fill that executor and stall the clipboard
and the key file writes queued behind them. Here at most one call of a kind is in flight per
screen; a newer request of the same kind waits for it, replacing any older waiting one, and only
the newest answer is delivered. A hanging endpoint costs one thread per kind, not one per key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from textual.dom import DOMNode
from textual.worker import get_current_worker

from app.engine.errors import ApiError, ApiException
from app.engine.storage import StoreError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Failed:
    """A call that raised: the API's error, or a plain message (a store or file failure)."""

    problem: ApiError | str


def attempt(call: Callable[[], T]) -> T | Failed:
    """The call's answer, or what went wrong as a value: no exception reaches a screen."""
    try:
        return call()
    except ApiException as exc:
        return Failed(exc.error)
    except (StoreError, OSError) as exc:
        return Failed(str(exc))
    except Exception as exc:  # a bug, or a library failing in a way nobody foresaw
        return Failed(f"unexpected failure: {type(exc).__name__}: {exc}")


@dataclass(slots=True)
class _Request(Generic[T]):
    call: Callable[[], T]
    done: Callable[[T | Failed], None]


class ServiceCalls:
    """The calls one screen makes to its service; see the module docstring."""

    def __init__(self, node: DOMNode, service: Any) -> None:
        self.node = node
        self.remote = not getattr(service, "is_local", False)
        self._running: set[str] = set()
        self._waiting: dict[str, _Request[Any]] = {}

    def run(
        self,
        kind: str,
        call: Callable[[], T],
        done: Callable[[T | Failed], None],
        *,
        locally: Literal["now", "worker"] = "now",
    ) -> None:
        """Make ``call`` and hand its answer to ``done`` on the event loop.

        On the local store: at once (``done`` has run when this returns), or, with
        ``locally="worker"`` for slow local work (key generation, a first write), in an exclusive
        Textual thread worker named ``kind``. On an endpoint: in a daemon thread, one per kind.
        """
        if not self.remote:
            if locally == "now":
                done(attempt(call))
            else:
                self._in_worker(kind, _Request(call, done))
            return
        request = _Request(call, done)
        if kind in self._running:
            self._waiting[kind] = request
            return
        self._start(kind, request)

    def in_flight(self, kind: str) -> bool:
        """Whether a call of this kind was sent to the endpoint and has not answered yet."""
        return kind in self._running

    def _in_worker(self, kind: str, request: _Request[Any]) -> None:
        def work() -> None:
            outcome = attempt(request.call)
            if not get_current_worker().is_cancelled:  # replaced by a newer call of this kind
                self.node.app.call_from_thread(request.done, outcome)

        self.node.run_worker(work, name=kind, group=kind, thread=True, exclusive=True)

    def _start(self, kind: str, request: _Request[Any]) -> None:
        self._running.add(kind)
        thread = threading.Thread(
            target=self._call_in_thread,
            args=(kind, request),
            name=f"endpoint-{kind}",
            daemon=True,
        )
        thread.start()

    def _call_in_thread(self, kind: str, request: _Request[Any]) -> None:
        outcome = attempt(request.call)
        try:
            self.node.call_later(self._answered, kind, request, outcome)
        except RuntimeError:
            pass  # the app's event loop is closed: nobody is waiting for the answer any more

    def _answered(self, kind: str, request: _Request[Any], outcome: Any) -> None:
        self._running.discard(kind)
        newer = self._waiting.pop(kind, None)
        if newer is not None:
            self._start(kind, newer)  # asked again meanwhile: this answer is out of date
            return
        request.done(outcome)
