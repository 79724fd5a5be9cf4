"""The neighbouring APIs through LocalBackend: ImportKeyPair, DeleteKeyPairs, DescribeKeyPairs,
DescribeRegions, and the resource groups, with the spec README's shapes and errors."""

from __future__ import annotations

import base64
import hashlib
import json
import signal
import struct
import warnings
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract.actions import ACTIONS, call
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend, TagFilter
from ecs_keypair.store.store import KeyPairStore

from tests.support.engine import (
    CREATION_TIME,
    DESCRIBE_KEY_PAIRS_FIELDS,
    OTHER_REGION,
    REGION,
    REQUEST_ID,
    RESOURCE_GROUP_ID,
    api_error_of,
    assert_api_error,
    key_pair_item_fields,
)

SPEC_REGIONS = [
    ("cn-qingdao", "China (Qingdao)"),
    ("cn-beijing", "China (Beijing)"),
    ("cn-zhangjiakou", "China (Zhangjiakou)"),
    ("cn-huhehaote", "China (Hohhot)"),
    ("cn-wulanchabu", "China (Ulanqab)"),
    ("cn-hangzhou", "China (Hangzhou)"),
    ("cn-shanghai", "China (Shanghai)"),
    ("cn-nanjing", "China (Nanjing - Local Region)"),
    ("cn-fuzhou", "China (Fuzhou - Local Region)"),
    ("cn-shenzhen", "China (Shenzhen)"),
    ("cn-heyuan", "China (Heyuan)"),
    ("cn-guangzhou", "China (Guangzhou)"),
    ("cn-chengdu", "China (Chengdu)"),
    ("cn-hongkong", "China (Hong Kong)"),
    ("ap-northeast-1", "Japan (Tokyo)"),
    ("ap-northeast-2", "South Korea (Seoul)"),
    ("ap-southeast-1", "Singapore"),
    ("ap-southeast-3", "Malaysia (Kuala Lumpur)"),
    ("ap-southeast-5", "Indonesia (Jakarta)"),
    ("ap-southeast-6", "Philippines (Manila)"),
    ("ap-southeast-7", "Thailand (Bangkok)"),
    ("us-west-1", "US (Silicon Valley)"),
    ("us-east-1", "US (Virginia)"),
    ("eu-central-1", "Germany (Frankfurt)"),
    ("eu-west-1", "UK (London)"),
    ("me-east-1", "UAE (Dubai)"),
    ("me-central-1", "Saudi Arabia (Riyadh)"),
]


# -- ImportKeyPair --


def openssh_line(private_key: serialization.SSHPrivateKeyTypes) -> str:
    public = private_key.public_key()
    return public.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")


@pytest.fixture(scope="module")
def public_lines() -> dict[str, str]:
    """One OpenSSH public key line of every supported type, made by cryptography."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DSA is deprecated in cryptography
        dss = dsa.generate_private_key(1024)
    return {
        "ssh-rsa": openssh_line(rsa.generate_private_key(65537, 2048)),
        "ssh-dss": openssh_line(dss),
        "ecdsa-sha2-nistp256": openssh_line(ec.generate_private_key(ec.SECP256R1())),
        "ecdsa-sha2-nistp384": openssh_line(ec.generate_private_key(ec.SECP384R1())),
        "ecdsa-sha2-nistp521": openssh_line(ec.generate_private_key(ec.SECP521R1())),
        "ssh-ed25519": openssh_line(ed25519.Ed25519PrivateKey.generate()),
    }


def blob_of(line: str) -> bytes:
    return base64.b64decode(line.split()[1])


def ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def line_of(key_type: str, blob: bytes) -> str:
    return f"{key_type} {base64.b64encode(blob).decode('ascii')}"


def md5_colons(blob: bytes) -> str:
    digest = hashlib.md5(blob).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


@pytest.mark.parametrize(
    "key_type",
    [
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "ssh-ed25519",
    ],
)
def test_every_supported_type_imports(
    backend: LocalBackend, public_lines: dict[str, str], key_type: str
) -> None:
    line = public_lines[key_type]
    body = backend.import_key_pair(
        rq.ImportKeyPairRequest(REGION, "imported", f"{line} someone@host\n")
    ).body()
    assert list(body) == ["RequestId", "KeyPairName", "KeyPairFingerPrint"]
    assert REQUEST_ID.fullmatch(body["RequestId"])
    assert body["KeyPairName"] == "imported"
    assert body["KeyPairFingerPrint"] == md5_colons(blob_of(line))
    listed = backend.describe_key_pairs(rq.DescribeKeyPairsRequest(REGION, include_public_key=True))
    (item,) = listed.body()["KeyPairs"]["KeyPair"]
    assert item["PublicKey"] == line, "stored without the comment"


def test_import_keeps_tags_and_group(backend: LocalBackend, public_lines: dict[str, str]) -> None:
    group = backend.create_resource_group(
        rq.CreateResourceGroupRequest("imports", "Imports")
    ).body()["ResourceGroup"]["Id"]
    backend.import_key_pair(
        rq.ImportKeyPairRequest(
            REGION, "imported", public_lines["ssh-ed25519"], group, (Tag("env", "dev"),)
        )
    ).body()
    (record,) = backend.store.key_pairs(REGION)
    assert record.resource_group_id == group
    assert record.tags == (Tag("env", "dev"),)


def sk_ed25519_line(public_lines: dict[str, str]) -> str:
    point = blob_of(public_lines["ssh-ed25519"])[-32:]
    key_type = b"sk-ssh-ed25519@openssh.com"
    blob = ssh_string(key_type) + ssh_string(point) + ssh_string(b"ssh:")
    return line_of(key_type.decode(), blob)


def compressed_p256_line(public_lines: dict[str, str]) -> str:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    )
    blob = ssh_string(b"ecdsa-sha2-nistp256") + ssh_string(b"nistp256") + ssh_string(point)
    return line_of("ecdsa-sha2-nistp256", blob)


MALFORMED_BODIES = {
    "a security-key type": lambda lines: sk_ed25519_line(lines),
    "a certificate type": lambda lines: "ssh-ed25519-cert-v01@openssh.com AAAA",
    "an unknown type": lambda lines: "ssh-ed448 AAAA",
    "bad base64": lambda lines: "ssh-ed25519 AAAA$$$$",
    "missing padding": lambda lines: lines["ecdsa-sha2-nistp256"].rstrip("="),
    "an inner type that differs": lambda lines: line_of("ssh-rsa", blob_of(lines["ssh-ed25519"])),
    "a truncated ed25519 key": lambda lines: line_of(
        "ssh-ed25519", blob_of(lines["ssh-ed25519"])[:-5]
    ),
    "a truncated rsa key": lambda lines: line_of("ssh-rsa", blob_of(lines["ssh-rsa"])[:100]),
    "a blob of four bytes": lambda lines: line_of("ssh-rsa", b"\x00\x00\x00\x07"),
    "a compressed ecdsa point": compressed_p256_line,
    "no key data": lambda lines: "ssh-ed25519",
    "two keys": lambda lines: lines["ssh-ed25519"] + "\n" + lines["ssh-rsa"],
    "a private key": lambda lines: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END",
    "a fingerprint": lambda lines: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
}


@pytest.mark.parametrize("case", list(MALFORMED_BODIES))
def test_malformed_public_keys_are_refused(
    backend: LocalBackend, public_lines: dict[str, str], case: str
) -> None:
    body = MALFORMED_BODIES[case](public_lines)
    error = api_error_of(
        lambda: backend.import_key_pair(rq.ImportKeyPairRequest(REGION, "imported", body)).body()
    )
    assert_api_error(error, "InvalidPublicKeyBody.Malformed", "PublicKeyBody")
    assert backend.count_key_pairs(REGION) == 0


@pytest.mark.parametrize("body", [None, "", "   \n"])
def test_a_missing_public_key_is_a_missing_parameter(
    backend: LocalBackend, body: str | None
) -> None:
    error = api_error_of(
        lambda: backend.import_key_pair(rq.ImportKeyPairRequest(REGION, "imported", body)).body()
    )
    assert_api_error(error, "MissingParameter", "PublicKeyBody")


def test_import_applies_the_create_rules(
    backend: LocalBackend, public_lines: dict[str, str]
) -> None:
    line = public_lines["ssh-ed25519"]
    checks = [
        (rq.ImportKeyPairRequest("cn-nowhere", "ok", line), "InvalidRegionId.NotFound"),
        (rq.ImportKeyPairRequest(REGION, "1x", line), "InvalidKeyPairName.Malformed"),
        (
            rq.ImportKeyPairRequest(REGION, "ok", line, None, (Tag("aliyun"),)),
            "InvalidTagKey.Malformed",
        ),
        (
            rq.ImportKeyPairRequest(REGION, "ok", line, "rg-aaaaaaaaaaaaaaa"),
            "InvalidResourceGroup.NotFound",
        ),
    ]
    for request, code in checks:
        assert_api_error(
            api_error_of(lambda: backend.import_key_pair(request).body()),
            code,
        )
    backend.import_key_pair(rq.ImportKeyPairRequest(REGION, "taken", line))
    error = api_error_of(
        lambda: backend.import_key_pair(
            rq.ImportKeyPairRequest(REGION, "taken", public_lines["ssh-rsa"])
        ).body()
    )
    assert_api_error(error, "KeyPair.AlreadyExist")
    backend.import_key_pair(rq.ImportKeyPairRequest(OTHER_REGION, "taken", line))


def test_import_respects_the_quota(home: Path, public_lines: dict[str, str]) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=1))
    backend.import_key_pair(rq.ImportKeyPairRequest(REGION, "one", public_lines["ssh-ed25519"]))
    error = api_error_of(
        lambda: backend.import_key_pair(
            rq.ImportKeyPairRequest(REGION, "two", public_lines["ssh-rsa"])
        ).body()
    )
    assert_api_error(error, "QuotaExceed.KeyPair")


# -- DeleteKeyPairs --


@pytest.fixture
def three(fast_service: LocalBackend) -> LocalBackend:
    for name in ("a1", "b2", "c3"):
        fast_service.create_key_pair(rq.CreateKeyPairRequest(REGION, name))
    fast_service.create_key_pair(rq.CreateKeyPairRequest(OTHER_REGION, "a1"))
    return fast_service


def names_in(backend: LocalBackend, region: str = REGION) -> list[str]:
    return [record.key_pair_name for record in backend.store.key_pairs(region)]


def test_delete_removes_the_named_pairs_of_the_region_only(three: LocalBackend) -> None:
    body = three.delete_key_pairs(
        rq.DeleteKeyPairsRequest(REGION, ("a1", "c3", "not-there"))
    ).body()
    assert list(body) == ["RequestId"]
    assert REQUEST_ID.fullmatch(body["RequestId"])
    assert names_in(three) == ["b2"]
    assert names_in(three, OTHER_REGION) == ["a1"]


def test_delete_takes_100_names(three: LocalBackend) -> None:
    names = ["b2"] + [f"n{number}" for number in range(99)]
    three.delete_key_pairs(rq.DeleteKeyPairsRequest(REGION, tuple(names)))
    assert names_in(three) == ["a1", "c3"]


@pytest.mark.parametrize(
    "value",
    [
        "[]",
        json.dumps([f"n{number}" for number in range(101)]),
        '"a1"',
        '{"a1": true}',
        "a1",
        "a1,b2",
        "[a1]",
        "[1]",
        '["a1", 2]',
        '["a1", null]',
        '[""]',
        '[["a1"]]',
        "null",
        "[" * 100_000,
        "[" + "1" * 5000 + "]",
    ],
)
def test_delete_refuses_anything_but_1_to_100_names(three: LocalBackend, value: str) -> None:
    error = api_error_of(lambda: delete_as_sent(three, value))
    error = assert_api_error(error, "InvalidKeyPairNames.ValueNotSupported", "KeyPairNames")
    assert error.message == "The specified parameter KeyPairNames is not supported."
    assert names_in(three) == ["a1", "b2", "c3"]


def delete_as_sent(backend: LocalBackend, value: str | None) -> object:
    """DeleteKeyPairs as a request sends it: ``KeyPairNames`` as text, read by the table."""
    flat = {"RegionId": REGION} if value is None else {"RegionId": REGION, "KeyPairNames": value}
    return call(backend, ACTIONS["DeleteKeyPairs"], flat)


@pytest.mark.parametrize("value", [None, ""])
def test_delete_without_names_is_a_missing_parameter(
    three: LocalBackend, value: str | None
) -> None:
    error = api_error_of(lambda: delete_as_sent(three, value))
    assert_api_error(error, "MissingParameter", "KeyPairNames")


def test_delete_checks_the_region(three: LocalBackend) -> None:
    error = api_error_of(
        lambda: three.delete_key_pairs(rq.DeleteKeyPairsRequest("cn-nowhere", ("a1",))).body()
    )
    assert_api_error(error, "InvalidRegionId.NotFound")
    error = api_error_of(
        lambda: three.delete_key_pairs(rq.DeleteKeyPairsRequest(None, ("a1",))).body()
    )
    assert_api_error(error, "MissingParameter", "RegionId")


# -- DescribeKeyPairs --


def described(
    backend: LocalBackend,
    *,
    key_pair_name: str | None = None,
    fingerprint: str | None = None,
    resource_group_id: str | None = None,
    tags: tuple[TagFilter, ...] = (),
) -> list[str]:
    """The names DescribeKeyPairs lists in REGION with these filters."""
    request = rq.DescribeKeyPairsRequest(
        REGION, key_pair_name, fingerprint, resource_group_id, tags
    )
    body = backend.describe_key_pairs(request).body()
    return [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]]


@pytest.fixture
def named(fast_service: LocalBackend) -> LocalBackend:
    for name in ("abc", "abcdef", "xabc", "xabcx", "ab", "zzz"):
        fast_service.create_key_pair(rq.CreateKeyPairRequest(REGION, name))
    return fast_service


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("abc", ["abc"]),
        ("abc*", ["abc", "abcdef"]),
        ("*abc", ["abc", "xabc"]),
        ("*abc*", ["abc", "abcdef", "xabc", "xabcx"]),
        ("a*c", ["abc"]),
        ("*", ["abc", "abcdef", "xabc", "xabcx", "ab", "zzz"]),
        ("**", ["abc", "abcdef", "xabc", "xabcx", "ab", "zzz"]),
        ("a.c", []),  # a dot is a dot, not any character
        ("ab", ["ab"]),
        ("ABC", []),
        ("nothing*", []),
    ],
)
def test_name_filter_exact_and_wildcards(
    named: LocalBackend, pattern: str, expected: list[str]
) -> None:
    assert described(named, key_pair_name=pattern) == expected


def test_many_wildcards_against_long_names_answer(fast_service: LocalBackend) -> None:
    """A pattern like '*a*a*…*b' once made the name filter backtrack exponentially (it hung)."""
    fast_service.create_key_pair(rq.CreateKeyPairRequest(REGION, "a" * 128))

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the wildcard filter did not answer within a minute")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)  # a guard against a hang, not a timing: the fixed filter takes microseconds
    try:
        assert described(fast_service, key_pair_name="*a" * 30 + "*b") == []
        assert described(fast_service, key_pair_name="*a" * 30 + "*") == ["a" * 128]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def distinct(backend: LocalBackend) -> LocalBackend:
    """Three pairs with real (distinct) keys, tags, and one in a group of its own."""
    group = backend.create_resource_group(rq.CreateResourceGroupRequest("team-a", "Team A")).body()[
        "ResourceGroup"
    ]["Id"]
    backend.create_key_pair(
        rq.CreateKeyPairRequest(REGION, "k1", tags=(Tag("env", "prod"), Tag("team", "a")))
    )
    backend.create_key_pair(rq.CreateKeyPairRequest(REGION, "k2", tags=(Tag("env", "prod"),)))
    backend.create_key_pair(
        rq.CreateKeyPairRequest(REGION, "k3", group, tags=(Tag("env", "dev"), Tag("team", "a")))
    )
    return backend


def test_fingerprint_filter(distinct: LocalBackend) -> None:
    k2 = next(r for r in distinct.store.key_pairs(REGION) if r.key_pair_name == "k2")
    assert described(distinct, fingerprint=k2.fingerprint) == ["k2"]
    assert described(distinct, fingerprint="00:" * 15 + "00") == []


def test_resource_group_filter(distinct: LocalBackend) -> None:
    groups = {group.name: group.id for group in distinct.resource_groups()}
    assert described(distinct, resource_group_id=groups["team-a"]) == ["k3"]
    assert described(distinct, resource_group_id=groups["default"]) == ["k1", "k2"]
    assert described(distinct, resource_group_id="rg-aaaaaaaaaaaaaaa") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((TagFilter("env", "prod"),), ["k1", "k2"]),
        ((TagFilter("env", "prod"), TagFilter("team", "a")), ["k1"]),
        ((TagFilter("team"),), ["k1", "k3"]),
        ((TagFilter("env"),), ["k1", "k2", "k3"]),
        ((TagFilter("env", ""),), []),
        ((TagFilter("env", "dev"), TagFilter("team", "b")), []),
        ((TagFilter("owner"),), []),
    ],
)
def test_tag_filters_must_all_match(
    distinct: LocalBackend, filters: tuple[TagFilter, ...], expected: list[str]
) -> None:
    assert described(distinct, tags=filters) == expected


def test_filters_combine(distinct: LocalBackend) -> None:
    assert described(distinct, key_pair_name="k*", tags=(TagFilter("team", "a"),)) == ["k1", "k3"]
    assert described(distinct, key_pair_name="*2", tags=(TagFilter("team", "a"),)) == []


def test_describe_body_shape(distinct: LocalBackend) -> None:
    request = rq.DescribeKeyPairsRequest(REGION, key_pair_name="k1", include_public_key=True)
    body = distinct.describe_key_pairs(request).body()
    assert list(body) == DESCRIBE_KEY_PAIRS_FIELDS
    assert REQUEST_ID.fullmatch(body["RequestId"])
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    (item,) = body["KeyPairs"]["KeyPair"]
    assert list(item) == key_pair_item_fields(public_key=True)
    assert CREATION_TIME.fullmatch(item["CreationTime"])
    assert RESOURCE_GROUP_ID.fullmatch(item["ResourceGroupId"])
    assert item["PublicKey"].startswith("ssh-rsa AAAA")
    assert item["Tags"] == {
        "Tag": [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": "a"}]
    }


def test_describe_an_empty_region(fast_service: LocalBackend) -> None:
    body = fast_service.describe_key_pairs(rq.DescribeKeyPairsRequest("me-central-1")).body()
    assert body["TotalCount"] == 0
    assert body["KeyPairs"] == {"KeyPair": []}


@pytest.fixture
def fifty_one(fast_service: LocalBackend) -> LocalBackend:
    for number in range(51):
        fast_service.create_key_pair(rq.CreateKeyPairRequest(REGION, f"key-{number:02d}"))
    return fast_service


def page(backend: LocalBackend, number: int | None, size: int | None) -> tuple[int, list[str]]:
    body = backend.describe_key_pairs(
        rq.DescribeKeyPairsRequest(REGION, page_number=number, page_size=size)
    ).body()
    return body["TotalCount"], [item["KeyPairName"] for item in body["KeyPairs"]["KeyPair"]]


def test_paging_sizes_1_and_50(fifty_one: LocalBackend) -> None:
    assert page(fifty_one, 1, 1) == (51, ["key-00"])
    assert page(fifty_one, 51, 1) == (51, ["key-50"])
    assert page(fifty_one, 52, 1) == (51, [])
    total, first = page(fifty_one, 1, 50)
    assert (total, len(first), first[0], first[-1]) == (51, 50, "key-00", "key-49")
    assert page(fifty_one, 2, 50) == (51, ["key-50"])


def test_paging_defaults_to_page_1_of_10(fifty_one: LocalBackend) -> None:
    body = fifty_one.describe_key_pairs(rq.DescribeKeyPairsRequest(REGION)).body()
    assert (body["PageNumber"], body["PageSize"]) == (1, 10)
    assert page(fifty_one, None, None) == (51, [f"key-{n:02d}" for n in range(10)])


@pytest.mark.parametrize(
    ("number", "size", "field"),
    [(1, 0, "PageSize"), (1, 51, "PageSize"), (1, -5, "PageSize"), (0, 10, "PageNumber")],
)
def test_paging_out_of_range_is_an_invalid_parameter(
    fast_service: LocalBackend, number: int, size: int, field: str
) -> None:
    error = api_error_of(lambda: page(fast_service, number, size))
    assert_api_error(error, "InvalidParameter", field)
    assert error.message == f'The specified parameter "{field}" is not valid.'


def test_describe_checks_the_region(fast_service: LocalBackend) -> None:
    assert_api_error(
        api_error_of(
            lambda: fast_service.describe_key_pairs(rq.DescribeKeyPairsRequest("cn-nowhere")).body()
        ),
        "InvalidRegionId.NotFound",
    )
    assert_api_error(
        api_error_of(
            lambda: fast_service.describe_key_pairs(rq.DescribeKeyPairsRequest(None)).body()
        ),
        "MissingParameter",
        "RegionId",
    )


# -- DescribeRegions --


def test_describe_regions_lists_the_spec_regions_in_order(fast_service: LocalBackend) -> None:
    body = fast_service.describe_regions(rq.DescribeRegionsRequest()).body()
    assert list(body) == ["RequestId", "Regions"]
    assert REQUEST_ID.fullmatch(body["RequestId"])
    assert body["Regions"]["Region"] == [
        {"RegionId": region, "LocalName": name, "RegionEndpoint": f"ecs.{region}.aliyuncs.com"}
        for region, name in SPEC_REGIONS
    ]


# -- resource groups --


def test_a_default_group_exists_from_the_first_run(fast_service: LocalBackend) -> None:
    body = fast_service.list_resource_groups(rq.ListResourceGroupsRequest()).body()
    assert list(body) == ["RequestId", "PageNumber", "PageSize", "TotalCount", "ResourceGroups"]
    (group,) = body["ResourceGroups"]["ResourceGroup"]
    assert list(group) == ["Id", "Name", "DisplayName", "CreateDate", "Status"]
    assert RESOURCE_GROUP_ID.fullmatch(group["Id"])
    assert (group["Name"], group["DisplayName"]) == ("default", "Default Resource Group")


def test_the_default_group_is_made_once(home: Path) -> None:
    first = KeyPairStore(home).default_resource_group()
    assert KeyPairStore(home).default_resource_group() == first
    assert len(KeyPairStore(home).resource_groups()) == 1


def test_create_resource_group_and_list_it(fast_service: LocalBackend) -> None:
    body = fast_service.create_resource_group(
        rq.CreateResourceGroupRequest("web-team", "Web team")
    ).body()
    assert list(body) == ["RequestId", "ResourceGroup"]
    group = body["ResourceGroup"]
    assert RESOURCE_GROUP_ID.fullmatch(group["Id"])
    assert (group["Name"], group["DisplayName"], group["Status"]) == ("web-team", "Web team", "OK")
    listed = fast_service.list_resource_groups(rq.ListResourceGroupsRequest()).body()[
        "ResourceGroups"
    ]["ResourceGroup"]
    assert [g["Name"] for g in listed] == ["default", "web-team"]
    assert listed[1] == group


def test_a_taken_group_name_is_refused(fast_service: LocalBackend) -> None:
    fast_service.create_resource_group(rq.CreateResourceGroupRequest("web-team", "Web team"))
    for name in ("web-team", "default"):
        error = api_error_of(
            lambda: fast_service.create_resource_group(
                rq.CreateResourceGroupRequest(name, "Again")
            ).body()
        )
        assert_api_error(error, "EntityAlreadyExists.ResourceGroup", "Name")
    assert len(fast_service.resource_groups()) == 2


@pytest.mark.parametrize("name", ["ab", "a" * 50, "Web-Team-1", "a-"])
def test_group_names_that_are_accepted(fast_service: LocalBackend, name: str) -> None:
    assert (
        fast_service.create_resource_group(rq.CreateResourceGroupRequest(name, "x")).body()[
            "ResourceGroup"
        ]["Name"]
        == name
    )


@pytest.mark.parametrize(
    ("name", "display_name", "code", "field"),
    [
        ("a", "x", "InvalidParameter", "Name"),
        ("a" * 51, "x", "InvalidParameter", "Name"),
        ("1ab", "x", "InvalidParameter", "Name"),
        ("-ab", "x", "InvalidParameter", "Name"),
        ("a_b", "x", "InvalidParameter", "Name"),
        ("a b", "x", "InvalidParameter", "Name"),
        ("组名", "x", "InvalidParameter", "Name"),
        (None, "x", "MissingParameter", "Name"),
        ("", "x", "MissingParameter", "Name"),
        ("ok", None, "MissingParameter", "DisplayName"),
        ("ok", "", "MissingParameter", "DisplayName"),
        ("ok", "d" * 51, "InvalidParameter", "DisplayName"),
    ],
)
def test_group_rules(
    fast_service: LocalBackend, name: str | None, display_name: str | None, code: str, field: str
) -> None:
    error = api_error_of(
        lambda: fast_service.create_resource_group(
            rq.CreateResourceGroupRequest(name, display_name)
        ).body()
    )
    assert_api_error(error, code, field)
    assert len(fast_service.resource_groups()) == 1


def test_display_names_of_1_and_50_characters(fast_service: LocalBackend) -> None:
    fast_service.create_resource_group(rq.CreateResourceGroupRequest("one", "d"))
    fast_service.create_resource_group(rq.CreateResourceGroupRequest("fifty", "组" * 50))
    assert [g.display_name for g in fast_service.resource_groups()][1:] == ["d", "组" * 50]


def test_list_resource_groups_pages(fast_service: LocalBackend) -> None:
    for number in range(11):
        fast_service.create_resource_group(
            rq.CreateResourceGroupRequest(f"group-{number:02d}", "x")
        ).body()
    body = fast_service.list_resource_groups(rq.ListResourceGroupsRequest()).body()
    assert (body["TotalCount"], body["PageSize"]) == (12, 10)
    second = fast_service.list_resource_groups(rq.ListResourceGroupsRequest(page_number=2)).body()[
        "ResourceGroups"
    ]["ResourceGroup"]
    assert [g["Name"] for g in second] == ["group-09", "group-10"]
    whole = fast_service.list_resource_groups(rq.ListResourceGroupsRequest(page_size=100)).body()[
        "ResourceGroups"
    ]["ResourceGroup"]
    assert len(whole) == 12
    error = api_error_of(
        lambda: fast_service.list_resource_groups(
            rq.ListResourceGroupsRequest(page_size=101)
        ).body()
    )
    assert_api_error(error, "InvalidParameter", "PageSize")
