"""The characters that must never reach a terminal raw, and how text holding them is shown.

Text the app did not write (names, tags, ids and messages from a store or an endpoint, file
names, comments in key files) may hold them. ESC and the C1 controls start escape sequences
(``ESC ] 52`` writes the clipboard, ``ESC ] 0`` the window title, ``ESC [ 2J`` clears the
screen), BEL and the other C0 controls act on the terminal or break a line in two, the bidi
controls reorder what is drawn after them, the separators break lines, and the invisible ones
make two different texts look the same. The rules refuse these characters in tags
(:mod:`ecs_keypair.contract.rules`); everything that draws or prints outside text shows them with
this
module, since they can still arrive (an endpoint's answer, a store written before that rule).

ZWNJ and ZWJ (U+200C, U+200D) are not here: Persian, the Indic scripts and emoji sequences
need them, and they neither move text nor reach the terminal as a command.
"""

from __future__ import annotations


def _chars(first: int, last: int) -> list[str]:
    return [chr(code) for code in range(first, last + 1)]


TEXT_DIRECTION_CONTROLS = frozenset(
    ["\u061c", "\u200e", "\u200f", *_chars(0x202A, 0x202E), *_chars(0x2066, 0x2069)]
)
"""The bidi controls (marks, embeddings, overrides, isolates): they reorder what follows."""

UNSAFE = frozenset(
    [
        *_chars(0x00, 0x1F),  # C0 controls, tab and line feed included
        *_chars(0x7F, 0x9F),  # DEL and the C1 controls
        "\u2028",  # LINE SEPARATOR
        "\u2029",  # PARAGRAPH SEPARATOR
        "\u200b",  # ZERO WIDTH SPACE
        *_chars(0x2060, 0x2064),  # WORD JOINER and the invisible operators
        "\ufeff",  # ZERO WIDTH NO-BREAK SPACE (a byte order mark)
    ]
).union(TEXT_DIRECTION_CONTROLS)
"""Every character that must never reach a terminal raw."""

_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_C0_LAST = 0x1F


def _escape(code: int) -> str:
    """How Python writes the character in a string literal: ``\\x1b``, ``\\u202e``, ``\\n``."""
    char = chr(code)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_CODES = sorted(map(ord, UNSAFE))
_VISIBLE = {code: _escape(code) for code in _CODES}
_VISIBLE_KEEPING_LINES = {code: shown for code, shown in _VISIBLE.items() if code != ord("\n")}
# JSON escapes the C0 controls itself, and a line break outside a string is its layout.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _CODES if code > _C0_LAST}
# One character for one: ␀-␟ for the C0 controls, ␡ for DEL, � for the rest.
_STAND_INS = {
    code: chr(0x2400 + code) if code <= _C0_LAST else "\u2421" if code == 0x7F else "\ufffd"
    for code in _CODES
}


def first_unsafe(text: str) -> str | None:
    """The first character of ``text`` that must not reach a terminal raw, or None."""
    for char in text:
        if char in UNSAFE:
            return char
    return None


def visible(text: str) -> str:
    """``text`` as one line safe to draw: each unsafe character written as its escape
    (``\\x1b``, ``\\x9b``, ``\\u202e``, ``\\n``), everything else as it is.

    The result holds no unsafe character, so showing it again changes nothing."""
    # Every unsafe character is unprintable, and the test is far quicker than translate().
    return text if text.isprintable() else text.translate(_VISIBLE)


def visible_lines(text: str) -> str:
    """:func:`visible`, keeping the line breaks: for text whose lines the app laid out itself
    (a screen, a dialog's message), where a line break is drawn as a new line, never sent."""
    return text if text.isprintable() else text.translate(_VISIBLE_KEEPING_LINES)


def stand_ins(text: str) -> str:
    """``text`` with each unsafe character replaced by one visible character (``␛``, ``␡``,
    ``�``): for a field being edited, whose cursor counts characters."""
    return text if text.isprintable() else text.translate(_STAND_INS)


def escape_json(dumped: str) -> str:
    """JSON text (from ``json.dumps``) with the unsafe characters it leaves raw escaped as
    ``\\u009b``, ``\\u202e``: the same JSON, read back to the same value.

    They can only stand inside strings, where an escape means the character itself."""
    if not dumped.isascii() and dumped.replace("\n", "").isprintable():
        return dumped  # nothing to escape; translate() is slow on text that is not ASCII
    return dumped.translate(_JSON_ESCAPES)
