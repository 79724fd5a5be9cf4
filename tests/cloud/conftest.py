"""The cloud tests run the command line in this process as tests/cli do, with its fixtures."""

from tests.cli.conftest import cli, no_default_region

__all__ = ["cli", "no_default_region"]
