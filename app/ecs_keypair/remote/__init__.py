"""The app on an ECS endpoint: the local engine's service interface, through the official SDK."""
