"""--help on the program and on every command, --version, and that every example runs."""

from __future__ import annotations

import shlex

import pytest

from app import __version__
from app.cli.commands import COMMANDS


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_program_help(cli, home, flag: str) -> None:
    outcome = cli(flag)
    assert outcome.status == 0
    assert outcome.err == ""
    text = outcome.out
    for name, command in COMMANDS.items():
        assert f"  {name}" in text
        assert command.summary in text
    assert "no command starts the TUI" in text
    assert "ECS_KEYPAIR_HOME" in text
    assert str(home) in text
    assert all(len(line) <= 100 for line in text.splitlines())


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("where", ["alone", "after parameters"])
def test_command_help(cli, name: str, where: str) -> None:
    command = COMMANDS[name]
    args = [name, "--help"] if where == "alone" else [name, "--Bogus", "x", "-h"]
    outcome = cli(*args)
    assert outcome.status == 0
    assert outcome.err == ""
    text = outcome.out
    assert text.startswith(f"Usage: ecs-keypair {name}")
    for param in command.params:
        assert f"--{param.name} {param.metavar}" in text
        assert ("Required. " + param.help[:20] in text) == param.required
    assert ("--Tag.N.Key VALUE" in text) == bool(command.tags)
    assert f"Example:\n  {command.example}\n" in text


def test_version(cli) -> None:
    outcome = cli("--version")
    assert (outcome.status, outcome.out, outcome.err) == (0, f"ecs-keypair {__version__}\n", "")


def test_every_example_runs(cli) -> None:
    """The examples in --help are real calls: run them in order against a fresh store."""
    for name in (
        "DescribeRegions",
        "CreateKeyPair",
        "DescribeKeyPairs",
        "CreateResourceGroup",
        "ListResourceGroups",
        "DeleteKeyPairs",
    ):
        program, *args = shlex.split(COMMANDS[name].example)
        assert program == "ecs-keypair"
        assert cli(*args).status == 0, name
    assert "$(cat ~/.ssh/id_ed25519.pub)" in COMMANDS["ImportKeyPair"].example


def test_every_command_of_the_issue_is_in_the_table() -> None:
    assert list(COMMANDS) == [
        "CreateKeyPair",
        "ImportKeyPair",
        "DescribeKeyPairs",
        "DeleteKeyPairs",
        "DescribeRegions",
        "CreateResourceGroup",
        "ListResourceGroups",
    ]
