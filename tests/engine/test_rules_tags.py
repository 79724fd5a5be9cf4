"""Tag.N.Key / Tag.N.Value at their boundaries, the 20-tag limit, duplicate keys, and the order
in which CreateKeyPair's pre-store checks report (region, name, tags)."""

from __future__ import annotations

import pytest
from ecs_keypair.contract import rules
from ecs_keypair.contract.rules import Tag

from tests.support.engine import assert_api_error

BAD_KEY = "InvalidTagKey.Malformed"
BAD_VALUE = "InvalidTagValue.Malformed"


@pytest.mark.parametrize(
    "key", ["k", "k" * 128, "环境", "a b", "acs", "aliyu", "xaliyun", "x-acs:y"]
)
def test_tag_keys_of_1_to_128_characters_are_accepted(key: str) -> None:
    assert rules.check_tag_key(key, 1) is None


@pytest.mark.parametrize("key", ["", None])
def test_an_empty_tag_key_is_malformed(key: str | None) -> None:
    error = assert_api_error(rules.check_tag_key(key, 4), BAD_KEY, "Tag.4.Key")
    assert error.reason == "must not be empty"


def test_a_129_character_tag_key_is_malformed() -> None:
    error = assert_api_error(rules.check_tag_key("k" * 129, 2), BAD_KEY, "Tag.2.Key")
    assert error.reason == "must be at most 128 characters long (has 129)"


@pytest.mark.parametrize("key", ["aliyun", "aliyun-env", "acs:", "acs:env"])
def test_tag_keys_must_not_start_with_aliyun_or_acs(key: str) -> None:
    error = assert_api_error(rules.check_tag_key(key, 1), BAD_KEY, "Tag.1.Key")
    assert error.reason == "must not start with aliyun or acs:"


@pytest.mark.parametrize("key", ["http://x", "https://x", "see http://x", "xhttps://"])
def test_tag_keys_must_not_contain_a_url(key: str) -> None:
    error = assert_api_error(rules.check_tag_key(key, 1), BAD_KEY, "Tag.1.Key")
    assert error.reason == "must not contain http:// or https://"


@pytest.mark.parametrize("key", ["http:/x", "https:x", "http//x"])
def test_tag_keys_that_only_resemble_a_url_are_accepted(key: str) -> None:
    assert rules.check_tag_key(key, 1) is None


@pytest.mark.parametrize(
    "value", [None, "", "v", "v" * 128, "aliyun", "xacs:", "acs", "http:/x", "生产"]
)
def test_tag_values_of_0_to_128_characters_are_accepted(value: str | None) -> None:
    assert rules.check_tag_value(value, 1) is None


def test_a_129_character_tag_value_is_malformed() -> None:
    error = assert_api_error(rules.check_tag_value("v" * 129, 3), BAD_VALUE, "Tag.3.Value")
    assert error.reason == "must be at most 128 characters long (has 129)"


@pytest.mark.parametrize("value", ["acs:", "acs:prod"])
def test_tag_values_must_not_start_with_acs(value: str) -> None:
    error = assert_api_error(rules.check_tag_value(value, 1), BAD_VALUE, "Tag.1.Value")
    assert error.reason == "must not start with acs:"


@pytest.mark.parametrize("value", ["http://x", "https://x", "go to https://x now"])
def test_tag_values_must_not_contain_a_url(value: str) -> None:
    error = assert_api_error(rules.check_tag_value(value, 1), BAD_VALUE, "Tag.1.Value")
    assert error.reason == "must not contain http:// or https://"


def tags(count: int) -> list[Tag]:
    return [Tag(f"key{number}", f"value{number}") for number in range(1, count + 1)]


@pytest.mark.parametrize("count", [0, 1, 19, 20])
def test_up_to_20_tags_are_accepted(count: int) -> None:
    assert rules.check_tag_count(count) is None
    assert rules.check_tags(tags(count)) is None


@pytest.mark.parametrize("count", [21, 22, 100])
def test_more_than_20_tags_exceed_the_quota(count: int) -> None:
    for error in (rules.check_tag_count(count), rules.check_tags(tags(count))):
        error = assert_api_error(error, "QuotaExceed.Tags", "Tag")
        assert "20" in error.message
        assert error.reason == f"at most 20 tags (has {count})"


def test_the_tag_count_is_checked_before_each_tag() -> None:
    bad_first = [Tag("", "x")] + tags(20)
    assert_api_error(rules.check_tags(bad_first), "QuotaExceed.Tags")


def test_duplicate_keys_are_refused_naming_the_first_row() -> None:
    error = rules.check_tags([Tag("env", "a"), Tag("team", "b"), Tag("env", "c")])
    error = assert_api_error(error, "Duplicate.TagKey", "Tag.1.Key")
    assert error.reason == "the key 'env' is used by more than one tag"


def test_duplicate_tag_numbers_marks_every_row_that_shares_a_key() -> None:
    rows = [Tag("a"), Tag("b"), Tag("a"), Tag("c"), Tag("b"), Tag("a")]
    assert rules.duplicate_tag_numbers(rows) == [1, 2, 3, 5, 6]
    assert rules.duplicate_tag_numbers([Tag("a"), Tag("b")]) == []
    assert rules.duplicate_tag_numbers([]) == []


def test_duplicate_keys_differ_by_case_and_values_do_not_matter() -> None:
    assert rules.duplicate_tag_numbers([Tag("Env", "x"), Tag("env", "x")]) == []
    assert rules.duplicate_tag_numbers([Tag("env", "x"), Tag("env", "y")]) == [1, 2]


def test_empty_keys_are_not_marked_as_duplicates_but_as_empty() -> None:
    rows = [Tag("", "x"), Tag("", "y")]
    assert rules.duplicate_tag_numbers(rows) == []
    assert_api_error(rules.check_tags(rows), BAD_KEY, "Tag.1.Key")


def test_each_tag_is_checked_before_duplicates_key_before_value() -> None:
    rows = [Tag("env", "acs:x"), Tag("env", "y"), Tag("aliyun", "z")]
    assert_api_error(rules.check_tags(rows), BAD_VALUE, "Tag.1.Value")
    rows = [Tag("env", "x"), Tag("env", "y"), Tag("aliyun", "acs:z")]
    assert_api_error(rules.check_tags(rows), BAD_KEY, "Tag.3.Key")


def test_the_twentieth_tag_is_numbered_20() -> None:
    rows = tags(19) + [Tag("k", "v" * 129)]
    assert_api_error(rules.check_tags(rows), BAD_VALUE, "Tag.20.Value")


def test_create_request_reports_region_then_name_then_tags() -> None:
    bad_tags = [Tag("acs:x")]
    assert_api_error(
        rules.check_create_request("nowhere", "1x", bad_tags),
        "InvalidRegionId.NotFound",
        "RegionId",
    )
    assert_api_error(
        rules.check_create_request(None, "1x", bad_tags), "MissingParameter", "RegionId"
    )
    assert_api_error(
        rules.check_create_request("cn-hangzhou", "1x", bad_tags),
        "InvalidKeyPairName.Malformed",
        "KeyPairName",
    )
    assert_api_error(
        rules.check_create_request("cn-hangzhou", "ok", bad_tags), BAD_KEY, "Tag.1.Key"
    )
    assert rules.check_create_request("cn-hangzhou", "ok", [Tag("env", "")]) is None


@pytest.mark.parametrize("region", ["cn-hangzhou", "me-central-1", "ap-southeast-7"])
def test_regions_of_the_spec_are_known(region: str) -> None:
    assert rules.check_region_id(region) is None


@pytest.mark.parametrize("region", ["cn-nowhere", "CN-HANGZHOU", " cn-hangzhou", "cn-hangzhou "])
def test_other_regions_are_not_found(region: str) -> None:
    error = assert_api_error(rules.check_region_id(region), "InvalidRegionId.NotFound", "RegionId")
    assert repr(region) in error.reason


# What would act on a terminal, reorder the text after it, or hide in it: refused in tags.
UNSAFE_SAMPLES = {
    "ESC": ("\x1b]52;c;aGk=\x07", "a control character (U+001B)"),
    "BEL": ("bell\x07", "a control character (U+0007)"),
    "NUL": ("nul\x00", "a control character (U+0000)"),
    "tab": ("a\tb", "a tab"),
    "newline": ("two\nlines", "a line break"),
    "DEL": ("del\x7f", "a control character (U+007F)"),
    "C1": ("csi\x9b2J", "a control character (U+009B)"),
    "RLO": ("exe.\u202etxt", "a text direction control (U+202E)"),
    "isolate": ("\u2066x", "a text direction control (U+2066)"),
    "ALM": ("a\u061cb", "a text direction control (U+061C)"),
    "separator": ("a\u2028b", "a line separator (U+2028)"),
    "zero width": ("en\u200bv", "an invisible format character (U+200B)"),
    "BOM": ("\ufeffenv", "an invisible format character (U+FEFF)"),
    "word joiner": ("a\u2063b", "an invisible format character (U+2063)"),
}


@pytest.mark.parametrize(("text", "named"), UNSAFE_SAMPLES.values(), ids=UNSAFE_SAMPLES)
def test_tag_keys_and_values_holding_unsafe_characters_are_malformed(
    text: str, named: str
) -> None:
    key = assert_api_error(rules.check_tag_key(text, 2), BAD_KEY, "Tag.2.Key")
    value = assert_api_error(rules.check_tag_value(text, 3), BAD_VALUE, "Tag.3.Value")
    assert key.reason == value.reason == f"must not contain {named}"


@pytest.mark.parametrize("text", ["\u0646\u0645\u200c\u0627", "👩\u200d💻", "soft\u00adhyphen"])
def test_joiners_and_other_format_characters_stay_allowed_in_tags(text: str) -> None:
    assert rules.check_tag_key(text, 1) is None
    assert rules.check_tag_value(text, 1) is None


def test_a_resource_group_display_name_holding_a_control_character_is_refused() -> None:
    error = rules.check_resource_group_display_name("Web\x1b[2J")
    assert error is not None and (error.code, error.field) == ("InvalidParameter", "DisplayName")
    assert error.reason == "must not contain a control character (U+001B)"
    assert rules.check_resource_group_display_name("Web servers 网") is None
