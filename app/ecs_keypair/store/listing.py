"""What the Describe actions of the local store share: name patterns with ``*`` and the bounds
of a numbered page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ecs_keypair.contract import errors, rules
from ecs_keypair.contract.api_requests import TagFilter
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.records import KeyPairRecord

DEFAULT_PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class NamePattern:
    """DescribeKeyPairs' KeyPairName: exact, or with ``*`` standing for any run of characters.

    No regex: ``re.compile`` caches what it compiles, so callers' patterns would grow the
    process. Each literal between two stars is found at its leftmost place after the previous
    one (leftmost is always right for ``*``-only globs), so a match costs at most one scan per
    literal of a name of at most 128 characters.
    """

    parts: tuple[str, ...]

    def matches(self, name: str) -> bool:
        if len(self.parts) == 1:  # no star: the name exactly
            return name == self.parts[0]
        first, *middle, last = self.parts
        end = len(name) - len(last)
        if end < len(first) or not name.startswith(first) or not name.endswith(last):
            return False
        position = len(first)
        for part in middle:
            found = name.find(part, position, end)
            if found < 0:
                return False
            position = found + len(part)
        return True


def name_pattern(pattern: str) -> NamePattern:
    """The matcher for a KeyPairName pattern; longer than a name may be is
    ``InvalidKeyPairName.Malformed`` (no input makes unbounded work)."""
    if len(pattern) > rules.NAME_MAX_LENGTH:
        raise ApiException(
            errors.INVALID_KEY_PAIR_NAME.at(
                "KeyPairName",
                f"a name or pattern is at most {rules.NAME_MAX_LENGTH} characters long "
                f"(has {len(pattern)})",
            )
        )
    return NamePattern(tuple(pattern.split("*")))


def matching(
    records: Iterable[KeyPairRecord],
    key_pair_name: str | None = None,
    fingerprint: str | None = None,
    resource_group_id: str | None = None,
    tags: Sequence[TagFilter] = (),
) -> list[KeyPairRecord]:
    """The records that pass every filter of DescribeKeyPairs given (``*`` patterns included):
    the local store's and a mirror's."""
    pattern = name_pattern(key_pair_name) if key_pair_name else None
    return [
        record
        for record in records
        if (pattern is None or pattern.matches(record.key_pair_name))
        and (not fingerprint or record.fingerprint == fingerprint)
        and (not resource_group_id or record.resource_group_id == resource_group_id)
        and all(tag.matches(record.tags) for tag in tags)
    ]


def page_bounds(number: int | None, size: int | None, max_size: int) -> tuple[int, int]:
    number = 1 if number is None else number
    size = DEFAULT_PAGE_SIZE if size is None else size
    if number < 1:
        raise ApiException(errors.invalid_parameter("PageNumber", "must be 1 or more"))
    if not 1 <= size <= max_size:
        raise ApiException(errors.invalid_parameter("PageSize", f"must be 1 to {max_size}"))
    return number, size
