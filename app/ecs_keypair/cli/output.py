"""Writing bodies as the aliyun CLI does: JSON indented by two, non-ASCII text as itself; and
what happens when stdout cannot take them.

Nothing the app did not write reaches the terminal raw: JSON escapes every control, bidi and
invisible character (:func:`ecs_keypair.contract.text_safety.escape_json`), and a message quoting
outside
text shows them as escapes (:func:`ecs_keypair.contract.text_safety.visible`)."""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from ecs_keypair.contract.text_safety import escape_json, visible
from ecs_keypair.exit_codes import EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from ecs_keypair.contract.errors import ApiError


Undo = tuple[str, Callable[[], object]]
"""What an undelivered body carried that must not be left behind: its name for the message
(``the key pair web-1``) and the call that deletes it."""


def json_text(value: object, ascii_only: bool = False) -> str:
    """JSON as the command line prints every answer: indented by two, non-ASCII text as itself
    (or escaped, for a stream that cannot carry it), never a raw control, bidi or invisible
    character (``\\u001b``, ``\\u202e``): the same JSON either way."""
    return escape_json(json.dumps(value, ensure_ascii=ascii_only, indent=2)) + "\n"


def write_json(stream: TextIO, body: Mapping[str, object]) -> None:
    try:
        stream.write(json_text(body))
    except UnicodeEncodeError:  # a stream that cannot carry the text: escaped, still the same JSON
        stream.write(json_text(body, ascii_only=True))
    stream.flush()


Answer = Mapping[str, object] | str | Callable[[TextIO], int]
"""A body to print as JSON, a text as it stands, or a writer that prints on the stream it is
given (and flushes it) and returns the exit status."""


def deliver(answer: Answer, undo: Undo | None = None) -> int:
    """Write the answer on stdout and flush it: exit 0 (or the writer's status).

    When it cannot be written (stdout closed, full, gone), ``undo`` deletes what it carried, one
    line on stderr says so, and the exit is 1 (141, quiet unless something was undone, for a
    reader that went away). A private key or secret nobody saw is never left behind.
    """
    stream = sys.stdout
    try:
        if stream is None:  # started with stdout closed: Python has no stream for it
            raise OSError(errno.EBADF, "stdout is closed")
        if callable(answer):
            return answer(stream)
        if isinstance(answer, str):
            stream.write(answer)
            stream.flush()
        else:
            write_json(stream, answer)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM while the answer was being written
        if undo is not None:
            say_interrupted(_undo(undo))
        raise
    except (OSError, ValueError) as exc:  # ValueError: a stream closed in this process
        silence_stdout()
        undone = _undo(undo) if undo is not None else ""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if isinstance(exc, BrokenPipeError):
            if undone:
                _say(f"the reader of the answer went away: {undone}")
            return EXIT_BROKEN_PIPE
        undone_part = f": {undone}" if undone else ""
        _say(f"the answer could not be written to stdout ({reason}){undone_part}")
        return EXIT_FAILED
    return EXIT_OK


def _undo(undo: Undo) -> str:
    """Delete what the undelivered body carried; the words for what happened."""
    what, delete = undo
    try:
        delete()
    except Exception as exc:  # still one line, never a traceback: the user must act
        return f"{what} could not be deleted ({type(exc).__name__}): delete it yourself"
    return deleted(what)


def deleted(what: str) -> str:
    """The words for an undelivered ``what`` that was deleted again."""
    return f"{what} was deleted, since its secret was never delivered"


class ToolError(Exception):
    """A local command's own failure (a key file or folder it was given cannot be read), said
    as a Unix tool says it: one line on stderr (``ecs-keypair: fingerprint: FILE: No such file
    or directory``), exit 1; never an API error body, since no API was asked."""


def say_tool_error(error: ToolError) -> None:
    _say(str(error))


def say_reason(error: ApiError) -> None:
    """After an error body, the reason the app knows and the API's message does not give
    (``KeyPairName: must be at least 2 characters long``), on a line of its own.
    A missing parameter's message already names it and says it is missing."""
    from ecs_keypair.contract.errors import MISSING_PARAMETER_CODE

    if error.reason and error.reason not in error.message and error.code != MISSING_PARAMETER_CODE:
        _say(f"{error.field}: {error.reason}" if error.field else error.reason)


def say_interrupted(undone: str) -> None:
    """One line on stderr: the command was interrupted, and ``undone`` says what was undone."""
    _say(f"interrupted: {undone}")


def _say(line: str) -> None:
    from ecs_keypair.cli.names import PROGRAM

    try:
        sys.stderr.write(f"{PROGRAM}: {visible(line)}\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # stderr closed too: the exit status says it
        pass


def silence_stdout() -> None:
    """Stdout cannot be written: send whatever is left in its buffer to /dev/null so that the
    exit stays quiet (Python flushes stdout once more as it exits)."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a file descriptor (captured in tests)
        pass


def error_body(error: ApiError, region_id: str | None) -> dict[str, object]:
    """The API's error body: a new RequestId, as HostId the host the error came from (an
    endpoint's), else the region's endpoint."""
    from ecs_keypair.contract.ids import new_request_id  # not needed by --help
    from ecs_keypair.contract.regions import host_id

    return error.body(new_request_id(), error.host_id or host_id(region_id))
