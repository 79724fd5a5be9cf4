"""JSON-array parameters (``KeyPairNames``) read as the API gateway reads them.

The gateway's JSON reader takes strings in single quotes as well as double ones: footmark, the
library under Ansible's modules, sends a Python list's text (``['web-1', 'web-2']``) and the
cloud deletes those key pairs. Exactly one thing is added to JSON (RFC 8259): a string may be
delimited by ``'``. Inside it ``"`` stands for itself and ``\\'`` for ``'``; every other escape
is JSON's (``\\"``, ``\\\\``, ``\\/``, ``\\b``, ``\\f``, ``\\n``, ``\\r``, ``\\t``, ``\\uXXXX``),
and a control character must be escaped, as in JSON. Everything else stays refused: trailing
commas, bare words, ``NaN``, ``Infinity``, comments, Python's own escapes (``\\x41``,
``\\U0001F600``) and ``\\'`` inside a double-quoted string.
"""

from __future__ import annotations

import json
import re

# One token of the text: a double-quoted string, a single-quoted one, or a run of anything else.
# A quote that starts no complete string matches none of them: the text is no JSON.
_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|\'((?:[^\'\\]++|\\.)*+)\'|[^"\']++', re.DOTALL)
_SINGLE_QUOTED_PIECE = re.compile(r"\\'|\\.|\"", re.DOTALL)


def _as_double_quoted(inner: str) -> str:
    """A single-quoted string's inside as JSON writes it between double quotes: ``\\'`` becomes
    ``'``, a bare ``"`` is escaped, every other escape is left for JSON to judge."""
    pieces = {"\\'": "'", '"': '\\"'}
    return '"' + _SINGLE_QUOTED_PIECE.sub(lambda m: pieces.get(m[0], m[0]), inner) + '"'


def _as_json(text: str) -> str | None:
    """``text`` with each single-quoted string written double-quoted; None for an unclosed quote."""
    out = []
    position = 0
    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None:
            return None
        out.append(token[0] if token[1] is None else _as_double_quoted(token[1]))
        position = token.end()
    return "".join(out)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def read_json_array(text: str) -> list[object] | None:
    """The array ``text`` holds, read as the gateway reads it (see the module docstring); None
    for anything else (not that JSON, or JSON that is no array)."""
    converted = _as_json(text)
    if converted is None:
        return None
    try:
        value = json.loads(converted, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # not JSON, an integer too long, nesting too deep
        return None
    return value if isinstance(value, list) else None
