"""Property tests: for any input the validators never raise, and their verdict agrees with an
oracle written here from the settled rules (spec README), not from the engine's code."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from ecs_keypair.contract import rules
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.rules import Tag, parse_key_pair_names
from ecs_keypair.store.listing import name_pattern
from hypothesis import given, settings
from hypothesis import strategies as st

# Every code point Python strings can hold, lone surrogates included.
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=200)
# Mostly allowed characters with some of anything, so that valid names are common too.
NAME_CHAR = st.one_of(
    st.sampled_from("abcXYZéß中文ключ0123456789:_-"),
    st.sampled_from(" .\t/@٣\u200b\u3000\u0301😀"),
    ANY_CHAR,
)
NAME_TEXT = st.one_of(
    st.from_regex(r"[a-zA-Z中é][a-zA-Z0-9中é:_\-]{0,129}", fullmatch=True),  # valid, or long
    st.text(NAME_CHAR, max_size=12),
    st.text(NAME_CHAR, min_size=124, max_size=132),
    st.builds(
        str.__add__,
        st.sampled_from(["http://", "https://", "http", "a", "1"]),
        st.text(NAME_CHAR, max_size=12),
    ),
)


def name_is_valid(name: str) -> bool:
    """The settled rule: 2-128 characters; a letter first; letters, 0-9, ':', '_', '-' only;
    not starting with http:// or https://."""
    return (
        2 <= len(name) <= 128
        and name[0].isalpha()
        and all(char.isalpha() or char in "0123456789:_-" for char in name)
        and not name.startswith(("http://", "https://"))
    )


def is_unicode_text(text: str) -> bool:
    """Tags are stored as UTF-8: a lone surrogate (undecodable bytes from argv) cannot be."""
    return not any("\ud800" <= char <= "\udfff" for char in text)


# Controls, bidi controls, separators and invisible characters (README, Terminal safety).
UNSAFE_IN_TAGS = frozenset(
    [*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u061c", "\u200b", "\u200e", "\u200f"]
    + [*map(chr, range(0x2028, 0x202F)), *map(chr, range(0x2060, 0x2065))]
    + [*map(chr, range(0x2066, 0x206A)), "\ufeff"]
)


def is_safe_text(text: str) -> bool:
    return not UNSAFE_IN_TAGS.intersection(text)


def tag_key_is_valid(key: str) -> bool:
    return (
        1 <= len(key) <= 128
        and is_unicode_text(key)
        and is_safe_text(key)
        and not key.startswith(("aliyun", "acs:"))
        and "http://" not in key
        and "https://" not in key
    )


def tag_value_is_valid(value: str) -> bool:
    return (
        len(value) <= 128
        and is_unicode_text(value)
        and is_safe_text(value)
        and not value.startswith("acs:")
        and "http://" not in value
        and "https://" not in value
    )


@settings(max_examples=400)
@given(st.one_of(ANY_TEXT, NAME_TEXT))
def test_key_pair_name_verdict_agrees_with_the_rule(name: str) -> None:
    error = rules.check_key_pair_name(name)
    assert (error is None) == name_is_valid(name)
    if error is not None:
        expected = "MissingParameter" if name == "" else "InvalidKeyPairName.Malformed"
        assert (error.code, error.status, error.field) == (expected, 400, "KeyPairName")
        assert error.reason


TAG_TEXT = st.one_of(
    ANY_TEXT,
    st.text(st.sampled_from("ab:/ps"), max_size=6),
    st.builds(
        str.__add__,
        st.sampled_from(["aliyun", "acs:", "x http://", "https://", "", "k", "acs", "aliyu"]),
        st.text(max_size=8),
    ),
    st.text(min_size=126, max_size=130),
)


@settings(max_examples=300)
@given(TAG_TEXT, st.integers(1, 20))
def test_tag_key_verdict_agrees_with_the_rule(key: str, number: int) -> None:
    error = rules.check_tag_key(key, number)
    assert (error is None) == tag_key_is_valid(key)
    if error is not None:
        assert (error.code, error.status) == ("InvalidTagKey.Malformed", 400)
        assert error.field == f"Tag.{number}.Key"


@settings(max_examples=300)
@given(TAG_TEXT, st.integers(1, 20))
def test_tag_value_verdict_agrees_with_the_rule(value: str, number: int) -> None:
    error = rules.check_tag_value(value, number)
    assert (error is None) == tag_value_is_valid(value)
    if error is not None:
        assert (error.code, error.status) == ("InvalidTagValue.Malformed", 400)
        assert error.field == f"Tag.{number}.Value"


SMALL_TAG_TEXT = st.one_of(st.sampled_from(["env", "team", "", "acs:x", "aliyun", "x"]), TAG_TEXT)
TAG_LISTS = st.lists(st.builds(Tag, SMALL_TAG_TEXT, SMALL_TAG_TEXT), max_size=24)


def expected_tags_verdict(tags: list[Tag]) -> tuple[str, str] | None:
    """(code, field) the tags earn, in the documented order: count, each tag, duplicates."""
    if len(tags) > 20:
        return ("QuotaExceed.Tags", "Tag")
    for number, tag in enumerate(tags, start=1):
        if not tag_key_is_valid(tag.key):
            return ("InvalidTagKey.Malformed", f"Tag.{number}.Key")
        if not tag_value_is_valid(tag.value):
            return ("InvalidTagValue.Malformed", f"Tag.{number}.Value")
    keys = [tag.key for tag in tags]
    for number, key in enumerate(keys, start=1):
        if keys.count(key) > 1:
            return ("Duplicate.TagKey", f"Tag.{number}.Key")
    return None


@settings(max_examples=300)
@given(TAG_LISTS)
def test_tag_list_verdict_agrees_with_the_rules(tags: list[Tag]) -> None:
    error = rules.check_tags(tags)
    verdict = None if error is None else (error.code, error.field)
    assert verdict == expected_tags_verdict(tags)


@settings(max_examples=300)
@given(TAG_LISTS)
def test_duplicate_rows_are_exactly_the_shared_non_empty_keys(tags: list[Tag]) -> None:
    keys = [tag.key for tag in tags]
    expected = [n for n, key in enumerate(keys, start=1) if key and keys.count(key) > 1]
    assert rules.duplicate_tag_numbers(tags) == expected


INVISIBLE_CATEGORIES = ("Z", "C", "M")


@settings(max_examples=500)
@given(ANY_CHAR)
def test_every_character_is_described_and_invisible_ones_by_name(char: str) -> None:
    text = rules.describe_character(char)
    assert text
    if unicodedata.category(char).startswith(INVISIBLE_CATEGORIES):
        assert "U+" in text or char in " \t\n\r\v\f", text
        if char != " ":  # the words of the description are spaced, of course
            assert char not in text, "an invisible character is named, not shown"


@settings(max_examples=300)
@given(ANY_TEXT, ANY_TEXT, st.lists(st.builds(Tag, ANY_TEXT, ANY_TEXT), max_size=22))
def test_create_request_checks_never_raise(region: str, name: str, tags: list[Tag]) -> None:
    error = rules.check_create_request(region, name, tags)
    assert error is None or error.status in (400, 403, 404)


def names_are_valid(value: str) -> bool:
    """KeyPairNames: a JSON array of 1 to 100 non-empty strings."""
    try:
        names = json.loads(value)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(names, list)
        and 1 <= len(names) <= 100
        and all(isinstance(name, str) and name for name in names)
    )


# Texts in single quotes are read as the gateway reads them, not as json.loads does: their own
# properties are in test_json_arrays.py.
JSONISH = st.one_of(
    ANY_TEXT.filter(lambda text: "'" not in text),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=8,
    ).map(json.dumps),
    st.lists(st.text(min_size=1, max_size=4), min_size=0, max_size=102).map(json.dumps),
)


@settings(max_examples=300)
@given(JSONISH)
def test_key_pair_names_parse_never_raises_and_agrees(value: str) -> None:
    parsed = parse_key_pair_names(value)
    assert isinstance(parsed, list) == names_are_valid(value)


def old_regex_matches(pattern: str, name: str) -> bool:
    """What the regex name_pattern used to answer (atomic groups: fast enough for long inputs)."""
    parts = [re.escape(part) for part in pattern.split("*")]
    if len(parts) == 1:
        return re.fullmatch(parts[0], name, re.DOTALL) is not None
    first, *middle, last = parts
    inner = "".join(f"(?>.*?{part})" for part in middle)
    return re.fullmatch(f"{first}{inner}.*{last}", name, re.DOTALL) is not None


@settings(max_examples=500)
@given(
    st.text(st.sampled_from("aab*.+(é"), max_size=128),
    st.text(st.sampled_from("aab.+(é"), max_size=128),
)
def test_the_glob_matcher_answers_as_the_old_regex_did(pattern: str, name: str) -> None:
    assert name_pattern(pattern).matches(name) == old_regex_matches(pattern, name)


def test_a_pattern_longer_than_a_name_is_malformed() -> None:
    assert name_pattern("*" * 128).matches("any")
    with pytest.raises(ApiException) as caught:
        name_pattern("a" * 129)
    assert (caught.value.error.code, caught.value.error.status) == (
        "InvalidKeyPairName.Malformed",
        400,
    )
    assert caught.value.error.field == "KeyPairName" and "128" in caught.value.error.reason
