"""The aliyun CLI's options for people who script: ``--region``, ``--output``, ``--cli-query``,
``--pager`` and ``--cli-dry-run``.

They are taken out of the command line wherever they stand, as the aliyun CLI takes them, before
the command's own parameters are read; everything they say is checked then, so that a bad one is a
usage error and nothing is called. The command table is read through
:mod:`ecs_keypair.cli.command_view`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from ecs_keypair.cli.command_view import REGION_PARAMETER, command_infos, usage_error
from ecs_keypair.cli.names import HELP_FLAGS, PROGRAM
from ecs_keypair.cli.tokens import Tokens

if TYPE_CHECKING:
    from jmespath.parser import ParsedResult

    from ecs_keypair.cli.output_formats import TableSpec
    from ecs_keypair.cli.request import Request

FLAGS = ("--pager", "--cli-dry-run")
OUTPUT = "--output"
GLOBAL_OPTIONS = ("--region", OUTPUT, "--cli-query", *FLAGS)
OUTPUT_OPTIONS = (OUTPUT, "--cli-query")  # what the local commands that print JSON take too
OUTPUT_HELP = (
    (
        f"{OUTPUT} cols=A,B [rows=JMESPATH] [num=true]",
        (
            "Print a table as the aliyun CLI does: each column a JMESPath expression on a row "
            "(or name:index for rows that are lists); rows= selects the rows (without it the "
            "answer is the one row); num=true numbers them."
        ),
    ),
    (
        "--cli-query JMESPATH",
        (
            "Print what the JMESPath expression selects from the answer, as JSON (with "
            "--output too, the query runs first)."
        ),
    ),
)
"""``OUTPUT_OPTIONS`` as a command's ``--help`` lists them: the term, then what it does."""
SECRET_FIELD = "PrivateKeyBody"  # shown once: never filtered away

Body = dict[str, Any]


class Conventions:
    """What the options asked for; all off when none was given. A plain class, set as the
    options are read (a dataclass cost every command about a millisecond to build)."""

    __slots__ = ("region", "query", "table", "pager", "dry_run")

    def __init__(self) -> None:
        self.region: str | None = None
        self.query: ParsedResult | None = None
        self.table: TableSpec | None = None
        self.pager = False
        self.dry_run = False

    def beyond_output(self) -> str | None:
        """The first option given that is not one of :data:`OUTPUT_OPTIONS` (None: there is
        none), for a command that takes only those."""
        given = (("--region", self.region is not None), ("--pager", self.pager),
                 ("--cli-dry-run", self.dry_run))
        return next((name for name, is_given in given if is_given), None)

    @property
    def shapes_the_call(self) -> bool:
        """Whether these options change what is called or printed (the region does not)."""
        return self.query is not None or self.table is not None or self.pager or self.dry_run

    def fetch(self, command_name: str, call: Callable[[Request], Body], request: Request) -> Body:
        """The answer to print: the call's, every page of it, or (dry run) the request itself."""
        from ecs_keypair.cli import command_view

        if self.dry_run:
            from ecs_keypair.cli.dry_run import request_description

            return request_description(
                command_name,
                command_view.flat_parameters(request),
                command_view.target_of(request),
            )
        paging = command_infos()[command_name].paging
        if not self.pager or paging is None:
            return call(request)
        from ecs_keypair.cli.pager import every_page

        return every_page(
            paging, lambda values: call(command_view.with_parameters(request, values))
        )

    def write_answer(self, stream: TextIO, body: Body) -> bool:
        """Print ``body`` as asked; False (after saying why on stderr) when it cannot be shown so.

        An answer that carries a private key is printed whole when the filter would drop the key:
        it is shown once, and a key pair whose private key nobody saw is of no use to anyone.
        """
        if self.query is None and self.table is None:  # the common answer: no renderer imported
            from ecs_keypair.cli.output import write_json

            write_json(stream, body)
            return True
        from ecs_keypair.cli.output import json_text
        from ecs_keypair.cli.output_formats import RenderError, query, table_text
        from ecs_keypair.contract.text_safety import visible

        text = ascii_text = problem = ""
        try:
            data = query(self.query, body) if self.query is not None else body
            if self.table is not None:
                text = table_text(self.table, data)
                ascii_text = text.encode("ascii", "backslashreplace").decode("ascii")
            else:
                text, ascii_text = json_text(data), json_text(data, ascii_only=True)
        except RenderError as exc:
            problem = str(exc)
        secret = body.get(SECRET_FIELD)
        if isinstance(secret, str) and secret and secret.strip() not in _unescaped(text):
            _write(stream, json_text(body), json_text(body, ascii_only=True))
            sys.stderr.write(
                f"{PROGRAM}: the private key is shown only once, so the whole answer is printed "
                "instead of the part --cli-query or --output asked for\n"
            )
            return True
        if problem:
            sys.stderr.write(f"{PROGRAM}: {visible(problem)}\n")
            return False
        _write(stream, text, ascii_text)
        return True


def _unescaped(text: str) -> str:
    """``text`` with JSON's escapes of a PEM's line breaks undone, to look for the key in it."""
    return text.replace("\\n", "\n").replace("\\r", "\r")


def _write(stream: TextIO, text: str, ascii_text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a stream that cannot carry the text: the escaped form instead
        stream.write(ascii_text)
    stream.flush()


def take_conventions(args: list[str], profile: str | None) -> tuple[list[str], Conventions]:
    """The command line without these options, and what they ask; with the region added as
    ``--RegionId`` when the command takes one and none was given (one it needs: a usage error
    when there is none to be had)."""
    rest, conventions = _take_options(args)
    if not rest or rest[0].startswith("-"):
        given = [token for token in args if token.partition("=")[0] in GLOBAL_OPTIONS]
        if given and not any(token in HELP_FLAGS or token == "--version" for token in rest):
            raise usage_error(f"{given[0].partition('=')[0]} goes with a command", None)
        return rest, conventions
    info = command_infos().get(rest[0])
    if info is None or any(token in HELP_FLAGS for token in rest[1:]):
        return rest, conventions
    if conventions.pager and info.paging is None:
        paged = ", ".join(name for name, other in command_infos().items() if other.paging)
        raise usage_error(f"--pager: {info.name} is not paged (these are: {paged})", info.name)
    if info.takes_region and not _gives(rest, REGION_PARAMETER):
        from ecs_keypair.cli.region import find_region, missing_region_message

        lookup = find_region(conventions.region, profile)
        if lookup.region_id is not None:
            rest.append(f"--{REGION_PARAMETER}={lookup.region_id}")
        elif info.needs_region:  # an optional one (StartInstance's) is left out
            raise usage_error(missing_region_message(lookup), info.name)
    return rest, conventions


def _gives(args: list[str], parameter: str) -> bool:
    option = f"--{parameter}"
    return any(token == option or token.startswith(f"{option}=") for token in args[1:])


def _take_options(args: list[str]) -> tuple[list[str], Conventions]:
    rest: list[str] = []
    seen: set[str] = set()
    conventions = Conventions()
    tokens = Tokens(args)
    for token in tokens:
        name, has_value, value = token.partition("=")
        if name not in GLOBAL_OPTIONS:
            rest.append(token)
            continue
        if name in seen:
            raise usage_error(f"{name} is given more than once", None)
        seen.add(name)
        if name in FLAGS:
            if has_value:
                raise usage_error(f"{name} takes no value", None)
            conventions.pager |= name == "--pager"
            conventions.dry_run |= name == "--cli-dry-run"
            continue
        if name in (OUTPUT, "--cli-query"):  # a renderer only for a line that asks for one
            from ecs_keypair.cli.output_formats import OUTPUT_FIELDS, OutputSpecError
        if name == OUTPUT:
            fields = [value] if has_value else []
            while (field := tokens.value_after(
                lambda token: token.partition("=")[0] in OUTPUT_FIELDS
            )) is not None:
                fields.append(field)
            try:
                conventions.table = _table(fields)
            except OutputSpecError as exc:
                raise usage_error(str(exc), None) from None
            continue
        if not has_value:
            value = tokens.value_after() or ""
        if not value:
            raise usage_error(f"{name} needs a value", None)
        if name == "--region":
            conventions.region = value
        else:
            try:
                conventions.query = _compiled(value)
            except OutputSpecError as exc:
                raise usage_error(str(exc), None) from None
    return rest, conventions


def _table(fields: list[str]) -> TableSpec:
    from ecs_keypair.cli.output_formats import OutputSpecError, table_spec

    named: dict[str, str] = {}
    for field in fields:
        key, has_value, value = field.partition("=")
        if not has_value:
            raise OutputSpecError(f"--output {field!r}: write cols=A,B [rows=JMESPATH] [num=true]")
        if key in named:
            raise OutputSpecError(f"--output {key}= is given more than once")
        named[key] = value
    return table_spec(named)


def _compiled(text: str) -> ParsedResult:
    from ecs_keypair.cli.output_formats import compile_expression

    return compile_expression(text, "--cli-query")
