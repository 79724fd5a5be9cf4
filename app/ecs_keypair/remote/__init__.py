"""The app on an ECS endpoint: the local engine's backend interface, through the official SDK."""
