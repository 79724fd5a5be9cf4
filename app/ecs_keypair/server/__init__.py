"""``ecs-keypair serve``: the local store as an ECS-compatible endpoint for the official SDKs."""
