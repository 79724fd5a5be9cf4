"""The remote backend against ``serve``: the engine's interface, answered by an endpoint (SDK)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import StaticAKCredentialsProvider
from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.rules import Tag
from ecs_keypair.keys.key_formats import public_key_of
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.remote.credentials import credential_client
from ecs_keypair.remote.endpoints import Routes
from ecs_keypair.store.local_backend import LocalBackend, TagFilter

from tests.support.engine import PUBLIC_LINE, code_of
from tests.support.hostile_keys import mersenne_rsa_key, rsa_pem, within
from tests.support.serve import RunningServe, unique

REGION = "cn-hangzhou"


@pytest.fixture
def remote(serve: RunningServe, monkeypatch: pytest.MonkeyPatch) -> RemoteBackend:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
    return RemoteBackend.connect(f"http://{serve.endpoint}")


def test_it_offers_every_public_method_of_the_local_service() -> None:
    """But the key in effect, which the API does not show (KeyInEffectStatus)."""
    local = {name for name in dir(LocalBackend) if not name.startswith("_")} - {"keys_in_effect"}
    assert local <= {name for name in dir(RemoteBackend) if not name.startswith("_")}


def test_create_returns_what_the_local_service_returns(
    remote: RemoteBackend, serve: RunningServe
) -> None:
    name = unique()

    created = remote.create_key_pair(
        rq.CreateKeyPairRequest(REGION, name, tags=(Tag("env", "dev"),))
    )

    [stored] = serve.backend().find_key_pairs(REGION, name)
    assert created.body()["KeyPairId"] == created.record.key_pair_id
    assert created.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert created.public_key.line == stored.public_key
    assert created.public_key.md5_fingerprint == stored.fingerprint == created.record.fingerprint
    assert created.public_key.sha256_fingerprint.startswith("SHA256:")
    assert created.request_id and created.record.tags == (Tag("env", "dev"),)
    assert "PRIVATE" not in repr(created)


def test_a_costly_key_from_the_endpoint_is_read_without_checking_its_private_half(
    remote: RemoteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = mersenne_rsa_key(4423, 9689)  # checking its private half takes many seconds
    body = SimpleNamespace(
        private_key_body=rsa_pem(key).decode("ascii"), key_pair_id="kp-1", key_pair_name="m",
        key_pair_finger_print=None, request_id="r-1",
    )
    client, _ = remote._client(REGION)  # the region's SDK client, made at its first call
    monkeypatch.setattr(client, "create_key_pair", lambda request: SimpleNamespace(body=body))

    created = within(lambda: remote.create_key_pair(rq.CreateKeyPairRequest(REGION, "m")))

    assert created.public_key == public_key_of(key)


def test_check_name_applies_the_rules_and_asks_the_endpoint(
    remote: RemoteBackend, serve: RunningServe
) -> None:
    taken = unique()
    serve.backend().create_key_pair(rq.CreateKeyPairRequest(REGION, taken))

    assert code_of(remote.check_name(REGION, "1bad")) == "InvalidKeyPairName.Malformed"
    assert code_of(remote.check_name(REGION, taken)) == "KeyPair.AlreadyExist"
    assert remote.check_name("cn-beijing", taken) is None
    fresh = unique()
    remote.create_key_pair(rq.CreateKeyPairRequest(REGION, fresh))
    assert code_of(remote.check_name(REGION, fresh)) == "KeyPair.AlreadyExist"


def test_list_import_delete_and_count(remote: RemoteBackend, serve: RunningServe) -> None:
    prefix = unique("rm")
    line = (
        serve.backend()
        .create_key_pair(rq.CreateKeyPairRequest("cn-shenzhen", f"{prefix}-a"))
        .public_key.line
    )
    remote.import_key_pair(
        rq.ImportKeyPairRequest("cn-shenzhen", f"{prefix}-b", line, tags=(Tag("team", "x"),))
    ).body()

    found = remote.find_key_pairs("cn-shenzhen", f"{prefix}*")
    tagged = remote.find_key_pairs("cn-shenzhen", tags=[TagFilter("team", "x")])
    page = remote.describe_key_pairs(
        rq.DescribeKeyPairsRequest("cn-shenzhen", f"{prefix}*", page_size=1, page_number=2)
    ).body()
    count = remote.count_key_pairs("cn-shenzhen")
    remote.delete_key_pairs(
        rq.DeleteKeyPairsRequest("cn-shenzhen", tuple([f"{prefix}-a", f"{prefix}-b"]))
    ).body()

    assert [r.key_pair_name for r in found] == [f"{prefix}-a", f"{prefix}-b"]
    assert [r.key_pair_name for r in tagged] == [f"{prefix}-b"]
    assert (page["TotalCount"], [k["KeyPairName"] for k in page["KeyPairs"]["KeyPair"]]) == (
        2,
        [f"{prefix}-b"],
    )
    assert count == len(serve.backend().find_key_pairs("cn-shenzhen")) + 2
    assert remote.find_key_pairs("cn-shenzhen", f"{prefix}*") == []
    assert remote.resource_groups() and remote.backend_label == f"endpoint {serve.endpoint}"


def test_api_errors_come_back_as_the_engines_values(remote: RemoteBackend) -> None:
    with pytest.raises(ApiException) as caught:
        remote.create_key_pair(rq.CreateKeyPairRequest("xx-nowhere", unique()))
    error = caught.value.error
    assert (error.code, error.status) == ("InvalidRegionId.NotFound", 404)
    assert error.message == "The RegionId provided does not exist in our records."


def test_refused_credentials_are_the_apis_error(serve: RunningServe, monkeypatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong")
    remote = RemoteBackend.connect(f"http://{serve.endpoint}")

    with pytest.raises(ApiException) as caught:
        remote.describe_regions(rq.DescribeRegionsRequest())

    assert caught.value.error.code == "SignatureDoesNotMatch"


def test_a_profile_of_the_aliyun_config_file(
    serve: RunningServe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)
    (tmp_path / ".aliyun").mkdir()
    profile = {
        "name": "local",
        "mode": "AK",
        "access_key_id": serve.key.access_key_id,
        "access_key_secret": serve.key.secret,
    }
    (tmp_path / ".aliyun" / "config.json").write_text(
        json.dumps({"current": "local", "profiles": [profile]})
    )

    named = RemoteBackend.connect(f"http://{serve.endpoint}", profile="local")
    current = RemoteBackend.connect(f"http://{serve.endpoint}")
    missing = RemoteBackend.connect(f"http://{serve.endpoint}", profile="nope")

    assert named.describe_regions(rq.DescribeRegionsRequest()).body()["Regions"]["Region"]
    assert current.describe_regions(rq.DescribeRegionsRequest()).body()["Regions"]["Region"]
    with pytest.raises(ApiException) as caught:
        missing.describe_regions(rq.DescribeRegionsRequest())
    assert caught.value.error.code == "InvalidCredentials"


def test_no_credentials_at_all_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)

    with pytest.raises(ApiException) as caught:
        credential_client()

    assert caught.value.error.code == "InvalidCredentials"
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in caught.value.error.message


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _credentials() -> CredentialClient:
    return CredentialClient(
        provider=StaticAKCredentialsProvider(access_key_id="id", access_key_secret="secret")
    )


def test_network_failures_are_clear_errors() -> None:
    port = _closed_port()
    refused = RemoteBackend(Routes.one(f"http://127.0.0.1:{port}"), _credentials())
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"http://127.0.0.1:{silent.getsockname()[1]}"
        mute = RemoteBackend(Routes.one(address), _credentials(), read_timeout_ms=500)

        with pytest.raises(ApiException) as timed_out:
            mute.describe_regions(rq.DescribeRegionsRequest())
    with pytest.raises(ApiException) as unreachable:
        refused.describe_regions(rq.DescribeRegionsRequest())

    assert (timed_out.value.error.code, timed_out.value.error.status) == ("SDK.Timeout", 504)
    assert unreachable.value.error.code == "SDK.ServerUnreachable"
    assert f"127.0.0.1:{port}" in unreachable.value.error.message
    assert code_of(refused.check_name(REGION, "fine-name")) == "SDK.ServerUnreachable"


def test_endpoints_are_parsed_as_the_aliyun_cli_spells_them() -> None:
    cloud = Routes.one("ecs.cn-hangzhou.aliyuncs.com").endpoint_for(REGION)
    local = Routes.one("http://127.0.0.1:8080").endpoint_for("cn-beijing")

    assert (cloud.protocol, cloud.host) == ("https", "ecs.cn-hangzhou.aliyuncs.com")
    assert (local.protocol, local.host) == ("http", "127.0.0.1:8080")
    with pytest.raises(ApiException):
        Routes.one("ftp://x/y")


# -- the tag and resource group actions, through the official SDK to serve --



def _imported(serve: RunningServe, *tags: Tag) -> str:
    """A new key pair in the region, made behind serve's back (no RSA generation)."""
    name = unique("tg")
    serve.backend().import_key_pair(rq.ImportKeyPairRequest(REGION, name, PUBLIC_LINE, tags=tags))
    return name


def _refusal(call) -> tuple[str, int]:
    with pytest.raises(ApiException) as caught:
        call()
    return caught.value.error.code, caught.value.error.status


def test_tags_through_the_endpoint(remote: RemoteBackend, serve: RunningServe) -> None:
    first, second = _imported(serve, Tag("env", "prod")), _imported(serve)
    both = (first, second)

    tagged = remote.tag_resources(
        rq.TagResourcesRequest(REGION, "keypair", both, (Tag("team", "ops"), Tag("env", "dev")))
    )
    listed = remote.list_tag_resources(rq.ListTagResourcesRequest(REGION, "keypair", both))
    filtered = remote.list_tag_resources(
        rq.ListTagResourcesRequest(REGION, "keypair", both, tags=(TagFilter("env", "dev"),))
    )
    page = remote.list_tag_resources(
        rq.ListTagResourcesRequest(REGION, "keypair", both, max_results=3)
    )
    remote.untag_resources(rq.UntagResourcesRequest(REGION, "keypair", (first,), ("env",)))
    remote.untag_resources(rq.UntagResourcesRequest(REGION, "keypair", (second,), all=True))

    assert tagged.request_id
    assert [
        (t.resource_id, t.resource_type, t.tag_key, t.tag_value) for t in listed.tag_resources
    ] == sorted(  # in order of ResourceId, then TagKey
        [
            (first, "keypair", "env", "dev"),
            (first, "keypair", "team", "ops"),
            (second, "keypair", "team", "ops"),
            (second, "keypair", "env", "dev"),
        ]
    )
    assert listed.next_token is None
    assert filtered.tag_resources == listed.tag_resources
    # the SDK's request has no MaxResults: the endpoint's page size (50) holds
    assert page.tag_resources == listed.tag_resources
    [kept] = serve.backend().find_key_pairs(REGION, first)
    assert kept.tags == (Tag("team", "ops"),)
    assert serve.backend().find_key_pairs(REGION, second)[0].tags == ()


def test_join_resource_group_through_the_endpoint(
    remote: RemoteBackend, serve: RunningServe
) -> None:
    name = _imported(serve)
    group = (
        serve.backend()
        .create_resource_group(rq.CreateResourceGroupRequest(unique("g"), "Moved here"))
        .group
    )

    remote.join_resource_group(rq.JoinResourceGroupRequest(REGION, "keypair", name, group.id))

    assert serve.backend().find_key_pairs(REGION, name)[0].resource_group_id == group.id
    moved = remote.find_key_pairs(REGION, resource_group_id=group.id)
    assert [record.key_pair_name for record in moved] == [name]
    assert _refusal(
        lambda: remote.join_resource_group(
            rq.JoinResourceGroupRequest(REGION, "keypair", name, "rg-nosuchgroup00000")
        )
    ) == ("InvalidResourceGroup.NotFound", 404)


def test_the_public_key_only_when_asked_for(
    remote: RemoteBackend, serve: RunningServe
) -> None:
    name = _imported(serve)

    plain = remote.describe_key_pairs(rq.DescribeKeyPairsRequest(REGION, name))
    full = remote.describe_key_pairs(
        rq.DescribeKeyPairsRequest(REGION, name, include_public_key=True)
    )

    assert (
        plain.key_pairs[0].public_key == ""
        and "PublicKey" not in plain.body()["KeyPairs"]["KeyPair"][0]
    )
    assert full.key_pairs[0].public_key == PUBLIC_LINE
    assert remote.find_key_pairs(REGION, name, include_public_key=True)[0].public_key == PUBLIC_LINE


def test_the_tag_actions_refuse_with_the_clouds_codes(
    remote: RemoteBackend, serve: RunningServe
) -> None:
    name = _imported(serve, *(Tag(f"k{n}") for n in range(1, 20)))
    one = (Tag("new"),)
    cases = [
        (
            rq.TagResourcesRequest(REGION, "keypair", ("gone",), one),
            ("InvalidResourceId.NotFound", 404),
        ),
        (
            rq.TagResourcesRequest(REGION, "disk", (name,), one),
            ("InvalidResourceType.NotFound", 404),
        ),
        (
            rq.TagResourcesRequest(REGION, "keypair", (name,) * 51, one),
            ("NumberExceed.ResourceIds", 400),
        ),
        (
            rq.TagResourcesRequest(
                REGION, "keypair", (name,), tuple(Tag(f"t{n}") for n in range(21))
            ),
            ("NumberExceed.Tags", 400),
        ),
        (
            rq.TagResourcesRequest(REGION, "keypair", (name,), (Tag("a"), Tag("b"))),
            ("QuotaExceed.Tags", 403),
        ),
        (
            rq.TagResourcesRequest(REGION, "keypair", (name,), (Tag("acs:x"),)),
            ("InvalidTagKey.Malformed", 400),
        ),
    ]
    for request, expected in cases:
        assert _refusal(lambda: remote.tag_resources(request)) == expected, request
    assert _refusal(
        lambda: remote.untag_resources(
            rq.UntagResourcesRequest(REGION, "keypair", ("gone",), ("a",))
        )
    ) == ("InvalidResourceId.NotFound", 404)
    assert _refusal(
        lambda: remote.list_tag_resources(rq.ListTagResourcesRequest(REGION, "instance"))
    ) == ("InvalidResourceType.NotFound", 404)
    assert len(serve.backend().find_key_pairs(REGION, name)[0].tags) == 19
