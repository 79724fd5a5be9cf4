"""The store under faults: damaged or foreign files, failed writes, file modes, secrets, and the
stat-based read cache. The promise (issue 2): a damaged file gives a clear error naming it and
is left byte for byte as it was; a failed write leaves the old state, on disk and in memory."""

from __future__ import annotations

import base64
import errno
import multiprocessing
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    CreateResourceGroupRequest,
    DeleteKeyPairsRequest,
    DescribeKeyPairsRequest,
    ListResourceGroupsRequest,
    TagResourcesRequest,
)
from ecs_keypair.contract.instance_requests import RunInstancesRequest
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.contract.rules import KEYPAIR_RESOURCE_TYPE, Tag
from ecs_keypair.keys import file_writes
from ecs_keypair.store import storage
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.store.store_paths import StoreError

from tests.support.engine import OTHER_REGION, REGION
from tests.support.store_files import GROUPS_MARKER, MARKER, a_document, region_file

DAMAGED_REGION_FILES: dict[str, bytes] = {
    "empty": b"",
    "only whitespace": b"  \n",
    "garbage": b"\x00\xff\xfe garbage \x01",
    "not UTF-8": b'{"ecs-keypair": "\xff"}',
    "a JSON array": b"[]",
    "a JSON string": b'"keypairs"',
    "another program's JSON": b'{"a": 1}',
    "a TinyDB file without our marker": b'{"_default": {"1": {"KeyPairName": "x"}}}',
    "our marker for another kind": orjson.dumps(GROUPS_MARKER),
    "our marker of a newer version": orjson.dumps(
        {"ecs-keypair": {"1": {"kind": "keypairs", "version": 2}}}
    ),
    "a document without its public key": region_file(keypairs={"1": a_document(PublicKey=None)}),
    "a document with a number for a name": region_file(keypairs={"1": a_document(KeyPairName=7)}),
    "malformed tags": region_file(keypairs={"1": a_document(Tags=[{"TagKey": "k"}])}),
    "a private key in the public key field": region_file(
        keypairs={"1": a_document(PublicKey="-----BEGIN PRIVATE KEY-----\nMIIE")}
    ),
    "an entry id that is not a number": region_file(keypairs={"one": a_document()}),
    "an entry id of a superscript digit": region_file(keypairs={"\u00b2": a_document()}),
    "a table that is a list": region_file(keypairs=[a_document()]),
    "an unknown table with entries": region_file(other={"1": a_document()}),
    "deep nesting": b"[" * 100_000,
    "a huge number": b'{"a": ' + b"1" * 5000 + b"}",
}


@pytest.fixture
def truncated(tmp_path: Path, ready_key: GeneratedKey) -> bytes:
    """A real region file of ours, cut in the middle as a crash of a naive writer would leave."""
    backend = LocalBackend(KeyPairStore(tmp_path / "elsewhere"), generate=lambda: ready_key)
    for number in range(3):
        backend.create_key_pair(CreateKeyPairRequest(REGION, f"key-{number}"))
    whole = backend.store.region_path(REGION).read_bytes()
    return whole[: len(whole) // 2]


def files_under(path: Path) -> dict[str, bytes]:
    """Every file of the data home and its bytes, but the (empty) lock file."""
    return {
        str(file.relative_to(path)): file.read_bytes()
        for file in sorted(path.rglob("*"))
        if file.is_file() and file.name != ".lock"
    }


def assert_names_the_file(caught: pytest.ExceptionInfo[StoreError], path: Path) -> None:
    assert caught.value.path == path
    assert str(path) in str(caught.value)


def every_region_call(backend: LocalBackend) -> list[Callable[[], object]]:
    """Every way of touching a region: each must refuse a damaged file of that region."""
    return [
        lambda: backend.store.name_exists(REGION, "stored"),
        lambda: backend.check_name(REGION, "new-name"),
        lambda: backend.count_key_pairs(REGION),
        lambda: backend.describe_key_pairs(DescribeKeyPairsRequest(REGION)).body(),
        lambda: backend.create_key_pair(CreateKeyPairRequest(REGION, "new-name")),
        lambda: backend.delete_key_pairs(DeleteKeyPairsRequest(REGION, ("stored",))).body(),
    ]


def check_damaged_region_file(backend: LocalBackend, content: bytes) -> None:
    path = backend.store.region_path(REGION)
    path.write_bytes(content)
    before = files_under(backend.store.home)
    for call in every_region_call(backend):
        with pytest.raises(StoreError) as caught:
            call()
        assert_names_the_file(caught, path)
        assert "It was left as it is" in str(caught.value)
    assert files_under(backend.store.home) == before, "the damaged file must be left as it was"
    backend.create_key_pair(
        CreateKeyPairRequest(OTHER_REGION, "elsewhere")
    )  # other regions keep working
    assert path.read_bytes() == content


@pytest.mark.parametrize("case", list(DAMAGED_REGION_FILES))
def test_a_damaged_region_file_is_refused_and_left_untouched(
    fast_service: LocalBackend, case: str
) -> None:
    check_damaged_region_file(fast_service, DAMAGED_REGION_FILES[case])


def test_a_truncated_region_file_is_refused_and_left_untouched(
    fast_service: LocalBackend, truncated: bytes
) -> None:
    check_damaged_region_file(fast_service, truncated)


def test_a_damaged_file_is_refused_even_after_a_good_read(fast_service: LocalBackend) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "stored"))
    assert fast_service.store.name_exists(REGION, "stored")  # now cached
    check_damaged_region_file(fast_service, b'{"a": 1}')


def test_the_messages_say_what_is_wrong(fast_service: LocalBackend) -> None:
    path = fast_service.store.region_path(REGION)
    expected = {
        b"": "is empty, so it is damaged",
        b"{": "is damaged: it is not valid JSON",
        b'{"a": 1}': "is not an ecs-keypair keypairs file (its format marker is missing",
        region_file(keypairs={"1": a_document(PublicKey=None)}): (
            "is damaged: entry 1 of table 'keypairs' has no text field 'PublicKey'"
        ),
    }
    for content, words in expected.items():
        path.write_bytes(content)
        with pytest.raises(StoreError, match=f"^The store file {path} ") as caught:
            fast_service.store.count(REGION)
        assert words in str(caught.value)


def test_a_directory_in_place_of_the_region_file_is_refused(fast_service: LocalBackend) -> None:
    path = fast_service.store.region_path(REGION)
    path.mkdir()
    with pytest.raises(StoreError) as caught:
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, "new-name"))
    assert_names_the_file(caught, path)
    assert path.is_dir()


DAMAGED_GROUP_FILES: dict[str, bytes] = {
    "empty": b"",
    "garbage": b"\x00garbage",
    "another program's JSON": b'{"a": 1}',
    "a region file": orjson.dumps(MARKER),
    "a group without a name": orjson.dumps(
        {**GROUPS_MARKER, "groups": {"1": {"Id": "rg-aaaaaaaaaaaaaaa", "DisplayName": "x"}}}
    ),
}


@pytest.mark.parametrize("case", list(DAMAGED_GROUP_FILES))
def test_a_damaged_resource_group_file_is_refused_and_left_untouched(
    fast_service: LocalBackend, case: str
) -> None:
    path = fast_service.store.home / "resource-groups.json"
    path.write_bytes(DAMAGED_GROUP_FILES[case])
    before = files_under(fast_service.store.home)
    calls: list[Callable[[], object]] = [
        lambda: fast_service.list_resource_groups(ListResourceGroupsRequest()),
        fast_service.resource_groups,
        lambda: fast_service.create_resource_group(
            CreateResourceGroupRequest("team", "Team")
        ).body(),
        lambda: fast_service.create_key_pair(CreateKeyPairRequest(REGION, "new-name")),
        lambda: fast_service.create_key_pair(
            CreateKeyPairRequest(REGION, "new-name", "rg-aaaaaaaaaaaaaaa")
        ),
    ]
    for call in calls:
        with pytest.raises(StoreError) as caught:
            call()
        assert_names_the_file(caught, path)
    assert files_under(fast_service.store.home) == before
    assert not fast_service.store.name_exists(REGION, "new-name")


# -- failed writes --


class Faults:
    """Make one os call fail with an errno, only for the store's files."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
        self.monkeypatch = monkeypatch
        groups = ("resource-groups.json", ".resource-groups.json")  # the file and its temp files
        self.under = (str(home / "keypairs"), *(str(home / name) for name in groups))

    def _ours(self, target: object) -> bool:
        """A store file, its temp file or its folder; not the lock (that is another story)."""
        return isinstance(target, (str, Path)) and str(target).startswith(self.under)

    def fail(self, name: str, code: int) -> None:
        real = getattr(os, name)

        def failing(*args: object, **kwargs: object) -> object:
            first = args[0]
            if isinstance(first, int):  # a descriptor: what file is it?
                first = os.readlink(f"/proc/self/fd/{first}")
            if self._ours(first) or (name == "replace" and self._ours(args[1])):
                raise OSError(code, os.strerror(code))
            return real(*args, **kwargs)

        self.monkeypatch.setattr(os, name, failing)

    def heal(self) -> None:
        self.monkeypatch.undo()


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[Faults]:
    yield Faults(monkeypatch, home)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        ("replace", errno.ENOSPC),
        ("write", errno.ENOSPC),
        ("fsync", errno.EIO),
        ("open", errno.EMFILE),
    ],
)
def test_a_failed_write_leaves_the_old_state_on_disk_and_in_memory(
    fast_service: LocalBackend, faults: Faults, call: str, code: int
) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "kept"))
    path = fast_service.store.region_path(REGION)
    before = files_under(fast_service.store.home)
    faults.fail(call, code)
    with pytest.raises(StoreError) as caught:
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, "lost"))
    message = str(caught.value)
    assert_names_the_file(caught, path)
    assert f"could not be written ({os.strerror(code)}); nothing was changed." in message
    assert "move it aside" not in message, "the file is fine: no damaged-file advice"
    faults.heal()
    assert files_under(fast_service.store.home) == before, "no temp file left, nothing changed"
    assert not fast_service.store.name_exists(REGION, "lost")
    assert fast_service.check_name(REGION, "lost") is None
    assert fast_service.count_key_pairs(REGION) == 1
    assert [r.key_pair_name for r in fast_service.store.key_pairs(REGION)] == ["kept"]
    fast_service.create_key_pair(
        CreateKeyPairRequest(REGION, "lost")
    )  # and it works once the disk is back
    assert fast_service.count_key_pairs(REGION) == 2


def test_a_failed_first_write_of_a_region_leaves_no_file(
    fast_service: LocalBackend, faults: Faults
) -> None:
    fast_service.resource_groups()  # the default group exists before the fault
    faults.fail("replace", errno.ENOSPC)
    with pytest.raises(StoreError):
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, "lost"))
    faults.heal()
    assert not fast_service.store.region_path(REGION).exists()
    assert not fast_service.store.name_exists(REGION, "lost")
    assert os.listdir(fast_service.store.region_path(REGION).parent) == []


def test_a_failure_after_the_replace_says_the_new_version_is_in_place(
    fast_service: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "kept"))

    def failing_sync(directory: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(file_writes, "sync_folder", failing_sync)
    with pytest.raises(StoreError, match="the new version is in place but may not be safe"):
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, "synced-late"))
    monkeypatch.undo()
    assert fast_service.store.name_exists(REGION, "synced-late"), "memory agrees with the disk"
    assert fast_service.count_key_pairs(REGION) == 2


def test_a_write_that_cannot_be_encoded_leaves_the_cache_alone(
    fast_service: LocalBackend,
) -> None:
    """Not reachable through the rules (they refuse lone surrogates); the store holds anyway."""
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "kept"))
    path = fast_service.store.region_path(REGION)
    before = path.read_bytes()
    (record,) = fast_service.store.key_pairs(REGION)
    unencodable = replace(record, key_pair_name="lost", tags=(Tag("k", "\udc80"),))
    with pytest.raises(TypeError):
        fast_service.store.add(unencodable)
    assert path.read_bytes() == before
    assert not fast_service.store.name_exists(REGION, "lost")
    assert fast_service.count_key_pairs(REGION) == 1


def test_a_write_past_the_read_cap_is_refused_and_changes_nothing(home: Path) -> None:
    """Not reachable through the rules (they bound every field); were it, the region would
    become a file the store refuses to read, so the write is refused first."""
    backend = LocalBackend(KeyPairStore(home, quota=2))
    backend.create_key_pair(CreateKeyPairRequest(REGION, "kept"))
    path = backend.store.region_path(REGION)
    before = path.read_bytes()
    (record,) = backend.store.key_pairs(REGION)
    huge = replace(record, key_pair_name="huge", public_key="ssh-rsa " + "A" * 2_000_000)
    with pytest.raises(StoreError) as caught:
        backend.store.add(huge)
    assert_names_the_file(caught, path)
    assert "would be larger than" in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert path.read_bytes() == before
    assert [r.key_pair_name for r in backend.store.key_pairs(REGION)] == ["kept"]


def test_an_instance_write_past_the_read_cap_is_refused_and_changes_nothing(
    home: Path,
) -> None:
    backend = LocalBackend(KeyPairStore(home, instances_quota=1))
    backend.run_instances(RunInstancesRequest(REGION, "img", "ecs.t5"))
    instances = backend.store.instances
    path = instances.region_path(REGION)
    before = path.read_bytes()
    (record,) = instances.instances(REGION)
    huge = replace(record, instance_id="i-huge", image_id="m" * 2_000_000)
    with pytest.raises(StoreError) as caught:
        instances.transact(REGION, lambda current: ({"i-huge": huge}, None))
    assert_names_the_file(caught, path)
    assert "nothing was changed" in str(caught.value)
    assert path.read_bytes() == before
    assert [r.instance_id for r in instances.instances(REGION)] == [record.instance_id]


def test_a_failed_group_write_leaves_no_group(
    fast_service: LocalBackend, faults: Faults
) -> None:
    fast_service.resource_groups()
    faults.fail("replace", errno.ENOSPC)
    with pytest.raises(StoreError):
        fast_service.create_resource_group(CreateResourceGroupRequest("team", "Team"))
    faults.heal()
    assert [group.name for group in fast_service.resource_groups()] == ["default"]


# -- modes and secrets --


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_the_data_directory_is_owner_only_whatever_the_umask(
    home: Path, ready_key: GeneratedKey, umask: int
) -> None:
    previous = os.umask(umask)
    try:
        backend = LocalBackend(KeyPairStore(home), generate=lambda: ready_key)
        backend.create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
        backend.create_resource_group(CreateResourceGroupRequest("team", "Team"))
        backend.run_instances(RunInstancesRequest(REGION, "image", "type", "web-1"))
    finally:
        os.umask(previous)
    seen = {}
    for path in [home, *home.rglob("*")]:
        seen[str(path.relative_to(home))] = stat.S_IMODE(path.stat().st_mode)
    assert seen == {
        ".": 0o700,
        ".lock": 0o600,
        "keypairs": 0o700,
        f"keypairs/{REGION}.json": 0o600,
        "instances": 0o700,
        f"instances/{REGION}.json": 0o600,
        "resource-groups.json": 0o600,
    }


def private_numbers(pem: str) -> list[bytes]:
    """The secret numbers of an RSA key (d, p, q and the CRT values), big-endian."""
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    numbers = key.private_numbers()
    values = [numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1, numbers.iqmp]
    return [value.to_bytes((value.bit_length() + 7) // 8, "big") for value in values]


def decoded_views(stored: bytes) -> list[bytes]:
    """The stored bytes, and every base64 run in them decoded at each of the 4 alignments."""
    views = [stored]
    for run in re.findall(rb"[A-Za-z0-9+/]{16,}", stored):
        for shift in range(4):
            chunk = run[shift:]
            views.append(base64.b64decode(chunk[: len(chunk) // 4 * 4]))
    return views


def test_no_private_key_material_is_stored(backend: LocalBackend) -> None:
    created = [
        backend.create_key_pair(CreateKeyPairRequest(region, "web-1"))
        for region in (REGION, OTHER_REGION)
    ]
    created.append(
        backend.create_key_pair(CreateKeyPairRequest(REGION, "web-2", tags=(Tag("env", "prod"),)))
    )
    stored = b"".join(files_under(backend.store.home).values())
    assert b"PRIVATE KEY" not in stored
    views = decoded_views(stored)
    for key in created:
        assert key.public_key.line.encode("ascii") in stored
        # A PEM line may encode only the public modulus, which the public key holds too.
        for line in key.private_key_pem.strip().splitlines()[1:-1]:
            assert line in key.public_key.line or line.encode("ascii") not in stored
        for secret in private_numbers(key.private_key_pem):
            for start in range(0, len(secret) - 16, 16):
                piece = secret[start : start + 16]
                assert not any(piece in view for view in views), "a secret number is stored"


# -- the read cache (one stat per read) --


def swap_names(home: str, ready_key: GeneratedKey, old: str, new: str) -> None:
    """In another process: replace a name with another of the same length (same file size)."""
    backend = LocalBackend(KeyPairStore(Path(home)), generate=lambda: ready_key)
    backend.delete_key_pairs(DeleteKeyPairsRequest(REGION, (old,)))
    backend.create_key_pair(CreateKeyPairRequest(REGION, new))


def test_another_process_writes_are_seen_even_at_the_same_size(
    fast_service: LocalBackend, ready_key: GeneratedKey
) -> None:
    fork = multiprocessing.get_context("fork")
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "aa-00"))
    path = fast_service.store.region_path(REGION)
    size = path.stat().st_size
    for round_number in range(1, 21):
        old, new = f"aa-{round_number - 1:02d}", f"aa-{round_number:02d}"
        assert fast_service.store.name_exists(REGION, old)  # cached in this process
        home = str(fast_service.store.home)
        child = fork.Process(target=swap_names, args=(home, ready_key, old, new))
        child.start()
        child.join()
        assert child.exitcode == 0
        assert path.stat().st_size == size
        assert not fast_service.store.name_exists(REGION, old)
        assert fast_service.store.name_exists(REGION, new)
        assert fast_service.check_name(REGION, new) is not None


def test_every_write_gets_a_later_mtime_even_when_the_clock_stands_still(
    fast_service: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "first"))
    path = fast_service.store.region_path(REGION)
    stopped = path.stat().st_mtime_ns - 10**9  # a clock that stands still, in the past
    monkeypatch.setattr(storage, "time", SimpleNamespace(time_ns=lambda: stopped))
    times = [path.stat().st_mtime_ns]
    for number in range(5):
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, f"k{number}"))
        times.append(path.stat().st_mtime_ns)
    assert times == [times[0] + step for step in range(6)]


def described(service: LocalBackend, name: str) -> list[tuple[str, tuple[Tag, ...]]]:
    page = service.describe_key_pairs(DescribeKeyPairsRequest(REGION, name))
    return [(record.key_pair_name, record.tags) for record in page.key_pairs]


def test_the_records_read_follow_every_write_of_another_store_object(
    fast_service: LocalBackend, ready_key: GeneratedKey
) -> None:
    other = LocalBackend(KeyPairStore(fast_service.store.home), generate=lambda: ready_key)
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
    assert described(fast_service, "web-1") == [("web-1", ())]
    assert described(fast_service, "web-*") == [("web-1", ())]
    other.tag_resources(
        TagResourcesRequest(REGION, KEYPAIR_RESOURCE_TYPE, ("web-1",), (Tag("env", "prod"),))
    )
    assert described(fast_service, "web-1") == [("web-1", (Tag("env", "prod"),))]
    assert fast_service.store.key_pairs(REGION)[0].tags == (Tag("env", "prod"),)
    other.delete_key_pairs(DeleteKeyPairsRequest(REGION, ("web-1",)))
    assert described(fast_service, "web-1") == []
    assert fast_service.store.key_pairs(REGION) == []
    assert not fast_service.check_name(REGION, "web-1")


def test_a_name_stored_twice_by_hand_is_described_twice(fast_service: LocalBackend) -> None:
    first, second = a_document(KeyPairId="ssh-1"), a_document(KeyPairId="ssh-2")
    path = fast_service.store.region_path(REGION)
    path.write_bytes(region_file(keypairs={"1": first, "2": second}))
    page = fast_service.describe_key_pairs(DescribeKeyPairsRequest(REGION, "stored"))
    assert [record.key_pair_id for record in page.key_pairs] == ["ssh-1", "ssh-2"]
    assert page.total_count == 2
