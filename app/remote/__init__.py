"""The app on an ECS endpoint: the same service interface as the local engine, through the official SDK."""
