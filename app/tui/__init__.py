"""The terminal app: a create form with live validation, the results with copy and save.

``run()`` is what ``ecs-keypair`` without a command calls; Textual is imported only then, so the
command line never pays for it.
"""

from __future__ import annotations

import sys

PREFERENCES_FILE = "tui-preferences.json"
"""In the data home, beside the store: what the app remembers between runs (the region)."""


def run(endpoint: str | None = None, profile: str | None = None) -> int:
    """Run the app over the local store, or over ``endpoint`` with the credentials of ``profile``
    (or the standard sources); returns the process exit status.

    A store, setting or endpoint that cannot be used (no credentials, say) is one plain line on
    stderr naming the file, the variable or the API's code, never a traceback. Preferences stay
    in the data home either way: they are this machine's, not the endpoint's.
    """
    from app.engine import settings
    from app.engine.backend import open_backend
    from app.engine.errors import ApiException
    from app.engine.settings import ConfigError
    from app.engine.storage import StoreError

    try:
        home = settings.data_home()
        service = open_backend(endpoint, profile)
    except (ConfigError, StoreError) as exc:
        sys.stderr.write(f"ecs-keypair: {exc}\n")
        return 1
    except ApiException as exc:
        sys.stderr.write(f"ecs-keypair: {exc.error.code}: {exc.error.message}\n")
        return 1

    from app.tui.app import make_app

    app = make_app(service, preferences_path=home / PREFERENCES_FILE)
    app.run()
    return app.return_code or 0
