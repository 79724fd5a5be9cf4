"""CreateKeyPair through LocalBackend: every error code of its table with its status, the
order in which they are reported, and the success body field for field."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from ecs_keypair.contract.api_requests import (
    CreateKeyPairRequest,
    CreateResourceGroupRequest,
    DeleteKeyPairsRequest,
    DescribeKeyPairsRequest,
)
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

from tests.support.engine import (
    CREATE_KEY_PAIR_FIELDS,
    CREATION_TIME,
    KEY_PAIR_ID,
    MD5_FINGERPRINT,
    OTHER_REGION,
    REGION,
    REQUEST_ID,
    api_error_of,
    assert_api_error,
)


class CountingGenerator:
    """Hands out one ready key and counts the calls: a refused request must not pay for a key."""

    def __init__(self, key: GeneratedKey) -> None:
        self.key = key
        self.calls = 0

    def __call__(self) -> GeneratedKey:
        self.calls += 1
        return self.key


@pytest.fixture
def generator(ready_key: GeneratedKey) -> CountingGenerator:
    return CountingGenerator(ready_key)


@pytest.fixture
def counted_service(store: KeyPairStore, generator: CountingGenerator) -> LocalBackend:
    return LocalBackend(store, generate=generator)


def refused(
    backend: LocalBackend,
    region_id: str | None,
    key_pair_name: str | None,
    resource_group_id: str | None = None,
    tags: tuple[Tag, ...] = (),
) -> ApiError:
    """The error CreateKeyPair answers for these parameters."""
    request = CreateKeyPairRequest(region_id, key_pair_name, resource_group_id, tags)
    return api_error_of(lambda: backend.create_key_pair(request))


@pytest.mark.parametrize(
    ("region", "name", "tags", "code", "field"),
    [
        (REGION, "1abc", (), "InvalidKeyPairName.Malformed", "KeyPairName"),
        (REGION, "a", (), "InvalidKeyPairName.Malformed", "KeyPairName"),
        (REGION, "https://x", (), "InvalidKeyPairName.Malformed", "KeyPairName"),
        (REGION, "ok", (Tag("env"), Tag("env")), "Duplicate.TagKey", "Tag.1.Key"),
        (REGION, "ok", (Tag("acs:env"),), "InvalidTagKey.Malformed", "Tag.1.Key"),
        (REGION, "ok", (Tag(""),), "InvalidTagKey.Malformed", "Tag.1.Key"),
        (REGION, "ok", (Tag("env", "acs:prod"),), "InvalidTagValue.Malformed", "Tag.1.Value"),
        (REGION, "ok", tuple(Tag(f"k{n}") for n in range(21)), "QuotaExceed.Tags", "Tag"),
        ("cn-nowhere", "ok", (), "InvalidRegionId.NotFound", "RegionId"),
        (None, "ok", (), "MissingParameter", "RegionId"),
        ("", "ok", (), "MissingParameter", "RegionId"),
        (REGION, None, (), "MissingParameter", "KeyPairName"),
        (REGION, "", (), "MissingParameter", "KeyPairName"),
    ],
)
def test_request_errors_are_refused_before_a_key_is_generated(
    counted_service: LocalBackend,
    generator: CountingGenerator,
    region: str | None,
    name: str | None,
    tags: tuple[Tag, ...],
    code: str,
    field: str,
) -> None:
    assert_api_error(refused(counted_service, region, name, tags=tags), code, field)
    assert generator.calls == 0
    assert counted_service.count_key_pairs(REGION) == 0


def test_missing_parameter_names_the_parameter(fast_service: LocalBackend) -> None:
    error = refused(fast_service, REGION, None)
    assert error.message == (
        'The input parameter "KeyPairName" that is mandatory for processing this request '
        "is not supplied."
    )


def test_an_unknown_resource_group_is_not_found(
    counted_service: LocalBackend, generator: CountingGenerator
) -> None:
    error = refused(counted_service, REGION, "ok", resource_group_id="rg-aaaaaaaaaaaaaaa")
    assert_api_error(error, "InvalidResourceGroup.NotFound", "ResourceGroupId")
    assert generator.calls == 0


def test_a_taken_name_already_exists(
    counted_service: LocalBackend, generator: CountingGenerator
) -> None:
    counted_service.create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
    error = assert_api_error(refused(counted_service, REGION, "web-1"), "KeyPair.AlreadyExist")
    assert error.field == "KeyPairName"
    assert REGION in error.reason
    assert generator.calls == 1
    assert counted_service.count_key_pairs(REGION) == 1


def test_the_same_name_in_another_region_is_fine(fast_service: LocalBackend) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
    fast_service.create_key_pair(CreateKeyPairRequest(OTHER_REGION, "web-1"))
    assert fast_service.count_key_pairs(REGION) == 1
    assert fast_service.count_key_pairs(OTHER_REGION) == 1


def test_names_differ_by_case(fast_service: LocalBackend) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "Web"))
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "web"))
    assert fast_service.count_key_pairs(REGION) == 2


def test_a_full_region_exceeds_the_quota(home: Path, ready_key: GeneratedKey) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=2), generate=lambda: ready_key)
    backend.create_key_pair(CreateKeyPairRequest(REGION, "k1"))
    backend.create_key_pair(CreateKeyPairRequest(REGION, "k2"))
    error = assert_api_error(refused(backend, REGION, "k3"), "QuotaExceed.KeyPair", "RegionId")
    assert "2" in error.reason
    assert backend.count_key_pairs(REGION) == 2
    backend.create_key_pair(CreateKeyPairRequest(OTHER_REGION, "k3"))  # the quota is per region


def test_quota_zero_refuses_every_create(home: Path, ready_key: GeneratedKey) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=0), generate=lambda: ready_key)
    assert_api_error(refused(backend, REGION, "k1"), "QuotaExceed.KeyPair")


def test_deleting_frees_quota(home: Path, ready_key: GeneratedKey) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=1), generate=lambda: ready_key)
    backend.create_key_pair(CreateKeyPairRequest(REGION, "k1"))
    backend.delete_key_pairs(DeleteKeyPairsRequest(REGION, ("k1",)))
    backend.create_key_pair(CreateKeyPairRequest(REGION, "k2"))
    assert [r.key_pair_name for r in backend.store.key_pairs(REGION)] == ["k2"]


# The order of the checks: the request's own form first (region, name, tags), then what it
# refers to (resource group), then the region's state (name taken, then quota).


def test_region_is_reported_before_name_and_tags(fast_service: LocalBackend) -> None:
    error = refused(fast_service, "cn-nowhere", "1x", tags=(Tag("acs:x"),))
    assert_api_error(error, "InvalidRegionId.NotFound")


def test_name_is_reported_before_tags(fast_service: LocalBackend) -> None:
    error = refused(fast_service, REGION, "1x", tags=tuple(Tag(f"k{n}") for n in range(30)))
    assert_api_error(error, "InvalidKeyPairName.Malformed")


def test_request_form_is_reported_before_the_resource_group(fast_service: LocalBackend) -> None:
    error = refused(fast_service, REGION, "ok", "rg-aaaaaaaaaaaaaaa", (Tag("env"), Tag("env")))
    assert_api_error(error, "Duplicate.TagKey")


def test_resource_group_is_reported_before_a_taken_name(fast_service: LocalBackend) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "taken"))
    error = refused(fast_service, REGION, "taken", resource_group_id="rg-aaaaaaaaaaaaaaa")
    assert_api_error(error, "InvalidResourceGroup.NotFound")


def test_a_taken_name_is_reported_before_a_full_region(
    home: Path, ready_key: GeneratedKey
) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=1), generate=lambda: ready_key)
    backend.create_key_pair(CreateKeyPairRequest(REGION, "taken"))
    assert_api_error(refused(backend, REGION, "taken"), "KeyPair.AlreadyExist")
    assert_api_error(refused(backend, REGION, "other"), "QuotaExceed.KeyPair")


def test_error_body_has_the_api_fields(fast_service: LocalBackend) -> None:
    error = refused(fast_service, REGION, "1x")
    body = error.body("6BE56E05-2A3B-4C5D-9E8F-FD90C4FFD581", "ecs.cn-hangzhou.aliyuncs.com")
    assert body == {
        "RequestId": "6BE56E05-2A3B-4C5D-9E8F-FD90C4FFD581",
        "HostId": "ecs.cn-hangzhou.aliyuncs.com",
        "Code": "InvalidKeyPairName.Malformed",
        "Message": "Specified Key Pair name is not valid.",
        "HttpStatusCode": 400,
    }


# -- success --


def md5_of_private_key(pem: str) -> str:
    """The RFC 4716 MD5 fingerprint, computed here from the private key alone."""
    private_key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    line = private_key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    digest = hashlib.md5(base64.b64decode(line.split()[1])).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def test_success_body_is_the_api_shape_with_a_real_key(backend: LocalBackend) -> None:
    created = backend.create_key_pair(CreateKeyPairRequest(REGION, "testKeyPairName"))
    body = created.body()
    assert list(body) == CREATE_KEY_PAIR_FIELDS
    assert all(isinstance(value, str) for value in body.values())
    assert body["KeyPairName"] == "testKeyPairName"
    assert KEY_PAIR_ID.fullmatch(body["KeyPairId"])
    assert REQUEST_ID.fullmatch(body["RequestId"])
    assert body["PrivateKeyBody"].startswith("-----BEGIN PRIVATE KEY-----\n")
    assert body["PrivateKeyBody"].rstrip("\n").endswith("-----END PRIVATE KEY-----")
    assert MD5_FINGERPRINT.fullmatch(body["KeyPairFingerPrint"])
    assert body["KeyPairFingerPrint"] == md5_of_private_key(body["PrivateKeyBody"])


def test_the_screens_get_the_public_line_and_sha256(fast_service: LocalBackend) -> None:
    created = fast_service.create_key_pair(CreateKeyPairRequest(REGION, "screens"))
    assert created.public_key.line.startswith("ssh-rsa AAAA")
    assert created.public_key.sha256_fingerprint.startswith("SHA256:")
    assert created.private_key_pem == created.body()["PrivateKeyBody"]
    assert "PRIVATE" not in repr(created), "the secret stays out of reprs and tracebacks"


def test_ids_and_request_ids_are_new_every_call(fast_service: LocalBackend) -> None:
    bodies = [
        fast_service.create_key_pair(CreateKeyPairRequest(REGION, f"k{n}")).body()
        for n in range(20)
    ]
    assert len({body["KeyPairId"] for body in bodies}) == 20
    request_ids = [body["RequestId"] for body in bodies]
    request_ids += [
        fast_service.describe_key_pairs(DescribeKeyPairsRequest(REGION)).body()["RequestId"]
        for _ in range(5)
    ]
    assert len(set(request_ids)) == 25
    assert all(REQUEST_ID.fullmatch(request_id) for request_id in request_ids)


def test_the_stored_record_matches_the_body(fast_service: LocalBackend) -> None:
    tags = (Tag("env", "prod"), Tag("team", ""))
    body = fast_service.create_key_pair(CreateKeyPairRequest(REGION, "web-1", tags=tags)).body()
    (item,) = fast_service.describe_key_pairs(DescribeKeyPairsRequest(REGION)).body()["KeyPairs"][
        "KeyPair"
    ]
    assert item["KeyPairName"] == "web-1"
    assert item["KeyPairFingerPrint"] == body["KeyPairFingerPrint"]
    assert CREATION_TIME.fullmatch(item["CreationTime"])
    assert item["Tags"] == {
        "Tag": [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": ""}]
    }
    (record,) = fast_service.store.key_pairs(REGION)
    assert record.key_pair_id == body["KeyPairId"]


def test_without_a_resource_group_the_default_one_is_used(fast_service: LocalBackend) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
    (record,) = fast_service.store.key_pairs(REGION)
    assert record.resource_group_id == fast_service.store.default_resource_group().id


def test_a_given_resource_group_is_kept(fast_service: LocalBackend) -> None:
    group = fast_service.create_resource_group(
        CreateResourceGroupRequest("web-team", "Web team")
    ).body()["ResourceGroup"]
    fast_service.create_key_pair(
        CreateKeyPairRequest(REGION, "web-1", resource_group_id=group["Id"])
    )
    (record,) = fast_service.store.key_pairs(REGION)
    assert record.resource_group_id == group["Id"]


def test_a_generator_failure_stores_nothing(store: KeyPairStore) -> None:
    def broken() -> GeneratedKey:
        raise RuntimeError("the entropy source failed")

    backend = LocalBackend(store, generate=broken)
    with pytest.raises(RuntimeError, match="entropy"):
        backend.create_key_pair(CreateKeyPairRequest(REGION, "web-1"))
    assert not store.name_exists(REGION, "web-1")


# -- the live name check of the form --


@pytest.mark.parametrize(
    ("region", "name", "code"),
    [
        (REGION, "1x", "InvalidKeyPairName.Malformed"),
        (REGION, "", "MissingParameter"),
        ("cn-nowhere", "ok", "InvalidRegionId.NotFound"),
        (REGION, "taken", "KeyPair.AlreadyExist"),
    ],
)
def test_check_name_gives_the_verdict_the_create_would(
    fast_service: LocalBackend, region: str, name: str, code: str
) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "taken"))
    assert_api_error(fast_service.check_name(region, name), code)
    assert_api_error(refused(fast_service, region, name), code)


def test_check_name_accepts_a_free_name_and_a_taken_one_elsewhere(
    fast_service: LocalBackend,
) -> None:
    fast_service.create_key_pair(CreateKeyPairRequest(REGION, "taken"))
    assert fast_service.check_name(REGION, "free") is None
    assert fast_service.check_name(OTHER_REGION, "taken") is None


def test_every_real_create_gets_its_own_key(backend: LocalBackend) -> None:
    first = backend.create_key_pair(CreateKeyPairRequest(REGION, "first")).body()
    second = backend.create_key_pair(CreateKeyPairRequest(REGION, "second")).body()
    assert first["PrivateKeyBody"] != second["PrivateKeyBody"]
    assert first["KeyPairFingerPrint"] != second["KeyPairFingerPrint"]
