"""Reading an aliyun-style command line into a :class:`Request`.

Parameters are spelled in the API's own case, ``--RegionId cn-hangzhou`` or
``--RegionId=cn-hangzhou``, and lists carry their number: ``--Tag.1.Key env --Tag.1.Value prod``,
``--ResourceId.1 web-1``. Here the line is split into a flat ``{name: value}`` map (unknown
options, missing values and repeats are usage errors); the engine's table reads that map, and
what it finds wrong in the shape (a missing parameter, a number that is not one) is a usage
error too. Written by hand because option names with a number in them are not argparse's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ecs_keypair.cli.request import Request
from ecs_keypair.cli.tokens import Tokens
from ecs_keypair.contract.actions import AnyAction
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.params import Kind, ShapeProblem, claimed, list_named

# What reads as an option where a value is expected; "-----BEGIN …" or "-1" are values.
_OPTION_LIKE = re.compile(r"--[A-Za-z]")

Command = AnyAction


class UsageError(Exception):
    """A command line that cannot become a call: nothing is called, the exit status is 2.

    ``command`` is the command whose ``--help`` the message points to (None: the program's).
    """

    def __init__(self, message: str, command: Command | None = None) -> None:
        super().__init__(message)
        self.command = command


def parse_request(command: Command, args: Sequence[str]) -> Request:
    """The parameters of ``command`` given in ``args``, or a :class:`UsageError` saying what is
    wrong with the line. A value the API refuses is kept in the request, to be answered as the
    API's error when it is called."""
    request = Request(command)
    tokens = Tokens(args)
    for token in tokens:
        if not token.startswith("--") or token == "--":
            raise UsageError(_unexpected(command, token), command)
        name, has_value, value = token[2:].partition("=")
        if not has_value:
            given = tokens.value_after(lambda token: not _OPTION_LIKE.match(token))
            if given is None:
                raise UsageError(
                    (
                        f"--{name} needs a value (write --{name}=VALUE for a value that looks "
                        "like an option)"
                        if claimed(command.params, name)
                        else _unknown(command, name)
                    ),
                    command,
                )
            value = given
        if name in request.params:
            raise UsageError(f"--{name} is given more than once", command)
        if claimed(command.params, name) is None and list_named(command.params, name) is None:
            raise UsageError(_unknown(command, name), command)
        request.params[name] = value
    try:
        request.typed = command.read(request.params)
    except ShapeProblem as problem:
        raise UsageError(problem.usage, command) from None
    except ApiException as exc:
        request.problem = _with_example(command, request.params, exc.error)
    return request


def _with_example(command: Command, params: dict[str, str], error: ApiError) -> ApiError:
    """A JSON array parameter given something else (``cc-1``; ``[cc-1]``, the shell having
    taken the quotes): the reason line shows the option as it was meant to be written,
    ``--KeyPairNames '["cc-1"]'``. The error body itself stays the API's."""
    param = next(
        (p for p in command.params if p.kind is Kind.JSON_ARRAY and p.name == error.field), None
    )
    items = _items_meant(params.get(param.name, "")) if param is not None else []
    if param is None or not items:
        return error
    import json
    import shlex

    example = shlex.quote(json.dumps(items, ensure_ascii=False, separators=(",", ":")))
    return error.at(error.field, f"must be a JSON array, such as --{param.name} {example}")


_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")  # quoted pieces, left to right, as a reader pairs them


def _items_meant(value: str) -> list[str]:
    """The items a value that is no JSON array names: a JSON string is one; other text is
    split at commas and blanks, brackets and quotes dropped. None when the value is a JSON
    array as the gateway reads it (its own reason stands: too many names, say), or JSON of
    any other kind (a number, an object), or when splitting would cut a quoted name in two
    (``['a<TAB>1']`` is one name, never ``a`` and ``1``): an example must keep the names."""
    import json

    from ecs_keypair.contract.json_arrays import read_json_array

    if read_json_array(value) is not None:
        return []
    try:
        loaded = json.loads(value)
    except (ValueError, RecursionError):
        if any(re.search(r"[,\s]", quoted[0]) for quoted in _QUOTED.finditer(value)):
            return []
        words = re.split(r"[,\s]+", value.strip().removeprefix("[").removesuffix("]"))
        return [word.strip("\"'") for word in words if word.strip("\"'")]
    return [loaded] if isinstance(loaded, str) and loaded else []


def _option_names(command: Command) -> list[str]:
    return [spelling for param in command.params for spelling in param.spellings]


def _unknown(command: Command, name: str) -> str:
    if not command.params:
        return f"unknown option --{name}: {command.name} takes no parameters"
    return f"unknown option --{name} for {command.name}{_suggestion(command, name)}"


def _suggestion(command: Command, name: str) -> str:
    """A "did you mean" for a misspelt parameter: wrong case first, then a close spelling."""
    for param in command.params:
        if param.kind is Kind.TAGS:
            tag = re.fullmatch(rf"{param.name}\.([0-9]+)\.(key|value)", name, re.IGNORECASE)
            if tag:
                return f" (did you mean --{param.name}.{tag[1]}.{tag[2].capitalize()}?)"
        if param.kind is Kind.LIST:
            item = re.fullmatch(rf"{param.name}\.([0-9]+)", name, re.IGNORECASE)
            if item:
                return f" (did you mean --{param.name}.{item[1]}?)"
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
