"""KeyPairName at every boundary of the settled rule (spec README): 2-128 characters of
Unicode letters, ASCII digits, ``:``, ``_`` and ``-``; a letter first; no URL start."""

from __future__ import annotations

import pytest
from ecs_keypair.contract import rules

from tests.support.engine import assert_api_error

MALFORMED = "InvalidKeyPairName.Malformed"


def malformed(name: str) -> str:
    """Assert the name is refused as malformed on the KeyPairName field; return the reason."""
    return assert_api_error(rules.check_key_pair_name(name), MALFORMED, "KeyPairName").reason


@pytest.mark.parametrize("name", ["ab", "a" * 128, "中文", "a1", "Zz", "é" * 128])
def test_lengths_two_to_128_are_accepted(name: str) -> None:
    assert rules.check_key_pair_name(name) is None


def test_one_character_is_too_short() -> None:
    assert malformed("a") == "must be at least 2 characters long"
    assert malformed("中") == "must be at least 2 characters long"


def test_129_characters_are_too_long() -> None:
    assert malformed("a" * 129) == "must be at most 128 characters long (has 129)"
    assert malformed("中" * 129) == "must be at most 128 characters long (has 129)"


@pytest.mark.parametrize("name", [None, ""])
def test_no_name_is_a_missing_parameter(name: str | None) -> None:
    error = assert_api_error(rules.check_key_pair_name(name), "MissingParameter", "KeyPairName")
    assert error.message == (
        'The input parameter "KeyPairName" that is mandatory for processing this request '
        "is not supplied."
    )


def test_the_field_name_can_be_given() -> None:
    error = rules.check_key_pair_name("1x", field="NewKeyPairName")
    assert_api_error(error, MALFORMED, "NewKeyPairName")


@pytest.mark.parametrize(
    "name",
    [
        "abc",
        "Abc",
        "密钥对",  # Chinese characters are letters
        "ключ",
        "Ωmega",
        "ñandú",
        "キー",
        "مفتاح",
        "ǅx",  # a title-case letter
        "a0123456789",
        "a:b_c-d",
        "a-",
        "a:",
        "a_",
        "web-1:prod_2",
        "http",  # only the URL forms are reserved
        "http:x",
        "httpsx",
    ],
)
def test_letters_of_any_script_digits_and_three_marks_are_accepted(name: str) -> None:
    assert rules.check_key_pair_name(name) is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("1abc", "'1'"),
        ("9abc", "'9'"),
        ("_abc", "'_'"),
        (":abc", "':'"),
        ("-abc", "'-'"),
        ("٣abc", "the digit '٣' (U+0663; only 0-9 are digits here)"),
        (" abc", "a space"),
        ("\u0301abc", "a combining mark (U+0301)"),
        ("😀abc", "'😀'"),
    ],
)
def test_the_first_character_must_be_a_letter(name: str, shown: str) -> None:
    assert malformed(name) == f"must start with a letter, not {shown}"


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        (" ", "a space"),
        ("\t", "a tab"),
        ("\n", "a line break"),
        ("\r", "a line break"),
        ("\v", "a vertical tab"),
        ("\f", "a form feed"),
        (".", "'.'"),
        ("/", "'/'"),
        ("@", "'@'"),
        ("'", '"\'"'),
        ("😀", "'😀'"),
        ("\u200b", "an invisible format character (U+200B)"),
        ("\ufeff", "an invisible format character (U+FEFF)"),
        ("\u00ad", "an invisible format character (U+00AD)"),
        ("\x07", "a control character (U+0007)"),
        ("\x00", "a control character (U+0000)"),
        ("\x7f", "a control character (U+007F)"),
        ("\u0301", "a combining mark (U+0301)"),
        ("\u0903", "a combining mark (U+0903)"),
        ("٣", "the digit '٣' (U+0663; only 0-9 are digits here)"),
        ("１", "the digit '１' (U+FF11; only 0-9 are digits here)"),
        ("\u3000", "a space character (U+3000)"),
        ("\u00a0", "a space character (U+00A0)"),
        ("\u2028", "a line separator (U+2028)"),
        ("\u2029", "a paragraph separator (U+2029)"),
        ("\ue000", "an unassigned or private character (U+E000)"),
        ("\u0378", "an unassigned or private character (U+0378)"),
        ("\ud800", "an unpaired surrogate (U+D800)"),
    ],
)
def test_each_forbidden_character_class_is_refused_and_named(char: str, shown: str) -> None:
    for name in (f"ab{char}cd", f"ab{char}", f"a{'b' * 126}{char}"):
        assert malformed(name) == (
            f"must not contain {shown}: only letters, digits 0-9, ':', '_' and '-' are allowed"
        )


@pytest.mark.parametrize("name", ["http://example", "https://example", "http://", "https://"])
def test_url_prefixes_are_reserved(name: str) -> None:
    assert malformed(name) == "must not start with http:// or https://"


def test_a_url_later_in_the_name_is_refused_for_its_characters() -> None:
    assert malformed("ahttp://x").startswith("must not contain '/'")


def test_the_first_problem_in_reading_order_is_reported() -> None:
    assert malformed("ab.c d").startswith("must not contain '.'")
    assert malformed("ab c.d").startswith("must not contain a space")


def test_the_first_character_is_judged_before_the_length() -> None:
    # A person typing sees the first character go wrong before the length does.
    assert malformed(" " * 129).startswith("must start with a letter, not a space")
    assert malformed("1").startswith("must start with a letter")
    assert malformed("a").startswith("must be at least 2")


def test_length_is_checked_before_later_characters() -> None:
    assert malformed("a" + " " * 128).startswith("must be at most 128")
