"""The aliyun-style command line: ``ecs-keypair CreateKeyPair --RegionId … --KeyPairName …``.

A thin door over the backend (:mod:`ecs_keypair.contract.backend`). Importing this package stays
cheap
(no engine, no Textual): the engine is imported when a command runs, the TUI only when no
command is given, and then without the command line's parsing (its action table, its help),
which the app's first frame would otherwise wait for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ecs_keypair.cli.termination import Terminated, sigterm_interrupts
from ecs_keypair.exit_codes import EXIT_INTERRUPTED, EXIT_TERMINATED


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ecs-keypair`` command (``argv`` without the program name); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:  # the app over the local store
        from ecs_keypair.tui import run

        try:
            with sigterm_interrupts():
                return run()
        except Terminated:  # the app has given the terminal back on the way out
            return EXIT_TERMINATED
        except KeyboardInterrupt:  # before the app has the terminal (it reads ctrl+c itself)
            return EXIT_INTERRUPTED
    from ecs_keypair.cli.command_line import main as run_command_line

    with sigterm_interrupts():
        return run_command_line(args)


def run() -> NoReturn:
    """The ``ecs-keypair`` process (the console script, ``python -m ecs_keypair``): :func:`main`,
    then
    the exit without the interpreter's teardown.

    The teardown frees every module and object, which costs a short command more than its own
    work (bench/bench_cli.py), and nothing needs it: when main() returns, the store's files are
    fsynced and closed, the answer is written (or its failure reported), serve has shut down
    and the app has given the terminal back. The standard streams are flushed here.
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
