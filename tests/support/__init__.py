"""Helpers every test directory shares: Pilot, CLI runs, a running serve, files and tools, engine
checks."""
