"""``ecs-keypair completion bash|zsh``: a shell completion script, generated from the declarations
the commands parse their lines with (the command table through
:mod:`ecs_keypair.cli.command_view`, the key commands' and ``CreateKeyPair``'s
:class:`~ecs_keypair.cli.key_options.Option` declarations, serve's and the access key commands'
:data:`~ecs_keypair.cli.local_commands.LOCAL_OPTIONS`) and the regions the engine knows, so it
never lists a command or an option the program does not have, nor misses one it has.

Every command completes its options (those not given yet; ``--Tag.N.Key`` with the next N), the
global options it takes, and each option's value where one can be offered: its choices, region
ids, file or folder names, environment variable names. The scripts are in
:mod:`ecs_keypair.cli.completion_scripts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from ecs_keypair.cli.conventions import FLAGS, GLOBAL_OPTIONS, OUTPUT, OUTPUT_OPTIONS
from ecs_keypair.cli.names import CLOUD_FLAG, HELP_FLAGS, TARGET_OPTIONS

if TYPE_CHECKING:
    from ecs_keypair.cli.key_options import Option

SHELLS = ("bash", "zsh")
OUTPUT_FIELDS_OFFERED = ("cols=", "rows=", "num=true")


class Value(Enum):
    """What follows an option, as the shells complete it."""

    FLAG = "flag"  # nothing: the option is a flag, the options come next
    FREE = "free"  # a name, a number, an id: nothing to offer
    WORDS = "words"  # one of the option's choices
    FILES = "files"
    DIRECTORIES = "directories"
    VARIABLES = "variables"  # an environment variable's name (the program sees exported ones)
    REGION = "region"
    REGION_LIST = "region list"  # R1,R2,… or all
    OUTPUT_FIELDS = "output fields"  # --output's cols=, rows=, num=true


VALUES_BY_METAVAR = {
    "PATH": Value.FILES,
    "FILE": Value.FILES,
    "DIR": Value.DIRECTORIES,
    "VAR": Value.VARIABLES,
    "REGION": Value.REGION,
    "FROM": Value.REGION,
    "REGIONS": Value.REGION_LIST,
    "NAME": Value.FREE,
    "N": Value.FREE,
    "SECONDS": Value.FREE,
    "HOST": Value.FREE,
    "PORT": Value.FREE,
    "ID": Value.FREE,
}
"""What an option's value is, told by the metavar its help shows (an option with choices or a
flag needs none); a metavar not here is completed as :attr:`Value.FREE`."""


@dataclass(frozen=True, slots=True)
class Completed:
    """One option (``--name``) and what its value is; ``words`` are its choices."""

    name: str
    value: Value
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompletedCommand:
    """One command as completed: its own options, the names of the global options it takes,
    its numbered lists (``ResourceId`` of ``ResourceId.N``), whether it takes tags, and what its
    positional argument is (None: it takes none)."""

    name: str
    options: tuple[Completed, ...]
    globals: tuple[str, ...]
    numbered: tuple[str, ...] = ()
    tags: bool = False
    positional: Value | None = None


@dataclass(frozen=True, slots=True)
class Completion:
    """Everything a script is generated from."""

    commands: tuple[CompletedCommand, ...]
    top: tuple[str, ...]  # the global options offered before a command
    globals: tuple[Completed, ...]  # every global option, with its value
    regions: tuple[str, ...]
    all_regions: str
    output_fields: tuple[str, ...]


def option_value(option: Option) -> Completed:
    """How a declared :class:`~ecs_keypair.cli.key_options.Option` is completed."""
    if option.flag:
        return Completed(f"--{option.name}", Value.FLAG)
    if option.choices:
        return Completed(f"--{option.name}", Value.WORDS, option.choices)
    return Completed(f"--{option.name}", _value_of(option.metavar))


def _value_of(metavar: str) -> Value:
    return VALUES_BY_METAVAR.get(metavar, Value.FREE)


def _names(options: Sequence[Completed]) -> tuple[str, ...]:
    return tuple(option.name for option in options)


def completion() -> Completion:
    """What the scripts complete, read from the declarations."""
    from ecs_keypair.contract.regions import REGIONS
    from ecs_keypair.workflows.multi_region import ALL_REGIONS

    targets = (
        *(Completed(f"--{name}", Value.FREE) for name in TARGET_OPTIONS),
        Completed(f"--{CLOUD_FLAG}", Value.FLAG),
    )
    conventions = tuple(
        Completed(
            name,
            Value.FLAG if name in FLAGS
            else Value.OUTPUT_FIELDS if name == OUTPUT
            else Value.REGION if name == "--region"
            else Value.FREE,
        )
        for name in GLOBAL_OPTIONS
    )
    help_ = Completed(HELP_FLAGS[0], Value.FLAG)
    every_global = (*targets, *conventions, help_)
    # What main() reads before handing the line over: the API commands take every global
    # option, the key commands --endpoint, --profile, --cloud, --output and --cli-query, serve's
    # commands none.
    output = tuple(option for option in conventions if option.name in OUTPUT_OPTIONS)
    return Completion(
        (
            *_api_commands(_names(every_global)),
            *_key_commands(_names((*targets, *output, help_))),
            *_local_commands(_names((help_,))),
        ),
        _names(every_global),
        every_global,
        tuple(region.region_id for region in REGIONS),
        ALL_REGIONS,
        OUTPUT_FIELDS_OFFERED,
    )


def _api_commands(globals_: tuple[str, ...]) -> list[CompletedCommand]:
    """The command table's commands; ``CreateKeyPair`` with the options that deliver its key."""
    from ecs_keypair.cli.command_view import REGION_PARAMETER, TAG_OPTIONS, command_infos
    from ecs_keypair.cli.key_options import DELIVERY_COMMAND, DELIVERY_OPTIONS

    commands = []
    for info in command_infos().values():
        choices = dict(info.choices)
        own = [
            Completed(f"--{name}", Value.WORDS, choices[name]) if name in choices
            else Completed(f"--{name}", Value.REGION if name == REGION_PARAMETER else Value.FREE)
            for name in info.parameters
            if ".N" not in name
        ]
        if info.name == DELIVERY_COMMAND:
            own += [option_value(option) for option in DELIVERY_OPTIONS]
        numbered = tuple(n.removesuffix(".N") for n in info.parameters if n.endswith(".N"))
        tags = TAG_OPTIONS[0] in info.parameters
        commands.append(CompletedCommand(info.name, tuple(own), globals_, numbered, tags))
    return commands


def _key_commands(globals_: tuple[str, ...]) -> list[CompletedCommand]:
    from ecs_keypair.cli.key_commands import KEY_COMMAND_TABLE

    return [
        CompletedCommand(
            command.name,
            tuple(option_value(option) for option in command.options),
            globals_,
            positional=_value_of(command.positional) if command.positional else None,
        )
        for command in KEY_COMMAND_TABLE.values()
    ]


def _local_commands(globals_: tuple[str, ...]) -> list[CompletedCommand]:
    """``serve`` and the access key commands."""
    from ecs_keypair.cli.local_commands import LOCAL_OPTIONS

    return [
        CompletedCommand(name, tuple(option_value(option) for option in options), globals_)
        for name, options in LOCAL_OPTIONS.items()
    ]
