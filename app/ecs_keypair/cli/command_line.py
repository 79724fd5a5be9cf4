"""``ecs-keypair``: no command starts the TUI; a command calls the API and prints its answer.

Exit status 0 with the response body on stdout, 1 with the API's error body on stderr, 2 for a
command line that cannot become a call. No traceback reaches the user, whatever happens.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

from ecs_keypair.backends import Target
from ecs_keypair.cli.calls import run_call
from ecs_keypair.cli.commands import COMMANDS, execute
from ecs_keypair.cli.conventions import Conventions, take_conventions
from ecs_keypair.cli.names import CLOUD_FLAG, HELP_FLAGS, PROGRAM, TARGET_OPTIONS
from ecs_keypair.cli.output import Undo, deliver, silence_stdout
from ecs_keypair.cli.parsing import UsageError, parse_request, suggest_command
from ecs_keypair.cli.request import Request
from ecs_keypair.cli.termination import Terminated
from ecs_keypair.cli.tokens import Tokens
from ecs_keypair.contract.actions import AnyAction
from ecs_keypair.exit_codes import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_USAGE,
)

# local_commands.py's commands, named here so that the other commands never import serve's code.
LOCAL_COMMAND_NAMES = (
    "serve",
    "CreateAccessKey",
    "ListAccessKeys",
    "UpdateAccessKey",
    "DeleteAccessKey",
)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ecs-keypair`` command (``argv`` without the program name); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in LOCAL_COMMAND_NAMES:  # local, not calls of the API
            from ecs_keypair.cli.local_commands import LOCAL_COMMANDS

            return LOCAL_COMMANDS[args[0]](args[1:])
        if args and args[0] == "authorized-keys":  # sshd's, on every login: nothing else loaded
            from ecs_keypair.cli.authorized_keys import authorized_keys_main

            return authorized_keys_main(args[1:])
        if args and args[0] == "completion":
            from ecs_keypair.cli.completion_scripts import completion_main

            return completion_main(args[1:])
        return _run_command(args)
    except KeyboardInterrupt as exc:
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_BROKEN_PIPE


def _run_command(args: list[str]) -> int:
    from ecs_keypair.cli import key_options

    try:
        args, target = _target_options(args)
        problem = _cloud_setting_problem() if target.get("cloud") else None
        if problem is not None:
            from ecs_keypair.contract.text_safety import visible  # it may quote the variable

            sys.stderr.write(f"{PROGRAM}: {visible(problem)}\n")
            return EXIT_USAGE
        if not args:
            from ecs_keypair.tui import run

            return run(**target)
        args, conventions = take_conventions(args, target.get("profile"))
        if args[0] in key_options.KEY_COMMANDS:  # keygen, copy, fingerprint, match, sync, rotate
            from ecs_keypair.cli.key_commands import run_key_command

            return run_key_command(args[0], args[1:], target, conventions)
        args, delivery = key_options.delivery_options(args)  # CreateKeyPair … --save PATH …
        if delivery is not None and conventions.shapes_the_call:
            raise UsageError("--save and --add-to-agent print their own answer: without "
                             "--output, --cli-query, --pager or --cli-dry-run")
        parsed = _parse(args)
    except UsageError as exc:
        helped = f"{PROGRAM} {exc.command.name}" if exc.command else PROGRAM
        from ecs_keypair.contract.text_safety import visible  # the message may quote any argument

        sys.stderr.write(f"{PROGRAM}: {visible(str(exc))}\nTry '{helped} --help'.\n")
        return EXIT_USAGE
    if isinstance(parsed, str):
        return deliver(parsed)
    command, request = parsed
    request.target = target
    if delivery is not None:
        return key_options.create_and_deliver(request, delivery)
    return _call(command, request, conventions)


def _target_options(args: list[str]) -> tuple[list[str], Target]:
    """``--endpoint``, ``--profile`` and ``--cloud``, anywhere on the line as the aliyun CLI
    takes them, taken out of the command's own parameters. ``--profile`` without ``--endpoint``
    means the cloud, as ``--cloud`` does."""
    rest: list[str] = []
    found: dict[str, str] = {}
    cloud = False
    tokens = Tokens(args)
    for token in tokens:
        name, has_value, value = token[2:].partition("=")
        if token.startswith("--") and name == CLOUD_FLAG:
            if has_value:
                raise UsageError(f"--{CLOUD_FLAG} takes no value")
            if cloud:
                raise UsageError(f"--{CLOUD_FLAG} is given more than once")
            cloud = True
            continue
        if not token.startswith("--") or name not in TARGET_OPTIONS:
            rest.append(token)
            continue
        if not has_value:
            given = tokens.value_after()
            if given is None:
                raise UsageError(f"--{name} needs a value")
            value = given
        if name in found:
            raise UsageError(f"--{name} is given more than once")
        found[name] = value
    if cloud and "endpoint" in found:
        raise UsageError(
            f"--{CLOUD_FLAG} calls each region at its own endpoint and --endpoint calls one "
            "endpoint for every region: give one of them"
        )
    target: Target = {}
    if "endpoint" in found:
        target["endpoint"] = found["endpoint"]
    else:
        cloud = cloud or "profile" in found
    if "profile" in found:
        target["profile"] = found["profile"]
    if cloud:
        target["cloud"] = True
    return rest, target


def _cloud_setting_problem() -> str | None:
    """What makes ``ECS_KEYPAIR_ENDPOINTS`` unusable (None: nothing), read before anything
    runs on the cloud: a bad value is a usage error of every command and of the app alike."""
    from ecs_keypair.remote.endpoints import EndpointsSettingError, read_endpoints_variable

    try:
        read_endpoints_variable()
    except EndpointsSettingError as exc:
        return str(exc)
    return None


def _parse(args: list[str]) -> tuple[AnyAction, Request] | str:
    """The command and its request, or the text to show when help or the version was asked for."""
    first, rest = args[0], args[1:]
    if first in HELP_FLAGS:
        from ecs_keypair.cli.help import (
            program_help,  # help only: textwrap and the help's layout
        )
        from ecs_keypair.store.settings import data_home

        return program_help(list(COMMANDS.values()), str(data_home()))
    if first == "--version":
        from ecs_keypair import __version__

        return f"{PROGRAM} {__version__}\n"
    command = COMMANDS.get(first)
    if command is None:
        if first.startswith("-"):
            raise UsageError(
                f"{first} is not a command: the command comes first, as in "
                f"'{PROGRAM} CreateKeyPair --RegionId cn-hangzhou --KeyPairName web-1'"
            )
        raise UsageError(f"unknown command {first!r}{suggest_command(first, list(COMMANDS))}")
    if any(arg in HELP_FLAGS for arg in rest):
        from ecs_keypair.cli.help import command_help

        return command_help(command)
    return command, parse_request(command, rest)


def _call(command: AnyAction, request: Request, conventions: Conventions) -> int:
    return run_call(
        lambda: conventions.fetch(command.name, execute, request),
        request.region_id,
        conventions,
        lambda body: _undo_create(request, body),
    )


def _undo_create(request: Request, body: Mapping[str, object]) -> Undo | None:
    """A created key pair whose private key was not delivered: deleted, as if never made."""
    if "PrivateKeyBody" not in body:
        return None
    from ecs_keypair.contract.api_requests import DeleteKeyPairsRequest

    name = str(body["KeyPairName"])
    delete = DeleteKeyPairsRequest(request.region_id, (name,))
    return f"the key pair {name}", lambda: request.open_backend().delete_key_pairs(delete)
