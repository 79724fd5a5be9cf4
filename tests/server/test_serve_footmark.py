"""footmark (the library under Ansible's Alibaba Cloud modules) against ``serve``.

footmark builds a fresh legacy-SDK ``AcsClient`` for every call and takes no endpoint of its
own: the endpoint comes from the SDK's table of user-set endpoints
(``region_provider.modify_point``), here given a table of its own for each test. It sends
``KeyPairNames`` as the SDK writes a Python list, ``['a', 'b']``, which serve reads as the
gateway does. Attach and detach through footmark need instances, which serve does not have yet.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import footmark.ecs
import footmark.ecs.connection
import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.endpoint.default_endpoint_resolver import DefaultEndpointResolver
from aliyunsdkcore.endpoint.user_customized_endpoint_resolver import (
    UserCustomizedEndpointResolver,
)
from aliyunsdkcore.profile import region_provider
from ecs_keypair.contract.key_values import md5_fingerprint

from tests.support.engine import PUBLIC_LINE, REGION
from tests.support.serve import RunningServe, unique


@pytest.fixture
def ecs(
    serve: RunningServe, monkeypatch: pytest.MonkeyPatch
) -> Iterator[footmark.ecs.connection.ECSConnection]:
    """footmark's ECS connection, its region's endpoint set to this serve."""
    monkeypatch.setattr(
        DefaultEndpointResolver, "predefined_endpoint_resolver", UserCustomizedEndpointResolver()
    )
    region_provider.modify_point("Ecs", REGION, serve.endpoint)
    # footmark's delete retries a refusal for this many seconds: a failing test fails soon
    monkeypatch.setattr(footmark.ecs.connection, "DefaultTimeOut", 1)
    yield footmark.ecs.connect_to_region(
        REGION,
        acs_access_key_id=serve.key.access_key_id,
        acs_secret_access_key=serve.key.secret,
    )


def test_create_import_describe_and_delete(
    serve: RunningServe, ecs: footmark.ecs.connection.ECSConnection
) -> None:
    prefix = unique("fm")
    made = ecs.create_key_pair(key_pair_name=f"{prefix}-made", tags={"env": "prod"})
    imported = ecs.import_key_pair(key_pair_name=f"{prefix}-here", public_key_body=PUBLIC_LINE)
    listed = ecs.describe_key_pairs(key_pair_name=f"{prefix}-*")
    tagged = ecs.describe_key_pairs(key_pair_name=f"{prefix}-*", tags={"env": "prod"})
    deleted = ecs.delete_key_pair(key_pair_names=[f"{prefix}-made", f"{prefix}-here"])

    assert made.key_pair_name == f"{prefix}-made"
    assert made.private_key_body.startswith("-----BEGIN PRIVATE KEY-----")
    blob = base64.b64decode(PUBLIC_LINE.split()[1])
    assert imported.key_pair_finger_print == md5_fingerprint(blob)
    by_name = {pair.key_pair_name: pair for pair in listed}
    assert sorted(by_name) == [f"{prefix}-here", f"{prefix}-made"]
    assert by_name[f"{prefix}-made"].key_pair_finger_print == made.key_pair_finger_print
    assert by_name[f"{prefix}-made"].tags == {"env": "prod"}
    assert [pair.key_pair_name for pair in tagged] == [f"{prefix}-made"]
    assert deleted is True
    assert serve.backend().find_key_pairs(REGION, f"{prefix}-*") == []


def test_a_refusal_reaches_footmark_as_the_servers_error(
    ecs: footmark.ecs.connection.ECSConnection,
) -> None:
    name = unique("fm")
    ecs.create_key_pair(key_pair_name=name)
    with pytest.raises(ServerException) as caught:
        ecs.create_key_pair(key_pair_name=name)

    assert caught.value.get_error_code() == "KeyPair.AlreadyExist"
    assert caught.value.get_http_status() == 400
