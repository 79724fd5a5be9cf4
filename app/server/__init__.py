"""``ecs-keypair serve``: the local store behind an ECS-compatible HTTP endpoint for the official SDKs."""
