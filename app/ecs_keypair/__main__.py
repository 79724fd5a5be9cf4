"""``python -m ecs_keypair``: the same process as the ``ecs-keypair`` command."""

from ecs_keypair.cli import run

run()
