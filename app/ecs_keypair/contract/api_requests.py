"""The typed requests of every action: what a flat ``{name: value}`` map becomes once read.

The table in :mod:`ecs_keypair.contract.actions` says which parameter fills which field; the
backends
(:mod:`ecs_keypair.contract.backend`) take these and nothing looser. Values the API judges (names,
tags,
regions) are carried as given, so that every door hears the same error for them.

Each is a frozen dataclass: immutable, compared field by field, never taken for a tuple.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecs_keypair.contract.rules import Tag

KEYPAIR_RESOURCE_TYPE = "keypair"
"""The one ``ResourceType`` the tag and resource group actions accept here."""


@dataclass(frozen=True, slots=True)
class TagFilter:
    """A tag filter: the key must be present; the value too, when given."""

    key: str
    value: str | None = None

    def matches(self, tags: Sequence[Tag]) -> bool:
        return any(t.key == self.key and self.value in (None, t.value) for t in tags)


@dataclass(frozen=True, slots=True)
class CreateKeyPairRequest:
    region_id: str | None
    key_pair_name: str | None
    resource_group_id: str | None = None
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportKeyPairRequest:
    region_id: str | None
    key_pair_name: str | None
    public_key_body: str | None
    resource_group_id: str | None = None
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class DescribeKeyPairsRequest:
    region_id: str | None
    key_pair_name: str | None = None
    fingerprint: str | None = None
    resource_group_id: str | None = None
    tags: tuple[TagFilter, ...] = ()
    page_number: int | None = None
    page_size: int | None = None
    include_public_key: bool = False


@dataclass(frozen=True, slots=True)
class DeleteKeyPairsRequest:
    """``key_pair_names`` None: the parameter was not given (``MissingParameter``)."""

    region_id: str | None
    key_pair_names: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class DescribeRegionsRequest:
    """No parameters: every region is listed."""


@dataclass(frozen=True, slots=True)
class CreateResourceGroupRequest:
    name: str | None
    display_name: str | None


@dataclass(frozen=True, slots=True)
class ListResourceGroupsRequest:
    page_number: int | None = None
    page_size: int | None = None


@dataclass(frozen=True, slots=True)
class TagResourcesRequest:
    region_id: str | None
    resource_type: str | None
    resource_ids: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class UntagResourcesRequest:
    region_id: str | None
    resource_type: str | None
    resource_ids: tuple[str, ...] = ()
    tag_keys: tuple[str, ...] = ()
    all: bool = False


@dataclass(frozen=True, slots=True)
class ListTagResourcesRequest:
    region_id: str | None
    resource_type: str | None
    resource_ids: tuple[str, ...] = ()
    tags: tuple[TagFilter, ...] = ()
    next_token: str | None = None
    max_results: int | None = None


@dataclass(frozen=True, slots=True)
class JoinResourceGroupRequest:
    region_id: str | None
    resource_type: str | None
    resource_id: str | None
    resource_group_id: str | None
