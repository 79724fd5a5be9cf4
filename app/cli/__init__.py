"""The aliyun-style command line: ``ecs-keypair CreateKeyPair --RegionId … --KeyPairName …``.

A thin shell over :class:`app.engine.service.KeyPairService`. Importing this package stays cheap
(no engine, no Textual): the engine is imported when a command runs, the TUI only when no
command is given, and then without the command line's parsing (its action table, its help),
which the app's first frame would otherwise wait for.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised wherever the command is, so that it unwinds as Ctrl-C does: a key pair
    whose private key was not delivered yet is deleted on the way out."""


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the undo short
    raise Terminated


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` for the length of the block (the handler before it
    comes back after); outside the main thread, where no handler can be set, nothing changes."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:
        yield
        return
    try:
        yield
    finally:  # None: a handler set outside Python, which cannot be put back; the default then
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ecs-keypair`` command (``argv`` without the program name); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:  # the app over the local store
        from app.tui import run

        try:
            with sigterm_interrupts():
                return run()
        except Terminated:  # the app has given the terminal back on the way out
            return EXIT_TERMINATED
        except KeyboardInterrupt:  # before the app has the terminal (it reads ctrl+c itself)
            return EXIT_INTERRUPTED
    from app.cli.command_line import main as run_command_line

    with sigterm_interrupts():
        return run_command_line(args)


def run() -> NoReturn:
    """The ``ecs-keypair`` process (the console script, ``python -m app``): :func:`main`, then
    the exit without the interpreter's teardown.

    Freeing every module and object as the interpreter exits took about 20 ms of a
    CreateKeyPair process (cryptography's, TinyDB's and orjson's), measured with hyperfine,
    more than anything of ours but the key itself; none of it is needed: when main() returns,
    the store's files are fsynced and closed, the answer is written and flushed (or its
    failure reported), serve has shut down and the app has given the terminal back. What is
    left in the standard streams' buffers is flushed here.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or gone: main() has said what it could
            pass
    os._exit(code)


__all__ = ["main", "run"]
