"""``python -m app``: the same entry point as the ``ecs-keypair`` command."""

from app.cli import main

raise SystemExit(main())
