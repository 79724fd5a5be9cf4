"""JSON-array parameters read as the gateway reads them: JSON, plus strings in single quotes
(footmark sends ``['fm-1', 'fm-2']``), and nothing looser."""

from __future__ import annotations

import json

import pytest
from ecs_keypair.contract.json_arrays import read_json_array
from hypothesis import given
from hypothesis import strategies as st

ANY_CHAR = st.characters(exclude_categories=())


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("['fm-1', 'fm-2']", ["fm-1", "fm-2"]),  # str() of a Python list, as footmark sends it
        ("[\"a\", 'b']", ["a", "b"]),
        ("['say \"hi\"']", ['say "hi"']),  # a double quote stands for itself in single quotes
        ("['it\\'s']", ["it's"]),
        ("['tab\\tand \\u00e9 \\\\ \\/']", ["tab\tand é \\ /"]),  # JSON's escapes
        ("[\"it's\"]", ["it's"]),
        (" [ 'a' ,\n\t'b' ] ", ["a", "b"]),
        ("[]", []),
        ("[['a'], {'k': 'v'}]", [["a"], {"k": "v"}]),  # JSON's shapes; the action judges them
    ],
)
def test_json_and_single_quoted_strings_are_read(text: str, items: list[object]) -> None:
    assert read_json_array(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "['a',]",  # a trailing comma
        "[a]",  # a bare word
        "['a' 'b']",
        "['a]",
        "['a'",
        "'a'",  # a string, not an array
        "[NaN]",
        "[Infinity]",
        "[-Infinity]",
        "['\\x41']",  # Python's escapes
        "['\\U0001F600']",
        "['\\a']",
        "['\\N{BULLET}']",
        "[\"it\\'s\"]",  # \' only where it is needed: in single quotes
        "['line\nbreak']",  # a control character unescaped, as JSON refuses it
        "[u'a']",
        "[True]",
        "('a',)",
        "['a'] # comment",
        "/* c */ ['a']",
        "[\ufeff'a']",
        "",
    ],
)
def test_nothing_looser_is_read(text: str) -> None:
    assert read_json_array(text) is None


def _needs_a_python_escape(char: str) -> bool:
    written = repr(char)[1:-1]
    return written.startswith(("\\x", "\\U"))


@given(st.lists(st.text(ANY_CHAR, max_size=8), max_size=5))
def test_a_python_list_of_texts_reads_back_unless_python_escaped_a_character(
    items: list[str],
) -> None:
    expected = None if any(map(_needs_a_python_escape, "".join(items))) else items
    assert read_json_array(str(items)) == expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(ANY_CHAR, max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@given(JSON_VALUES.map(json.dumps))
def test_json_text_reads_as_json_does(text: str) -> None:
    value = json.loads(text)
    assert read_json_array(text) == (value if isinstance(value, list) else None)


@given(st.text(st.sampled_from("[]'\"\\,: a1nuTN{}\n"), max_size=30))
def test_any_text_is_read_or_refused_without_raising(text: str) -> None:
    result = read_json_array(text)
    assert result is None or isinstance(result, list)
