"""The package's values say what they are: frozen dataclasses, compared field by field with their
own kind only, neither indexable nor iterable, unchanged once made. A named tuple would suit only a
value meant to be unpacked or indexed, and none of the package's is."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from ecs_keypair.contract.actions import ACTIONS
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    DescribeKeyPairsRequest,
    DescribeRegionsRequest,
    ListResourceGroupsRequest,
    ListTagResourcesRequest,
    TagResourcesRequest,
)
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.contract.results import CreatedKeyPair, TagResourcePage
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.engine import REGION

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "ecs_keypair"
FLAT_CREATE = {
    "RegionId": REGION,
    "KeyPairName": "web-1",
    "Tag.1.Key": "env",
    "Tag.1.Value": "prod",
}


def _created(backend: LocalBackend) -> CreatedKeyPair:
    request = CreateKeyPairRequest(REGION, "web-1", tags=(Tag("env", "prod"),))
    return backend.create_key_pair(request)


def _tagged_page(backend: LocalBackend) -> TagResourcePage:
    _created(backend)
    return backend.list_tag_resources(ListTagResourcesRequest(REGION, "keypair"))


VALUES: dict[str, Callable[[LocalBackend], object]] = {
    "Tag": lambda backend: Tag("env", "prod"),
    "Region": lambda backend: REGIONS[0],
    "KeyPairRecord": lambda backend: _created(backend).record,
    "CreatedKeyPair": _created,
    "GeneratedKey": lambda backend: _created(backend).key,
    "PublicKey": lambda backend: _created(backend).public_key,
    "KeyPairPage": lambda backend: backend.describe_key_pairs(DescribeKeyPairsRequest(REGION)),
    "RegionList": lambda backend: backend.describe_regions(DescribeRegionsRequest()),
    "ResourceGroupPage": lambda backend: backend.list_resource_groups(ListResourceGroupsRequest()),
    "ResourceGroup": lambda backend: backend.store.resource_groups()[0],
    "TagResourcePage": _tagged_page,
    "TagResource": lambda backend: _tagged_page(backend).tag_resources[0],
    "CreateKeyPairRequest": lambda backend: ACTIONS["CreateKeyPair"].read(FLAT_CREATE),
    "TagFilter": lambda backend: ACTIONS["DescribeKeyPairs"]
    .read({"RegionId": REGION, "Tag.1.Key": "env"})
    .tags[0],
    "DescribeRegionsRequest": lambda backend: DescribeRegionsRequest(),
    "Action": lambda backend: ACTIONS["CreateKeyPair"],
    "Param": lambda backend: ACTIONS["CreateKeyPair"].params[0],
}


@pytest.mark.parametrize("kind", VALUES)
def test_a_value_is_its_own_kind_not_a_tuple(kind: str, fast_service: LocalBackend) -> None:
    value = VALUES[kind](fast_service)
    assert type(value).__name__ == kind
    assert dataclasses.is_dataclass(value) and not isinstance(value, tuple)
    fields = tuple(getattr(value, field.name) for field in dataclasses.fields(value))
    assert value != fields, "equal to a plain tuple of its fields"
    with pytest.raises(TypeError):
        value[0]  # type: ignore[index]
    with pytest.raises(TypeError):
        iter(value)  # type: ignore[call-overload]
    for name in (field.name for field in dataclasses.fields(value)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)
    copy = dataclasses.replace(value)  # type: ignore[type-var]
    assert copy == value and hash(copy) == hash(value), "compared and hashed by its fields"


def test_values_are_compared_field_by_field() -> None:
    assert Tag("env", "prod") == Tag("env", "prod")
    assert Tag("env", "prod") != Tag("env", "dev")
    assert {Tag("env", "prod"), Tag("env", "prod")} == {Tag("env", "prod")}, "used in sets"



def test_the_store_keeps_a_changed_record_as_the_same_document(fast_service: LocalBackend) -> None:
    """A record is written through ``to_document``, never as the dataclass itself: the file keeps
    the API's names in their order, and tags as objects."""
    record = _created(fast_service).record
    added = TagResourcesRequest(REGION, "keypair", ("web-1",), (Tag("team", "ops"),))
    fast_service.tag_resources(added)  # rewritten through dataclasses.replace
    raw = orjson.loads(fast_service.store.region_path(REGION).read_bytes())
    (document,) = raw["keypairs"].values()
    assert list(document.items()) == [
        ("KeyPairId", record.key_pair_id),
        ("KeyPairName", "web-1"),
        ("RegionId", REGION),
        ("KeyPairFingerPrint", record.fingerprint),
        ("PublicKey", record.public_key),
        ("ResourceGroupId", record.resource_group_id),
        ("CreationTime", record.creation_time),
        ("Tags", [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": "ops"}]),
    ]

def _is_named_tuple(node: ast.ClassDef | ast.Call) -> bool:
    """A ``class …(NamedTuple)`` or a ``namedtuple(…)`` call."""
    if isinstance(node, ast.ClassDef):
        return any(ast.unparse(base).endswith("NamedTuple") for base in node.bases)
    return ast.unparse(node.func).endswith("namedtuple")


def test_no_value_of_the_package_is_a_named_tuple() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.ClassDef, ast.Call)) and _is_named_tuple(node)
    ]
    assert found == []
