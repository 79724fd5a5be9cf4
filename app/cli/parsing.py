"""Reading an aliyun-style command line into a :class:`Request`.

Parameters are spelled in the API's own case, ``--RegionId cn-hangzhou`` or
``--RegionId=cn-hangzhou``, and tags carry their number: ``--Tag.1.Key env --Tag.1.Value prod``.
Written by hand because option names with a number in them are not something argparse knows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.cli.request import Request
from app.cli.schema import Command

TAG_OPTION = re.compile(r"Tag\.([0-9]+)\.(Key|Value)")
_TAG_OPTION_ANY_CASE = re.compile(r"tag\.([0-9]+)\.(key|value)", re.IGNORECASE)
_INTEGER = re.compile(r"-?[0-9]+")
# What reads as an option where a value is expected; "-----BEGIN …" or "-1" are values.
_OPTION_LIKE = re.compile(r"--[A-Za-z]")


class UsageError(Exception):
    """A command line that cannot become a call: nothing is called, the exit status is 2.

    ``command`` is the command whose ``--help`` the message points to (None: the program's).
    """

    def __init__(self, message: str, command: Command | None = None) -> None:
        super().__init__(message)
        self.command = command


def parse_request(command: Command, args: Sequence[str]) -> Request:
    """The parameters of ``command`` given in ``args``, or a :class:`UsageError` saying what is
    wrong. Only the shape is checked here; the values are for the API to judge."""
    request = Request()
    seen: set[str] = set()
    position = 0
    while position < len(args):
        token = args[position]
        position += 1
        if not token.startswith("--") or token == "--":
            raise UsageError(_unexpected(command, token), command)
        name, has_value, value = token[2:].partition("=")
        if not has_value:
            if position == len(args) or _OPTION_LIKE.match(args[position]):
                raise UsageError(
                    f"--{name} needs a value (write --{name}=VALUE for a value that looks "
                    "like an option)"
                    if _known(command, name)
                    else _unknown(command, name),
                    command,
                )
            value = args[position]
            position += 1
        if name in seen:
            raise UsageError(f"--{name} is given more than once", command)
        seen.add(name)
        _take(command, request, name, value)
    missing = [
        f"--{param.name}"
        for param in command.params
        if param.required and param.name not in request.values and param.name not in request.numbers
    ]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise UsageError(f"missing required parameter{plural} {', '.join(missing)}", command)
    return request


def _take(command: Command, request: Request, name: str, value: str) -> None:
    tag = TAG_OPTION.fullmatch(name) if command.tags else None
    if tag:
        digits, part = tag.groups()
        if digits.startswith("0"):
            raise UsageError(
                f"--{name}: N in Tag.N.{part} is a whole number from 1, without leading zeros",
                command,
            )
        try:
            number = int(digits)
        except ValueError:  # more digits than Python turns into an int
            raise UsageError(f"--{name}: N in Tag.N.{part} has too many digits", command) from None
        request.tags.setdefault(number, {})[part] = value
        return
    param = command.param(name)
    if param is None:
        raise UsageError(_unknown(command, name), command)
    if not param.integer:
        request.values[name] = value
        return
    try:
        if not _INTEGER.fullmatch(value):
            raise ValueError(value)
        request.numbers[name] = int(value)
    except ValueError:
        raise UsageError(f"--{name} must be a whole number, not {value!r}", command) from None


def _known(command: Command, name: str) -> bool:
    return command.param(name) is not None or bool(command.tags and TAG_OPTION.fullmatch(name))


def _option_names(command: Command) -> list[str]:
    return [param.name for param in command.params] + (
        ["Tag.N.Key", "Tag.N.Value"] if command.tags else []
    )


def _unknown(command: Command, name: str) -> str:
    if not command.params and not command.tags:
        return f"unknown option --{name}: {command.name} takes no parameters"
    return f"unknown option --{name} for {command.name}{_suggestion(command, name)}"


def _suggestion(command: Command, name: str) -> str:
    """A "did you mean" for a misspelt parameter: wrong case first, then a close spelling."""
    tag = _TAG_OPTION_ANY_CASE.fullmatch(name)
    if tag and command.tags:
        return f" (did you mean --Tag.{tag[1]}.{tag[2].capitalize()}?)"
    names = _option_names(command)
    for candidate in names:
        if candidate.lower() == name.lower():
            return f" (did you mean --{candidate}?)"
    import difflib  # only on this error path

    close = difflib.get_close_matches(name, names, n=1)
    return f" (did you mean --{close[0]}?)" if close else ""


def _unexpected(command: Command, token: str) -> str:
    if token.startswith("-") and token != "-":
        return f"unknown option {token} for {command.name}; parameters are spelled --Name VALUE"
    return (
        f"unexpected argument {token!r}: every value follows its --Parameter "
        "(quote a value that holds spaces)"
    )


def suggest_command(name: str, names: Sequence[str]) -> str:
    """A "did you mean" for a misspelt command name."""
    for candidate in names:
        if candidate.lower() == name.lower():
            return f" (did you mean {candidate}?)"
    import difflib

    close = difflib.get_close_matches(name, names, n=1)
    return f" (did you mean {close[0]}?)" if close else ""
