"""--help on the program and on every command, --version, and that every example runs."""

from __future__ import annotations

import shlex

import pytest
from ecs_keypair import __version__
from ecs_keypair.cli.commands import COMMANDS
from ecs_keypair.contract.params import Kind


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
        assert f"--{param.spellings[0]} {param.metavar}" in text
        assert ("Required. " + param.help[:20] in text) == param.required
    has_tags = any(param.kind is Kind.TAGS for param in command.params)
    assert ("--Tag.N.Key VALUE" in text) == ("--Tag.N.Value VALUE" in text) == has_tags
    assert f"Example:\n  {command.example}\n" in text


def test_version(cli) -> None:
    outcome = cli("--version")
    assert (outcome.status, outcome.out, outcome.err) == (0, f"ecs-keypair {__version__}\n", "")


def test_every_example_runs(cli) -> None:
    """The examples in --help are real calls: run them in order against a fresh store."""
    group_id = ""
    for name in (
        "DescribeRegions",
        "CreateKeyPair",
        "DescribeKeyPairs",
        "TagResources",
        "ListTagResources",
        "UntagResources",
        "CreateResourceGroup",
        "JoinResourceGroup",
        "ListResourceGroups",
        "DeleteKeyPairs",
    ):
        program, *args = shlex.split(COMMANDS[name].example)
        assert program == "ecs-keypair"
        if name == "JoinResourceGroup":  # the example's group id stands for the one just made
            args[args.index("--ResourceGroupId") + 1] = group_id
        outcome = cli(*args)
        assert outcome.status == 0, (name, outcome.err)
        if name == "CreateResourceGroup":
            group_id = outcome.body["ResourceGroup"]["Id"]
    assert "$(cat ~/.ssh/id_ed25519.pub)" in COMMANDS["ImportKeyPair"].example


def test_every_command_of_the_issue_is_in_the_table() -> None:
    assert list(COMMANDS) == [
        "CreateKeyPair",
        "ImportKeyPair",
        "DescribeKeyPairs",
        "DeleteKeyPairs",
        "DescribeRegions",
        "TagResources",
        "UntagResources",
        "ListTagResources",
        "JoinResourceGroup",
        "CreateResourceGroup",
        "ListResourceGroups",
        "RunInstances",
        "DescribeInstances",
        "StartInstance",
        "StopInstance",
        "RebootInstance",
        "DeleteInstance",
        "AttachKeyPair",
        "DetachKeyPair",
    ]
