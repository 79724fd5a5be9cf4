"""The aliyun-style command line: ``ecs-keypair CreateKeyPair --RegionId … --KeyPairName …``.

A thin shell over :class:`app.engine.service.KeyPairService`. Importing this package stays cheap
(no engine, no Textual): the engine is imported when a command runs, the TUI only when no
command is given, and then without the command line's parsing (its action table, its help),
which the app's first frame would otherwise wait for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ecs-keypair`` command (``argv`` without the program name); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:  # the app over the local store
        from app.tui import run

        try:
            return run()
        except KeyboardInterrupt:  # before the app has the terminal (it reads ctrl+c itself)
            return EXIT_INTERRUPTED
    from app.cli.main import main as run_command_line

    return run_command_line(args)


__all__ = ["main"]
