"""What a writer killed mid-write leaves behind, and resource groups on a fresh store."""

from __future__ import annotations

from pathlib import Path

from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore


def test_a_write_removes_temp_files_left_by_a_killed_writer(
    home: Path, backend: LocalBackend
) -> None:
    backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", "first"))
    region_dir = home / "keypairs"
    leftover = region_dir / ".cn-hangzhou.json.deadbeefdeadbeef.tmp"
    leftover.write_text("half a file")
    other_region = region_dir / ".cn-beijing.json.0123456789abcdef.tmp"
    other_region.write_text("half a file")

    backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", "second"))

    assert not leftover.exists()
    assert other_region.exists()  # only the file being written is tidied
    assert backend.store.count("cn-hangzhou") == 2


def test_a_group_can_be_added_when_the_groups_file_is_missing(home: Path) -> None:
    store = KeyPairStore(home)
    group = store.add_resource_group("web", "Web servers")
    names = [g.name for g in store.resource_groups()]
    assert names == ["default", "web"]
    assert store.resource_group(group.id) == group
