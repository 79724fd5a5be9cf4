"""``--cli-query JMESPATH`` and ``--output cols=A,B [rows=JMESPATH] [num=true]``, as the aliyun CLI
reads and prints them.

Everything the user wrote is checked before any call (a bad expression is a usage error); what can
only fail on the answer (a ``rows=`` that selects no list) fails in :func:`render`. JMESPath is the
``jmespath`` library's, the implementation the aliyun and AWS command lines use, so an expression
means here what it means there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecs_keypair.contract.text_safety import escape_json, visible

if TYPE_CHECKING:
    from jmespath.parser import ParsedResult

OUTPUT_FIELDS = ("cols", "rows", "num")
NUMBER_COLUMN = "Num"
_JSON_KINDS = {type(None): "nothing", dict: "an object", str: "a string", bool: "a boolean"}
_INDEXED_COLUMN = re.compile(r"([^:]+):([0-9]+)")  # name:index, for rows that are lists


class OutputSpecError(ValueError):
    """What the user wrote for --output or --cli-query cannot be used (a usage error)."""


class RenderError(ValueError):
    """The answer cannot be shown the way --output or --cli-query asks."""


def compile_expression(text: str, where: str) -> ParsedResult:
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(text)
    except JMESPathError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = f"{where}: {text!r} is not a JMESPath expression ({reason})"
        raise OutputSpecError(message) from None


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its title, and the expression that reads it from an object row, or the index
    that reads it from a list row (``name:0``)."""

    title: str
    expression: ParsedResult | None = None
    index: int | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    columns: tuple[Column, ...]
    rows: ParsedResult | None = None
    numbered: bool = False


def table_spec(fields: dict[str, str]) -> TableSpec:
    """``--output``'s fields (``cols``, ``rows``, ``num``) as a table, or an OutputSpecError."""
    if "cols" not in fields:
        raise OutputSpecError("--output needs cols=A,B (and optionally rows=JMESPATH num=true)")
    text = fields["cols"]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    names = text.split(",")
    if not all(name.strip() for name in names):
        raise OutputSpecError(f"--output cols={fields['cols']!r}: a column name is empty")
    columns = tuple(_column(name.strip()) for name in names)
    rows = compile_expression(fields["rows"], "--output rows") if "rows" in fields else None
    numbered = fields.get("num", "false")
    if numbered not in ("true", "false"):
        raise OutputSpecError(f"--output num={numbered!r}: write num=true or num=false")
    return TableSpec(columns, rows, numbered == "true")


def _column(name: str) -> Column:
    indexed = _INDEXED_COLUMN.fullmatch(name)
    if indexed:
        return Column(indexed[1], index=int(indexed[2]))
    return Column(name, expression=compile_expression(name, "--output cols"))


def query(expression: ParsedResult, body: Any) -> Any:
    from jmespath.exceptions import JMESPathError

    try:
        return expression.search(body)
    except JMESPathError as exc:  # a function given the wrong type, found only on the answer
        raise RenderError(f"--cli-query: {exc}") from None


def table_text(spec: TableSpec, data: Any) -> str:
    """The table as the aliyun CLI prints it: a header, dashes as long as each title, then one
    line per row; each column as wide as its widest cell plus one space, then ``|``."""
    if spec.rows is not None:
        rows = spec.rows.search(data)
    else:  # the answer is the one row; a list (from --cli-query) is the rows
        rows = data if isinstance(data, list) else [data]
    if not isinstance(rows, list):
        kind = _JSON_KINDS.get(type(rows), "a value")
        raise RenderError(f"--output rows= must select a list of the answer; it selects {kind}")
    listed = bool(rows) and isinstance(rows[0], list)
    if listed and any(column.index is None for column in spec.columns):
        raise RenderError("--output: the rows are lists, so every column is name:index (name:0)")
    titles = [visible(column.title) for column in spec.columns]
    lines = [([NUMBER_COLUMN] if spec.numbered else []) + titles]
    lines.append(["-" * len(title) for title in lines[0]])
    for number, row in enumerate(rows):
        cells = [_cell(_value(column, row)) for column in spec.columns]
        lines.append(([str(number)] if spec.numbered else []) + cells)
    return _aligned(lines)


def _value(column: Column, row: Any) -> Any:
    if column.index is not None:
        return row[column.index] if isinstance(row, list) and column.index < len(row) else None
    from jmespath.exceptions import JMESPathError

    assert column.expression is not None
    try:
        return column.expression.search(row)
    except JMESPathError:  # the aliyun CLI shows a cell it cannot read as <nil> too
        return None


def _cell(value: Any) -> str:
    """A value as the aliyun CLI prints a cell, lists and objects as compact JSON; a control,
    bidi or invisible character as an escape, so one row stays one line."""
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return visible(value)
    return escape_json(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _aligned(lines: list[list[str]]) -> str:
    """Go's tabwriter as the aliyun CLI sets it up (padding 1, a ``|`` after each column but the
    last, each later cell led by one space)."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]) - 1)]
    return "".join(
        "| ".join(
            [cell.ljust(width + 1) for cell, width in zip(line, widths, strict=False)] + [line[-1]]
        )
        + "\n"
        for line in lines
    )
