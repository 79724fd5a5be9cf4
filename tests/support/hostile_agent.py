"""An ssh-agent that never finishes an answer: it reads the request whole, announces a long
answer, then sends it one byte at a time, far slower than any deadline."""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ANNOUNCED_BYTES = 1000


class TricklingAgent:
    """Listens on ``path``; ``asked`` is set once a request has arrived whole."""

    def __init__(self, path: Path, interval: float) -> None:
        self.path = path
        self.interval = interval
        self.asked = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed by stop()
                return
            with connection:
                self._trickle(connection)

    def _trickle(self, connection: socket.socket) -> None:
        try:
            length = int.from_bytes(_read(connection, 4), "big")
            _read(connection, length)
            self.asked.set()
            connection.sendall(ANNOUNCED_BYTES.to_bytes(4, "big"))
            for _ in range(ANNOUNCED_BYTES):
                if self._stop.wait(self.interval):
                    return
                connection.sendall(b"\x00")
        except OSError:  # the client gave up and closed: what it should do
            return

    def stop(self) -> None:
        self._stop.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in the thread
        except OSError:
            pass
        self._listener.close()
        self._thread.join(timeout=30)


def _read(connection: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            raise ConnectionError("the client closed the connection")
        data += chunk
    return data


@contextmanager
def trickling_agent(interval: float = 1.0) -> Iterator[TricklingAgent]:
    """A :class:`TricklingAgent` for the length of the block, in a fresh short folder (a Unix
    socket path is limited to about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="agent-", dir="/tmp"))
    agent = TricklingAgent(folder / "agent.sock", interval)
    try:
        yield agent
    finally:
        agent.stop()
        shutil.rmtree(folder, ignore_errors=True)
