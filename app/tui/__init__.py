"""The terminal app: a create form with live validation, the results with copy and save.

``run()`` is what ``ecs-keypair`` without arguments calls; Textual is imported only then, so the
command line never pays for it.
"""

from __future__ import annotations

import sys

PREFERENCES_FILE = "tui-preferences.json"
"""In the data home, beside the store: what the app remembers between runs (the region)."""


def run() -> int:
    """Open the local store and run the app; returns the process exit status.

    A store or setting that cannot be used is a plain message naming the file or the variable,
    never a traceback.
    """
    from app.engine import settings
    from app.engine.service import KeyPairService
    from app.engine.settings import ConfigError
    from app.engine.storage import StoreError
    from app.engine.store import KeyPairStore

    try:
        home = settings.data_home()
        service = KeyPairService(KeyPairStore(home, settings.key_pair_quota()))
    except (ConfigError, StoreError) as exc:
        sys.stderr.write(f"ecs-keypair: {exc}\n")
        return 1

    from app.tui.app import make_app

    app = make_app(service, preferences_path=home / PREFERENCES_FILE)
    app.run()
    return app.return_code or 0
