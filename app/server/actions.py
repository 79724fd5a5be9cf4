"""The ECS actions ``serve`` answers: request parameters, as the SDK sends them, to the service.

Parameters arrive flat, as the RPC style spells them (``Tag.1.Key``, ``PageSize``); each action
reads what it needs and calls :class:`KeyPairService`, which applies every rule and raises the
API's errors. Parameters an action does not know (``OwnerId``, ``IncludePublicKey``…) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from app.engine import errors
from app.engine.errors import ApiException
from app.engine.rules import Tag
from app.engine.service import KeyPairService, TagFilter

API_VERSION = "2014-05-26"

Params = Mapping[str, str]
Body = dict[str, Any]

_TAG_PARAM = re.compile(r"Tag\.([1-9][0-9]{0,3})\.(Key|Value)")


def _tag_fields(params: Params) -> dict[int, dict[str, str]]:
    tags: dict[int, dict[str, str]] = {}
    for name, value in params.items():
        match = _TAG_PARAM.fullmatch(name)
        if match:
            tags.setdefault(int(match[1]), {})[match[2]] = value
    return dict(sorted(tags.items()))


def tags_to_create(params: Params) -> list[Tag]:
    """``Tag.N.Key`` / ``Tag.N.Value`` in the order of N; the rules judge keys and values."""
    return [Tag(f.get("Key", ""), f.get("Value", "")) for f in _tag_fields(params).values()]


def tag_filters(params: Params) -> list[TagFilter]:
    return [TagFilter(f.get("Key", ""), f.get("Value")) for f in _tag_fields(params).values()]


def _integer(params: Params, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not value.isascii() or not value.lstrip("-").isdigit() or len(value) > 9:
        raise ApiException(errors.invalid_parameter(name, "must be a whole number"))
    return int(value)


def _create_key_pair(service: KeyPairService, p: Params) -> Body:
    return service.create_key_pair(
        p.get("RegionId"), p.get("KeyPairName"), p.get("ResourceGroupId"), tags_to_create(p)
    ).body()


def _import_key_pair(service: KeyPairService, p: Params) -> Body:
    return service.import_key_pair(
        p.get("RegionId"),
        p.get("KeyPairName"),
        p.get("PublicKeyBody"),
        p.get("ResourceGroupId"),
        tags_to_create(p),
    )


def _describe_key_pairs(service: KeyPairService, p: Params) -> Body:
    return service.describe_key_pairs(
        p.get("RegionId"),
        key_pair_name=p.get("KeyPairName"),
        fingerprint=p.get("KeyPairFingerPrint"),
        resource_group_id=p.get("ResourceGroupId"),
        tags=tag_filters(p),
        page_number=_integer(p, "PageNumber"),
        page_size=_integer(p, "PageSize"),
    )


def _delete_key_pairs(service: KeyPairService, p: Params) -> Body:
    return service.delete_key_pairs(p.get("RegionId"), p.get("KeyPairNames"))


def _describe_regions(service: KeyPairService, p: Params) -> Body:
    return service.describe_regions()


ACTIONS: dict[str, Callable[[KeyPairService, Params], Body]] = {
    "CreateKeyPair": _create_key_pair,
    "ImportKeyPair": _import_key_pair,
    "DescribeKeyPairs": _describe_key_pairs,
    "DeleteKeyPairs": _delete_key_pairs,
    "DescribeRegions": _describe_regions,
}
