"""A parsed command line: the parameters as given, the tags by number, and the service to call."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from app.cli.backend import make_service
from app.engine import errors, rules
from app.engine.errors import ApiException

if TYPE_CHECKING:
    from app.engine.service import KeyPairService, TagFilter


@dataclass
class Request:
    """What the user asked for, before the API has looked at it.

    ``tags`` maps N of ``Tag.N.Key`` / ``Tag.N.Value`` to the parts given (``"Key"``, ``"Value"``).
    """

    values: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    tags: dict[int, dict[str, str]] = field(default_factory=dict)
    backend: dict[str, str] = field(default_factory=dict)  # --endpoint / --profile, when given

    @property
    def region_id(self) -> str | None:
        return self.values.get("RegionId")

    def text(self, name: str) -> str | None:
        return self.values.get(name)

    def number(self, name: str) -> int | None:
        return self.numbers.get(name)

    @cached_property
    def service(self) -> KeyPairService:
        return make_service(**self.backend)

    def _check_tag_numbers(self) -> None:
        """N runs from 1 to 20. The highest N given is at least the number of tags, so this one
        check refuses both ``Tag.21.Key`` and a 21st tag, with the API's ``QuotaExceed.Tags``."""
        problem = rules.check_tag_count(max(self.tags, default=0))
        if problem:
            raise ApiException(problem)

    def tags_to_create(self) -> list[rules.Tag]:
        """The tags of CreateKeyPair / ImportKeyPair, ordered by N; the service checks them."""
        self._check_tag_numbers()
        return [
            rules.Tag(parts.get("Key", ""), parts.get("Value", ""))
            for _, parts in sorted(self.tags.items())
        ]

    def tag_filters(self) -> list[TagFilter]:
        """DescribeKeyPairs' tag filters: a key alone matches any value of that key."""
        from app.engine.service import TagFilter

        self._check_tag_numbers()
        filters = []
        for number, parts in sorted(self.tags.items()):
            if "Key" not in parts:
                raise ApiException(errors.missing_parameter(f"Tag.{number}.Key"))
            filters.append(TagFilter(parts["Key"], parts.get("Value")))
        return filters
