"""The typed requests of every action: what a flat ``{name: value}`` map becomes once read.

The table in :mod:`ecs_keypair.contract.actions` says which parameter fills which field; the
backends
(:mod:`ecs_keypair.contract.backend`) take these and nothing looser. Values the API judges (names,
tags,
regions) are carried as given, so that every door hears the same error for them.

They are named tuples, not frozen dataclasses: as immutable and as comparable, and about a
quarter of the cost to build, which every command pays at start-up for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ecs_keypair.contract.rules import Tag

KEYPAIR_RESOURCE_TYPE = "keypair"
"""The one ``ResourceType`` the tag and resource group actions accept here."""


class TagFilter(NamedTuple):
    """A tag filter: the key must be present; the value too, when given."""

    key: str
    value: str | None = None

    def matches(self, tags: Sequence[Tag]) -> bool:
        return any(t.key == self.key and self.value in (None, t.value) for t in tags)


class CreateKeyPairRequest(NamedTuple):
    region_id: str | None
    key_pair_name: str | None
    resource_group_id: str | None = None
    tags: tuple[Tag, ...] = ()


class ImportKeyPairRequest(NamedTuple):
    region_id: str | None
    key_pair_name: str | None
    public_key_body: str | None
    resource_group_id: str | None = None
    tags: tuple[Tag, ...] = ()


class DescribeKeyPairsRequest(NamedTuple):
    region_id: str | None
    key_pair_name: str | None = None
    fingerprint: str | None = None
    resource_group_id: str | None = None
    tags: tuple[TagFilter, ...] = ()
    page_number: int | None = None
    page_size: int | None = None
    include_public_key: bool = False


class DeleteKeyPairsRequest(NamedTuple):
    """``key_pair_names`` None: the parameter was not given (``MissingParameter``)."""

    region_id: str | None
    key_pair_names: tuple[str, ...] | None


class DescribeRegionsRequest(NamedTuple):
    """No parameters: every region is listed."""


class CreateResourceGroupRequest(NamedTuple):
    name: str | None
    display_name: str | None


class ListResourceGroupsRequest(NamedTuple):
    page_number: int | None = None
    page_size: int | None = None


class TagResourcesRequest(NamedTuple):
    region_id: str | None
    resource_type: str | None
    resource_ids: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()


class UntagResourcesRequest(NamedTuple):
    region_id: str | None
    resource_type: str | None
    resource_ids: tuple[str, ...] = ()
    tag_keys: tuple[str, ...] = ()
    all: bool = False


class ListTagResourcesRequest(NamedTuple):
    region_id: str | None
    resource_type: str | None
    resource_ids: tuple[str, ...] = ()
    tags: tuple[TagFilter, ...] = ()
    next_token: str | None = None
    max_results: int | None = None


class JoinResourceGroupRequest(NamedTuple):
    region_id: str | None
    resource_type: str | None
    resource_id: str | None
    resource_group_id: str | None
