"""The terminal app: a create form with live validation, the results with copy and save.

``run()`` is what ``ecs-keypair`` without a command calls; Textual is imported only then, so the
command line never pays for it.
"""

from __future__ import annotations

import os
import sys
from functools import partial

PREFERENCES_FILE = "tui-preferences.json"
"""In the data home, beside the store: what the app remembers between runs (the region)."""

EXIT_NO_TERMINAL = 2  # as a usage error: the command line asked for something that cannot run


def run(endpoint: str | None = None, profile: str | None = None, cloud: bool = False) -> int:
    """Run the app over the local store, over ``endpoint``, or (``cloud``) over Alibaba Cloud's
    regions, with the credentials of ``profile`` (or the standard sources); returns the process
    exit status.

    A store, setting or endpoint that cannot be used (no credentials, say) is one plain line on
    stderr naming the file, the variable or the API's code, never a traceback: before the app
    starts for what can be checked then (:func:`~ecs_keypair.contract.backend.backend_opener`),
    after it
    has stopped for what fails as the store opens behind the first frame. Preferences stay in
    the data home either way: they are this machine's, not the endpoint's.
    """
    if not on_a_terminal():
        sys.stderr.write(
            "ecs-keypair: the app reads keys from a terminal and draws on one, and stdin or "
            "stdout is not a terminal: run it in one, or give a command (ecs-keypair --help)\n"
        )
        return EXIT_NO_TERMINAL
    from ecs_keypair.backends import backend_opener
    from ecs_keypair.store.settings import data_home
    from ecs_keypair.tui.backend_calls import Failed, attempt

    open_service = attempt(partial(backend_opener, endpoint, profile, cloud))
    if isinstance(open_service, Failed):
        return _stopped(open_service.line)

    from ecs_keypair.tui.app import make_app

    home = data_home()
    app = make_app(open_service, preferences_path=home / PREFERENCES_FILE, data_home=home)
    app.run()
    if app.start_problem is not None:
        return _stopped(app.start_problem)
    return app.return_code or 0


def on_a_terminal() -> bool:
    """Whether stdin and stdout are both a terminal. Without one the app would read a pipe's
    bytes as keys and then wait for keys that never come."""
    return os.isatty(0) and os.isatty(1)


def _stopped(problem: str) -> int:
    from ecs_keypair.contract.text_safety import (
        visible,  # the problem may name any file or endpoint
    )

    sys.stderr.write(f"ecs-keypair: {visible(problem)}\n")
    return 1
