"""Text the app did not write, made safe for a terminal: every control, bidi, separator and
invisible character shown as a visible escape, and escaped in JSON, which still reads back the
same. The characters are written out here from the rule (README, Terminal safety), not taken
from the engine's own table."""

from __future__ import annotations

import json

import pytest
from ecs_keypair.contract import text_safety
from ecs_keypair.contract.text_safety import (
    escape_json,
    first_unsafe,
    stand_ins,
    visible,
    visible_lines,
)
from hypothesis import given, settings
from hypothesis import strategies as st

C0 = [chr(code) for code in range(0x20)]
C1 = [chr(code) for code in range(0x80, 0xA0)]
BIDI = [
    "\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))
]
SEPARATORS = ["\u2028", "\u2029"]
INVISIBLE = ["\u200b", *map(chr, range(0x2060, 0x2065)), "\ufeff"]
UNSAFE = [*C0, "\x7f", *C1, *BIDI, *SEPARATORS, *INVISIBLE]
# Needed by Persian, the Indic scripts and emoji sequences: shown as they are.
JOINERS = ["\u200c", "\u200d"]

HOSTILE = {
    "clipboard": "\x1b]52;c;aGVsbG8=\x07",
    "title": "\x1b]0;owned\x07",
    "clear": "\x1b[2J",
    "c1": "\x9b31m",
    "bidi": "exe.\u202etxt",
    "newline": "two\nlines",
    "nul": "nul\x00",
}

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
UNSAFE_HEAVY = st.text(st.one_of(st.sampled_from(UNSAFE), st.characters()), max_size=60)


@pytest.mark.parametrize("char", UNSAFE, ids=[f"U+{ord(char):04X}" for char in UNSAFE])
def test_each_unsafe_character_is_found_and_shown_as_an_escape(char: str) -> None:
    assert first_unsafe(f"ok{char}") == char
    shown = visible(f"a{char}b")
    assert char not in shown
    assert shown.startswith("a\\") and shown.endswith("b")


@pytest.mark.parametrize("text", ["web-1", "环境=生产", "café", "😀", "a b", *JOINERS, "\u00ad"])
def test_other_text_is_shown_as_it_is(text: str) -> None:
    assert first_unsafe(text) is None
    assert visible(text) == visible_lines(text) == stand_ins(text) == text


def test_the_set_is_the_rule_s_and_every_one_is_unprintable() -> None:
    """Printable text is passed through untouched, unread: that holds only if none is printable."""
    assert text_safety.UNSAFE == frozenset(UNSAFE)
    assert not any(char.isprintable() for char in UNSAFE)


def test_the_escapes_read_as_python_writes_them() -> None:
    assert [visible(value) for value in HOSTILE.values()] == [
        "\\x1b]52;c;aGVsbG8=\\x07",
        "\\x1b]0;owned\\x07",
        "\\x1b[2J",
        "\\x9b31m",
        "exe.\\u202etxt",
        "two\\nlines",
        "nul\\x00",
    ]
    assert visible("\t\r\x7f\u2028\ufeff") == "\\t\\r\\x7f\\u2028\\ufeff"


def test_lines_the_app_laid_out_keep_their_breaks() -> None:
    assert visible_lines("one\x1b[2J\ntwo\u202e") == "one\\x1b[2J\ntwo\\u202e"


def test_a_field_being_edited_keeps_one_character_for_one() -> None:
    assert stand_ins("\x1b]0;x\x07\x7f\x9b\u202e") == "␛]0;x␇␡\ufffd\ufffd"


@settings(max_examples=300)
@given(st.one_of(ANY_TEXT, UNSAFE_HEAVY))
def test_nothing_unsafe_survives_and_showing_twice_changes_nothing(text: str) -> None:
    for show in (visible, visible_lines, stand_ins):
        shown = show(text)
        assert first_unsafe(shown.replace("\n", "")) is None
        assert show(shown) == shown
    assert "\n" not in visible(text)


@settings(max_examples=300)
@given(st.recursive(
    st.one_of(st.none(), st.integers(), UNSAFE_HEAVY),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(UNSAFE_HEAVY, children, max_size=4)
    ),
    max_leaves=12,
))
def test_json_is_escaped_and_reads_back_the_same(value: object) -> None:
    for indent in (None, 2):
        text = escape_json(json.dumps(value, ensure_ascii=False, indent=indent))
        assert json.loads(text) == value
        assert not any(char in text for char in UNSAFE if char != "\n")
        assert "\n" not in text or indent == 2  # only the layout's own line breaks


def test_json_escapes_are_json_s_own() -> None:
    dumped = json.dumps(list(HOSTILE.values()), ensure_ascii=False)
    assert escape_json(dumped) == (
        '["\\u001b]52;c;aGVsbG8=\\u0007", "\\u001b]0;owned\\u0007", "\\u001b[2J", "\\u009b31m", '
        '"exe.\\u202etxt", "two\\nlines", "nul\\u0000"]'
    )
