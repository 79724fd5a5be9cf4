"""Store files that are not what they seem (issue 8, "Store edge cases"): each gives a clear
StoreError naming the file; nothing is followed out of the data directory, nothing is waited on,
nothing is read without bound, and nothing is silently re-created that records point at."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    DescribeKeyPairsRequest,
    ListResourceGroupsRequest,
)
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.store.store_paths import StoreError

from tests.support.engine import REGION
from tests.support.store_files import a_document, region_file


def refused(backend: LocalBackend, path: Path) -> str:
    """The message of the StoreError a DescribeKeyPairs of the region gives; it names ``path``."""
    with pytest.raises(StoreError) as caught:
        backend.describe_key_pairs(DescribeKeyPairsRequest(REGION))
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    return str(caught.value)


def test_a_document_id_of_5000_digits_is_a_store_error_naming_the_file(
    fast_service: LocalBackend,
) -> None:
    path = fast_service.store.region_path(REGION)
    path.write_bytes(region_file(keypairs={"1" * 5000: a_document()}))
    message = refused(fast_service, path)
    assert "malformed entry" in message and "5000 characters" in message
    assert len(message) < 1000


@pytest.mark.parametrize("target", ["/dev/zero", "elsewhere.json"])
def test_a_region_file_that_is_a_symbolic_link_is_never_followed(
    fast_service: LocalBackend, tmp_path: Path, target: str
) -> None:
    if target == "elsewhere.json":  # a good file of ours, outside the data directory
        target = str(tmp_path / target)
        Path(target).write_bytes(region_file(keypairs={"1": a_document()}))
    path = fast_service.store.region_path(REGION)
    path.symlink_to(target)
    assert "symbolic link" in refused(fast_service, path)
    with pytest.raises(StoreError):
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, "new"))
    assert path.is_symlink() and os.readlink(path) == target


def test_a_fifo_is_refused_and_never_waited_on(fast_service: LocalBackend) -> None:
    path = fast_service.store.region_path(REGION)
    os.mkfifo(path)
    assert "not a regular file" in refused(fast_service, path)


def test_a_folder_in_place_of_a_region_file_is_refused(fast_service: LocalBackend) -> None:
    path = fast_service.store.region_path(REGION)
    path.mkdir()
    refused(fast_service, path)


def test_a_region_file_larger_than_its_quota_could_hold_is_refused_unread(
    home: Path, ready_key: GeneratedKey
) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=1), generate=lambda: ready_key)
    path = backend.store.region_path(REGION)
    path.write_bytes(region_file(keypairs={}) + b" " * (2 * 1024 * 1024))
    assert "larger than" in refused(backend, path)


def test_keypairs_folder_that_is_a_symbolic_link_is_refused(home: Path, tmp_path: Path) -> None:
    home.mkdir()
    (tmp_path / "outside").mkdir()
    (home / "keypairs").symlink_to(tmp_path / "outside")
    with pytest.raises(StoreError) as caught:
        KeyPairStore(home)
    assert str(home / "keypairs") in str(caught.value) and "symbolic link" in str(caught.value)


def test_a_lost_resource_groups_file_is_not_recreated_under_key_pairs_of_its_groups(
    fast_service: LocalBackend,
) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "kept"))
    groups_file = fast_service.store.home / "resource-groups.json"
    group_id = orjson.loads(groups_file.read_bytes())["groups"]["1"]["Id"]
    groups_file.unlink()
    for call in (
        lambda: fast_service.list_resource_groups(ListResourceGroupsRequest()),
        lambda: fast_service.create_key_pair(CreateKeyPairRequest(REGION, "new")),
    ):
        with pytest.raises(StoreError) as caught:
            call()
        message = str(caught.value)
        assert str(groups_file) in message and group_id in message
        assert "restore" in message
    assert not groups_file.exists()


def test_a_fresh_store_still_gets_its_default_group(fast_service: LocalBackend) -> None:
    groups = fast_service.list_resource_groups(ListResourceGroupsRequest()).groups
    assert [group.name for group in groups] == ["default"]
    again = fast_service.list_resource_groups(ListResourceGroupsRequest()).groups
    assert again == groups
