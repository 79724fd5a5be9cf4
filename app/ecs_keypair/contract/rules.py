"""The API's rules as pure functions: each returns the :class:`ApiError` a call would get, or None.

The form calls these on every keystroke, the command line before every call, and the backend
again before anything is stored, so there is exactly one place where a rule is written down.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.json_arrays import read_json_array
from ecs_keypair.contract.regions import REGIONS_BY_ID
from ecs_keypair.contract.text_safety import TEXT_DIRECTION_CONTROLS, first_unsafe

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 128
TAG_MAX_LENGTH = 128
MAX_TAGS = 20
URL_PREFIXES = ("http://", "https://")
RESERVED_TAG_KEY_PREFIXES = ("aliyun", "acs:")
RESERVED_TAG_VALUE_PREFIXES = ("acs:",)
NAME_PUNCTUATION = frozenset(":_-")
GROUP_NAME_MIN_LENGTH = 2
GROUP_NAME_MAX_LENGTH = 50
GROUP_DISPLAY_NAME_MAX_LENGTH = 50
MAX_DELETE_NAMES = 100
MAX_RESOURCE_IDS = 50


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag as a request sends it (``Tag.N.Key`` / ``Tag.N.Value``)."""

    key: str
    value: str = ""


def describe_character(char: str) -> str:
    """Name a character so that a person can find it, even when it is invisible."""
    category = unicodedata.category(char)
    code_point = f"U+{ord(char):04X}"
    if char == " ":
        return "a space"
    if char in "\t\n\r\v\f":
        return {"\t": "a tab", "\v": "a vertical tab", "\f": "a form feed"}.get(
            char, "a line break"
        )
    if category == "Zs":
        return f"a space character ({code_point})"
    if category == "Zl":
        return f"a line separator ({code_point})"
    if category == "Zp":
        return f"a paragraph separator ({code_point})"
    if category == "Cc":
        return f"a control character ({code_point})"
    if char in TEXT_DIRECTION_CONTROLS:
        return f"a text direction control ({code_point})"
    if category == "Cf":
        return f"an invisible format character ({code_point})"
    if category in ("Mn", "Mc", "Me"):
        return f"a combining mark ({code_point})"
    if category == "Cs":
        return f"an unpaired surrogate ({code_point})"
    if category in ("Co", "Cn"):
        return f"an unassigned or private character ({code_point})"
    if category == "Nd" and not "0" <= char <= "9":
        return f"the digit '{char}' ({code_point}; only 0-9 are digits here)"
    if char == "'":
        return '"\'"'  # not the unreadable '''
    return f"'{char}'"


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _is_name_character(char: str) -> bool:
    return char.isalpha() or "0" <= char <= "9" or char in NAME_PUNCTUATION


def check_key_pair_name(name: str | None, field: str = "KeyPairName") -> ApiError | None:
    """KeyPairName: 2-128 characters of letters, 0-9, ``:``, ``_``, ``-``; a letter first."""
    if not name:
        return errors.missing_parameter(field)
    bad = errors.INVALID_KEY_PAIR_NAME
    # The first character is judged first: it is what a person typing sees wrong first.
    if not _is_letter(name[0]):
        return bad.at(field, f"must start with a letter, not {describe_character(name[0])}")
    if name.startswith(URL_PREFIXES):
        return bad.at(field, "must not start with http:// or https://")
    if len(name) < NAME_MIN_LENGTH:
        return bad.at(field, f"must be at least {NAME_MIN_LENGTH} characters long")
    if len(name) > NAME_MAX_LENGTH:
        return bad.at(field, f"must be at most {NAME_MAX_LENGTH} characters long (has {len(name)})")
    for char in name:
        if not _is_name_character(char):
            return bad.at(
                field,
                f"must not contain {describe_character(char)}: "
                "only letters, digits 0-9, ':', '_' and '-' are allowed",
            )
    return None


def _has_surrogate(text: str) -> bool:
    """Lone surrogates (undecodable bytes from argv) cannot be stored as UTF-8."""
    return any("\ud800" <= char <= "\udfff" for char in text)


def _unsafe_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (a tag, a group's display name): a character that would act
    on a terminal, reorder the text after it or hide in it
    (:mod:`ecs_keypair.contract.text_safety`),
    named so that it can be found."""
    unsafe = first_unsafe(text)
    return f"must not contain {describe_character(unsafe)}" if unsafe is not None else None


def check_tag_key(key: str | None, number: int) -> ApiError | None:
    """Tag.N.Key: 1-128 characters, no control, bidi or invisible character, no ``aliyun``/``acs:``
    prefix, no URL inside."""
    problem = "must not be empty" if not key else _tag_text_problem(key, RESERVED_TAG_KEY_PREFIXES)
    return errors.INVALID_TAG_KEY.at(f"Tag.{number}.Key", problem) if problem else None


def check_tag_value(value: str | None, number: int) -> ApiError | None:
    """Tag.N.Value: 0-128 characters, no control, bidi or invisible character, no ``acs:``
    prefix, no URL inside."""
    problem = _tag_text_problem(value, RESERVED_TAG_VALUE_PREFIXES) if value else None
    return errors.INVALID_TAG_VALUE.at(f"Tag.{number}.Value", problem) if problem else None


def _tag_text_problem(text: str, reserved_prefixes: tuple[str, ...]) -> str | None:
    """Why a tag's key or value is refused, the checks both share, or None."""
    if len(text) > TAG_MAX_LENGTH:
        return f"must be at most {TAG_MAX_LENGTH} characters long (has {len(text)})"
    if _has_surrogate(text):
        return "must be valid Unicode text (it holds undecodable bytes)"
    unsafe = _unsafe_problem(text)
    if unsafe:
        return unsafe
    if text.startswith(reserved_prefixes):
        return f"must not start with {' or '.join(reserved_prefixes)}"
    if any(prefix in text for prefix in URL_PREFIXES):
        return "must not contain http:// or https://"
    return None


def duplicate_tag_numbers(tags: Sequence[Tag]) -> list[int]:
    """The tag numbers (1-based) whose key another tag also has, for marking every such row."""
    seen: dict[str, list[int]] = {}
    for number, tag in enumerate(tags, start=1):
        if tag.key:
            seen.setdefault(tag.key, []).append(number)
    return sorted(number for numbers in seen.values() if len(numbers) > 1 for number in numbers)


def check_tag_count(count: int) -> ApiError | None:
    """At most 20 tags; the 21st is ``QuotaExceed.Tags``."""
    if count > MAX_TAGS:
        return errors.quota_exceed_tags(MAX_TAGS).at(
            "Tag", f"at most {MAX_TAGS} tags (has {count})"
        )
    return None


def check_tag_number(count: int) -> ApiError | None:
    """TagResources and its neighbours take 1 to 20 tags per call; more is ``NumberExceed.Tags``
    (the 20 tags a key pair may hold is ``QuotaExceed.Tags``, see :func:`check_tag_count`)."""
    if count > MAX_TAGS:
        return errors.NUMBER_EXCEED_TAGS.at("Tag", f"at most {MAX_TAGS} tags (has {count})")
    return None


def check_resource_id_count(count: int) -> ApiError | None:
    """``ResourceId.N``: 1 to 50 per call; more is ``NumberExceed.ResourceIds``."""
    if count > MAX_RESOURCE_IDS:
        return errors.NUMBER_EXCEED_RESOURCE_IDS.at(
            "ResourceId", f"at most {MAX_RESOURCE_IDS} resource ids (has {count})"
        )
    return None


def check_tags(tags: Sequence[Tag]) -> ApiError | None:
    """Every tag rule, in the order the API applies them: count, each tag, duplicate keys."""
    problem = check_tag_count(len(tags))
    if problem:
        return problem
    for number, tag in enumerate(tags, start=1):
        problem = check_tag_key(tag.key, number) or check_tag_value(tag.value, number)
        if problem:
            return problem
    duplicates = duplicate_tag_numbers(tags)
    if duplicates:
        first = duplicates[0]
        return errors.DUPLICATE_TAG_KEY.at(
            f"Tag.{first}.Key", f"the key {tags[first - 1].key!r} is used by more than one tag"
        )
    return None


def check_region_id(
    region_id: str | None, known: Collection[str] = REGIONS_BY_ID.keys()
) -> ApiError | None:
    """RegionId: one of the regions of DescribeRegions (``known``: the built-in list unless a
    backend knows its own, as the cloud does)."""
    if not region_id:
        return errors.missing_parameter("RegionId")
    if region_id not in known:
        return errors.INVALID_REGION_ID.at("RegionId", f"there is no region {region_id!r}")
    return None


def check_public_key_body(body: str | None) -> ApiError | None:
    """PublicKeyBody: present; whether it parses is for :mod:`keys` to say."""
    if not body or not body.strip():
        return errors.missing_parameter("PublicKeyBody")
    return None


def check_resource_group_name(name: str | None) -> ApiError | None:
    """A resource group's Name: 2-50 letters, digits or ``-``, starting with a letter."""
    if not name:
        return errors.missing_parameter("Name")
    if not GROUP_NAME_MIN_LENGTH <= len(name) <= GROUP_NAME_MAX_LENGTH:
        return errors.invalid_parameter(
            "Name", f"must be {GROUP_NAME_MIN_LENGTH} to {GROUP_NAME_MAX_LENGTH} characters long"
        )
    if not (name[0].isascii() and name[0].isalpha()):
        return errors.invalid_parameter("Name", "must start with a letter")
    for char in name:
        if not (char.isascii() and (char.isalnum() or char == "-")):
            return errors.invalid_parameter(
                "Name", f"must not contain {describe_character(char)}: only letters, digits and '-'"
            )
    return None


def check_resource_group_display_name(display_name: str | None) -> ApiError | None:
    """A resource group's DisplayName: 1-50 characters, no control, bidi or invisible one."""
    if not display_name:
        return errors.missing_parameter("DisplayName")
    if _has_surrogate(display_name):
        return errors.invalid_parameter("DisplayName", "must be valid Unicode text")
    unsafe = _unsafe_problem(display_name)
    if unsafe:
        return errors.invalid_parameter("DisplayName", unsafe)
    if len(display_name) > GROUP_DISPLAY_NAME_MAX_LENGTH:
        return errors.invalid_parameter(
            "DisplayName", f"must be at most {GROUP_DISPLAY_NAME_MAX_LENGTH} characters long"
        )
    return None


def check_create_request(
    region_id: str | None,
    key_pair_name: str | None,
    tags: Sequence[Tag] = (),
) -> ApiError | None:
    """Everything CreateKeyPair checks before it looks at the store, in the API's order."""
    return check_region_id(region_id) or check_key_pair_name(key_pair_name) or check_tags(tags)


def check_key_pair_names(names: Sequence[str] | None) -> ApiError | None:
    """DeleteKeyPairs' names: 1 to 100, none empty."""
    if names is None:
        return errors.missing_parameter("KeyPairNames")
    bad = errors.INVALID_KEY_PAIR_NAMES
    if not all(isinstance(name, str) and name for name in names):
        return bad.at("KeyPairNames", 'must be a JSON array of names, such as ["a","b"]')
    if not 1 <= len(names) <= MAX_DELETE_NAMES:
        return bad.at("KeyPairNames", f"must hold 1 to {MAX_DELETE_NAMES} names")
    return None


def parse_key_pair_names(value: str | None) -> list[str] | ApiError:
    """DeleteKeyPairs' ``KeyPairNames`` as sent: a JSON array of 1 to 100 names, read as the
    gateway reads it (:mod:`ecs_keypair.contract.json_arrays`: single-quoted strings too)."""
    if not value:
        return errors.missing_parameter("KeyPairNames")
    items = read_json_array(value)
    names = [item for item in items or () if isinstance(item, str)]
    if items is None or len(names) != len(items):
        return errors.INVALID_KEY_PAIR_NAMES.at(
            "KeyPairNames", 'must be a JSON array of names, such as ["a","b"]'
        )
    return check_key_pair_names(names) or names


def check_name_against(
    region_id: str,
    name: str | None,
    known_regions: Sequence[str],
    names_of: Callable[[str], Collection[str]],
) -> ApiError | None:
    """An endpoint's name check: the rules, then whether ``names_of(region_id)`` (the region's
    names as last listed) holds it; a listing that fails says the name cannot be checked."""
    problem = check_key_pair_name(name) or check_region_id(region_id, known_regions)
    if problem or name is None:
        return problem
    try:
        names = names_of(region_id)
    except ApiException as exc:
        return exc.error.at("KeyPairName", f"cannot check with the endpoint: {exc.error.message}")
    if name in names:
        return errors.KEY_PAIR_ALREADY_EXIST.at(
            "KeyPairName", f"a key pair with this name already exists in {region_id}"
        )
    return None
