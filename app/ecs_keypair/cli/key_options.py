"""The options that deliver a private key (``--save``, ``--format``, ``--passphrase-file`` /
``--passphrase-env``, ``--add-to-agent``, ``--lifetime``), and reading them.

They are taken out of ``CreateKeyPair``'s line before its own parameters are parsed (as
``--endpoint`` is), and the local commands (:mod:`ecs_keypair.cli.key_commands`) read them with the
same
small parser. A passphrase never comes from the command line itself: only from a file's first line
or an environment variable, and it is never printed.

Importing this module costs nothing: the engine is imported when a key is delivered.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ecs_keypair.cli.parsing import UsageError
from ecs_keypair.cli.tokens import Tokens
from ecs_keypair.exit_codes import EXIT_FAILED

if TYPE_CHECKING:
    from ecs_keypair.cli.request import Request
    from ecs_keypair.keys.key_save import SaveRequest
    from ecs_keypair.workflows.key_workflows import AgentRequest

KEY_COMMANDS = ("keygen", "copy", "fingerprint", "match", "sync", "rotate")
FORMATS = ("pem", "openssh", "ppk")
MAX_PASSPHRASE_FILE_BYTES = 4096  # a passphrase is one line; nothing longer is read


@dataclass(frozen=True, slots=True)
class Option:
    """One ``--name value`` option (or a flag) of a local command."""

    name: str
    help: str
    metavar: str = "VALUE"
    flag: bool = False
    required: bool = False
    integer: bool = False
    choices: tuple[str, ...] = ()
    unit: str = ""  # what an integer option counts, for the message that refuses a value


DELIVERY_OPTIONS = (
    Option("save", "Save the private key to PATH (0600, never over a file) and its public key "
           "line to PATH.pub (0644).", "PATH"),
    Option("format", "The key file's format: pem (PKCS#8), openssh, or ppk (PuTTY version 3).",
           "FORMAT", choices=FORMATS),
    Option("passphrase-file", "Encrypt the key with the first line of FILE as its passphrase.",
           "FILE"),
    Option("passphrase-env", "Encrypt the key with the value of the environment variable VAR as "
           "its passphrase.", "VAR"),
    Option("add-to-agent", "Add the private key to the running ssh-agent (SSH_AUTH_SOCK).",
           flag=True),
    Option("lifetime", "With --add-to-agent: the agent forgets the key after SECONDS.",
           "SECONDS", integer=True, unit="seconds"),
)
PASSPHRASE_OPTIONS = DELIVERY_OPTIONS[2:4]
OPENING_PASSPHRASE_OPTIONS = (  # the same options where a key is read, not written
    replace(
        PASSPHRASE_OPTIONS[0],
        help="Open an encrypted key with the first line of FILE as its passphrase.",
    ),
    replace(
        PASSPHRASE_OPTIONS[1],
        help="Open an encrypted key with the value of the environment variable VAR as its "
        "passphrase.",
    ),
)
DELIVERY_COMMAND = "CreateKeyPair"  # the one API command that takes DELIVERY_OPTIONS


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where a new private key goes: a file (``save``), the agent (``agent``), or both."""

    save: SaveRequest | None = None
    agent: AgentRequest | None = None


def read_options(
    args: Sequence[str], options: Sequence[Option], command: str, *, keep_unknown: bool = False
) -> tuple[dict[str, str | int | bool], list[str]]:
    """The options given (``--name value``, ``--name=value``, flags) and the other tokens.

    ``keep_unknown`` leaves unknown options in the rest (for another parser); otherwise an
    unknown option is a :class:`UsageError`, as is a missing value, a repeat, a bad choice or
    a value that is not a whole number where one is wanted.
    """
    known = {option.name: option for option in options}
    found: dict[str, str | int | bool] = {}
    rest: list[str] = []
    tokens = Tokens(args)
    for token in tokens:
        name, has_value, value = token[2:].partition("=")
        option = known.get(name) if token.startswith("--") else None
        if option is None:
            if token.startswith("--") and not keep_unknown:
                raise UsageError(f"unknown option {token.partition('=')[0]} for {command}")
            rest.append(token)
            continue
        if name in found:
            raise UsageError(f"--{name} is given more than once")
        if option.flag:
            if has_value:
                raise UsageError(f"--{name} takes no value")
            found[name] = True
            continue
        if not has_value:
            value = tokens.value_after(lambda token: not token.startswith("--")) or ""
        if not value:
            raise UsageError(f"--{name} needs a value")
        found[name] = _value(option, value)
    for option in options:
        if option.required and option.name not in found:
            raise UsageError(f"missing required parameter --{option.name}")
    return found, rest


def _value(option: Option, value: str) -> str | int:
    if option.choices and value not in option.choices:
        raise UsageError(f"--{option.name} must be one of {', '.join(option.choices)}")
    if option.integer:
        if not value.strip().isdigit():
            counted = f" of {option.unit}" if option.unit else ""
            raise UsageError(
                f"--{option.name} must be a positive whole number{counted}, not {value!r}"
            )
        return int(value)
    return value


def read_passphrase(found: dict[str, str | int | bool]) -> bytes | None:
    """The passphrase from ``--passphrase-file`` (its first line, the newline dropped) or
    ``--passphrase-env`` (its bytes, whatever their encoding); None when neither was given.
    Never from the line itself."""
    file_name, variable = found.get("passphrase-file"), found.get("passphrase-env")
    if file_name and variable:
        raise UsageError("give --passphrase-file or --passphrase-env, not both")
    if variable:
        value = os.environb.get(os.fsencode(str(variable)))
        if value is None:
            raise UsageError(f"--passphrase-env: the environment variable {variable} is not set")
        if not value:
            raise UsageError(f"--passphrase-env: the environment variable {variable} is empty")
        return value
    if not file_name:
        return None
    data = _first_bytes(str(file_name), MAX_PASSPHRASE_FILE_BYTES + 1)
    first = data.split(b"\n", 1)[0].removesuffix(b"\r")
    if len(data) > MAX_PASSPHRASE_FILE_BYTES and b"\n" not in data:
        raise UsageError(f"--passphrase-file: the first line of {file_name} is too long")
    if not first:
        raise UsageError(f"--passphrase-file: the first line of {file_name} is empty")
    return first


def _first_bytes(name: str, count: int) -> bytes:
    """Up to ``count`` bytes from the start of the regular file ``name``. Anything else is
    refused before it is opened: a FIFO would wait for a writer, a device may never end."""
    not_a_file = UsageError(f"--passphrase-file: {name} is not a regular file")
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            raise not_a_file
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since
                raise not_a_file
            return file.read(count)
    except OSError as exc:
        raise UsageError(f"--passphrase-file: cannot read {name} ({exc.strerror})") from None


def delivery_from(
    found: dict[str, str | int | bool], default_format: str
) -> Delivery:
    """The :class:`Delivery` the options ask for (their combinations checked)."""
    from ecs_keypair.keys.key_save import SaveRequest
    from ecs_keypair.workflows.key_workflows import AgentRequest

    passphrase = read_passphrase(found)
    save_path = found.get("save")
    if not save_path:
        for name in ("format", "passphrase-file", "passphrase-env"):
            if name in found:
                raise UsageError(f"--{name} goes with --save PATH")
    if "lifetime" in found and not found.get("add-to-agent"):
        raise UsageError("--lifetime goes with --add-to-agent")
    if "lifetime" in found:
        _check_lifetime(int(found["lifetime"]))
    save = (
        SaveRequest(str(save_path), str(found.get("format", default_format)), passphrase)  # type: ignore[arg-type]
        if save_path
        else None
    )
    agent = (
        AgentRequest(int(found["lifetime"]) if "lifetime" in found else None)
        if found.get("add-to-agent")
        else None
    )
    return Delivery(save, agent)


def _check_lifetime(lifetime: int) -> None:
    """A lifetime the agent cannot take is the command line's mistake: a usage error."""
    from ecs_keypair.contract.errors import ApiException
    from ecs_keypair.keys.agent import check_lifetime

    try:
        check_lifetime(lifetime)
    except ApiException as exc:
        raise UsageError(f"--lifetime {lifetime}: {exc.error.reason}") from None


def delivery_options(args: list[str]) -> tuple[list[str], Delivery | None]:
    """``CreateKeyPair``'s delivery options taken out of its line; None when none was given."""
    if not args or args[0] != DELIVERY_COMMAND:
        return args, None
    found, rest = read_options(args[1:], DELIVERY_OPTIONS, DELIVERY_COMMAND, keep_unknown=True)
    if not found:
        return args, None
    return [args[0], *rest], delivery_from(found, "pem")


def create_and_deliver(request: Request, delivery: Delivery) -> int:
    """CreateKeyPair, then save and/or add to the agent; the answer without ``PrivateKeyBody``.

    A refused save creates nothing (exit 1); an agent that cannot take the key leaves the key
    pair and the files, prints the answer, and then the agent's error body (exit 1). Interrupted
    (Ctrl-C, SIGTERM) before the key went anywhere, the key pair is deleted and one line says so.
    """
    from ecs_keypair.cli.calls import run_call
    from ecs_keypair.cli.output import deleted, error_body, say_interrupted, write_json
    from ecs_keypair.contract.api_requests import CreateKeyPairRequest
    from ecs_keypair.store.saved_keys import SavedKeys
    from ecs_keypair.store.settings import data_home
    from ecs_keypair.workflows.key_workflows import create_and_deliver as create

    outcome: list[object] = []
    undone: list[str] = []

    def call() -> dict[str, object]:
        typed = request.checked()
        assert isinstance(typed, CreateKeyPairRequest)  # delivery options are CreateKeyPair's
        done = create(
            request.open_backend(),
            typed.region_id,
            typed.key_pair_name,
            typed.resource_group_id,
            typed.tags,
            delivery.save,
            delivery.agent,
            undone.append,
        )
        outcome.append(done.delivered.agent_error)
        fingerprint = str(done.response["KeyPairFingerPrint"])
        SavedKeys(data_home()).remember_saved(fingerprint, done.delivered.saved)
        return done.body()

    try:
        status = run_call(call, request.region_id)
    except KeyboardInterrupt:
        if undone:
            say_interrupted(deleted(f"the key pair {undone[0]}"))
        raise
    agent_error = outcome[0] if outcome else None
    if status == 0 and agent_error is not None:
        write_json(sys.stderr, error_body(agent_error, request.region_id))  # type: ignore[arg-type]
        return EXIT_FAILED
    return status
