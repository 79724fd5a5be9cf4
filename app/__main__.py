"""``python -m app``: the same process as the ``ecs-keypair`` command."""

from app.cli import run

run()
