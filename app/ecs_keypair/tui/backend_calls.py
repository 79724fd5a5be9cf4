"""Backend calls from the screens: in place on the local store, off the event loop on an endpoint.

On the local store a call is a cached read (microseconds) or one small write, so it runs in place
and a keystroke's verdict is drawn in the same frame; key generation and the store's first write
run in Textual thread workers (``locally="worker"``), as they always have. Reading local key
files (``locally="thread"``), whose cost a file decides, runs in a daemon thread that an async
worker awaits: quitting cancels that wait and never joins the thread. On an endpoint
any call may wait for the network up to the SDK's timeouts (5 s to connect, 30 s to read), so it
runs in a thread and its answer comes back to the screen as a callback on the event loop.

Those threads are daemon threads, not Textual's thread workers: a worker runs in the event loop's
default executor, which asyncio joins when the app ends, so quitting while an endpoint hangs would
wait out the read timeout, and six hung calls would fill that executor and stall the clipboard
and the key file writes queued behind them. Here at most one call of a kind is in flight per
screen; a newer request of the same kind waits for it. A newer read replaces any older waiting
one and only the newest answer is delivered; writes wait their turn and each is answered. A
hanging endpoint costs one thread per kind, not one per keystroke.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from textual.dom import DOMNode
from textual.worker import get_current_worker

from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.store.settings import ConfigError
from ecs_keypair.store.store_paths import StoreError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Failed:
    """A call that raised: the API's error, or a plain message (a store or file failure)."""

    problem: ApiError | str

    @property
    def line(self) -> str:
        """The problem in one line: the message, or the API's ``Code: Message``."""
        return self.problem if isinstance(self.problem, str) else self.problem.line


def attempt(call: Callable[[], T]) -> T | Failed:
    """The call's answer, or what went wrong as a value: no exception reaches a screen."""
    try:
        return call()
    except ApiException as exc:
        return Failed(exc.error)
    except (StoreError, ConfigError, OSError) as exc:
        return Failed(str(exc))
    except Exception as exc:  # a bug, or a library failing in a way nobody foresaw
        return Failed(f"unexpected failure: {type(exc).__name__}: {exc}")


def verdict_of(outcome: ApiError | Failed | None) -> ApiError | str | None:
    """A check's verdict: its problem, or what kept it from answering."""
    return outcome.problem if isinstance(outcome, Failed) else outcome


@dataclass(slots=True)
class _Request(Generic[T]):
    call: Callable[[], T]
    done: Callable[[T | Failed], None]
    every_answer: bool


class BackendCalls:
    """The calls one screen makes to its backend; see the module docstring."""

    def __init__(self, node: DOMNode, backend: KeyPairBackend) -> None:
        self.node = node
        self._remote = not backend.is_local
        self._running: set[str] = set()
        self._waiting: dict[str, list[_Request[Any]]] = {}

    def run(
        self,
        kind: str,
        call: Callable[[], T],
        done: Callable[[T | Failed], None],
        *,
        locally: Literal["now", "worker", "thread"] = "now",
        every_answer: bool = False,
        waiting: Callable[[], object] | None = None,
    ) -> None:
        """Make ``call`` and hand its answer to ``done`` on the event loop.

        On the local store: at once (``done`` has run when this returns), or, with
        ``locally="worker"`` for slow local work (key generation, a first write), in a Textual
        thread worker of the group ``kind``, or with ``locally="thread"`` (work quitting must
        not wait for: reading files) in a daemon thread awaited by a worker of that group. On an
        endpoint: in a daemon thread, one per kind.
        ``waiting`` runs first whenever the answer comes later: the screen says what it waits for.

        A read (the default) is superseded by a newer call of its kind: only the newest answer
        is delivered. A write passes ``every_answer=True``: its calls run one after the other and
        each answer is delivered, so no failure goes unseen.
        """
        request = _Request(call, done, every_answer)
        if not self._remote and locally == "now":
            done(attempt(call))
            return
        if waiting is not None:
            waiting()
        if not self._remote and locally == "thread":
            self._in_daemon_thread(kind, request)
            return
        if not self._remote:
            self._in_worker(kind, request)
            return
        if kind in self._running:
            queued = self._waiting.setdefault(kind, [])
            if not every_answer:
                queued[:] = [older for older in queued if older.every_answer]
            queued.append(request)
            return
        self._start(kind, request)

    def check(
        self,
        kind: str,
        call: Callable[[], ApiError | None],
        done: Callable[[ApiError | str | None], None],
        *,
        rules: Callable[[], ApiError | None],
        waiting: Callable[[], object],
    ) -> None:
        """Ask for a verdict: ``done(problem)``, or ``done(None)`` when there is none.

        ``call`` is the backend's check, ``rules`` the same rules judged without the backend.
        On the local store ``done`` has run when this returns. On an endpoint the rules answer
        at once when they find a problem; otherwise ``waiting`` runs now and ``done`` when the
        endpoint has answered (what kept it from answering is the problem then).
        """
        if self._remote:
            problem = rules()
            if problem is not None:
                done(problem)
                return
        self.run(kind, call, lambda outcome: done(verdict_of(outcome)), waiting=waiting)

    def in_flight(self, kind: str) -> bool:
        """Whether a call of this kind was sent to the endpoint and has not answered yet."""
        return kind in self._running

    def _in_worker(self, kind: str, request: _Request[Any]) -> None:
        def work() -> None:
            outcome = attempt(request.call)
            if not get_current_worker().is_cancelled:  # a read superseded by a newer one
                self.node.app.call_from_thread(request.done, outcome)

        exclusive = not request.every_answer
        self.node.run_worker(work, name=kind, group=kind, thread=True, exclusive=exclusive)

    def _in_daemon_thread(self, kind: str, request: _Request[Any]) -> None:
        """The call in a daemon thread, its answer awaited by an async worker: the screen's
        workers include it (and waiting for them waits for it), and quitting cancels the
        worker where it would have joined a thread worker's thread."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()

        def deliver(outcome: Any) -> None:
            if not answer.done():  # else the wait was cancelled: a newer call, or the app quit
                answer.set_result(outcome)

        def call() -> None:
            outcome = attempt(request.call)
            try:
                loop.call_soon_threadsafe(deliver, outcome)
            except RuntimeError:
                pass  # the app's event loop is closed: nobody is waiting for the answer any more

        async def wait() -> None:
            request.done(await answer)

        threading.Thread(target=call, name=f"local-{kind}", daemon=True).start()
        self.node.run_worker(
            wait,  # type: ignore[arg-type]  # Textual's overloads infer Never for it
            name=kind, group=kind, exclusive=not request.every_answer,
        )

    def _start(self, kind: str, request: _Request[Any]) -> None:
        self._running.add(kind)
        thread = threading.Thread(
            target=self._call_in_thread, args=(kind, request), name=f"endpoint-{kind}", daemon=True
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
        waiting = self._waiting.get(kind)
        newer = waiting.pop(0) if waiting else None
        if newer is not None:
            self._start(kind, newer)
        if newer is None or request.every_answer:
            request.done(outcome)  # else asked again meanwhile: this answer is out of date
