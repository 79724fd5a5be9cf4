"""One call made and its answer printed: the body (exit 0), or the error body and its reason
(exit 1); what every command that calls the backend ends with."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TextIO

from ecs_keypair.cli.conventions import Conventions
from ecs_keypair.cli.output import (
    ToolError,
    Undo,
    deliver,
    error_body,
    say_reason,
    say_tool_error,
    write_json,
)
from ecs_keypair.cli.parsing import UsageError
from ecs_keypair.exit_codes import EXIT_FAILED, EXIT_OK


def run_call(
    call: Callable[[], Mapping[str, object]],
    region_id: str | None,
    conventions: Conventions | None = None,
    undo: Callable[[Mapping[str, object]], Undo | None] | None = None,
) -> int:
    """Make the call and print its body (exit 0), as ``conventions`` ask, or the error body of
    whatever it raised (1; a :class:`ToolError`: its one line). A :class:`UsageError` the call
    finds (a key size that needs the backend's proposed key type to judge) goes up as it is, to
    exit 2. ``undo`` names what a body carries that must not outlive an answer nobody could
    read."""
    from ecs_keypair.contract.errors import INTERNAL_ERROR, ApiException
    from ecs_keypair.store.settings import ConfigError
    from ecs_keypair.store.store_paths import StoreError

    try:
        body = call()
    except ApiException as exc:
        error = exc.error
    except ToolError as exc:
        say_tool_error(exc)
        return EXIT_FAILED
    except UsageError:
        raise
    except (StoreError, ConfigError) as exc:
        error = replace(INTERNAL_ERROR, message=str(exc))
    except Exception as exc:  # a bug: still the API's answer to one, never a traceback
        error = replace(INTERNAL_ERROR, message=f"{INTERNAL_ERROR.message} ({type(exc).__name__})")
    else:
        shown = conventions or Conventions()

        def write(stream: TextIO) -> int:
            return EXIT_OK if shown.write_answer(stream, dict(body)) else EXIT_FAILED

        return deliver(write, undo(body) if undo is not None else None)
    write_json(sys.stderr, error_body(error, region_id))
    say_reason(error)
    return EXIT_FAILED
