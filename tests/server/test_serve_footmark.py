"""footmark (the library under Ansible's Alibaba Cloud modules) against ``serve``.

footmark builds a fresh legacy-SDK ``AcsClient`` for every call and takes no endpoint of its
own: the endpoint comes from the SDK's table of user-set endpoints
(``region_provider.modify_point``), here given a table of its own for each test. It sends
``KeyPairNames`` as the SDK writes a Python list, ``['a', 'b']``, which serve reads as the
gateway does. Instances are made, listed, given a key pair and freed of it through footmark too.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

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
    # its fixed waits (10 s after RunInstances, 5 s between delete tries) are for the cloud's
    # slow starts; serve's changes are done when it answers
    monkeypatch.setattr(
        footmark.ecs.connection,
        "time",
        SimpleNamespace(sleep=lambda seconds: None, monotonic=time.monotonic),
    )
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


def run_instances(
    ecs: footmark.ecs.connection.ECSConnection, key_pair_name: str, amount: int
) -> list[str]:
    """The ids of ``amount`` new instances bound to ``key_pair_name``, made through footmark."""
    made = ecs.run_instances(
        image_id="ubuntu_24_04_x64_20G",
        instance_type="ecs.g7.large",
        key_pair_name=key_pair_name,
        amount=amount,
    )
    return sorted(instance.id for instance in made)


def bound_to(ecs: footmark.ecs.connection.ECSConnection, key_pair_name: str) -> list[str]:
    """DescribeInstances by key pair as footmark reads it: pages of 10 by number to a short one."""
    return sorted(instance.id for instance in ecs.describe_instances(key_pair_name=key_pair_name))


def test_attach_describe_detach_and_delete(ecs: footmark.ecs.connection.ECSConnection) -> None:
    prefix = unique("fm")
    ecs.import_key_pair(key_pair_name=f"{prefix}-old", public_key_body=PUBLIC_LINE)
    ecs.create_key_pair(key_pair_name=f"{prefix}-new")
    # 11: footmark's DescribeInstances needs a second page to see them all
    instance_ids = run_instances(ecs, f"{prefix}-old", 11)

    made_with_old = bound_to(ecs, f"{prefix}-old")
    attached = ecs.attach_key_pair(key_pair_name=f"{prefix}-new", instance_ids=instance_ids)
    after_attach = (bound_to(ecs, f"{prefix}-new"), bound_to(ecs, f"{prefix}-old"))
    detached = ecs.detach_key_pair(key_pair_name=f"{prefix}-new", instance_ids=instance_ids[:4])
    after_detach = ecs.describe_instances(instance_ids=instance_ids, page_size=100)
    deleted = ecs.delete_key_pair(key_pair_names=[f"{prefix}-old"])

    assert len(instance_ids) == 11
    assert made_with_old == instance_ids
    assert attached is True
    assert after_attach == (instance_ids, [])
    assert detached is True
    key_pairs = {instance.id: instance.key_pair_name for instance in after_detach}
    assert key_pairs == {
        instance_id: "" if instance_id in instance_ids[:4] else f"{prefix}-new"
        for instance_id in instance_ids
    }
    assert {instance.status for instance in after_detach} == {"running"}
    assert deleted is True
    assert [pair.key_pair_name for pair in ecs.describe_key_pairs(key_pair_name=f"{prefix}-*")] == [
        f"{prefix}-new"
    ]


def test_deleting_a_bound_key_pair_is_refused_with_the_code_terraform_waits_on(
    serve: RunningServe,
    ecs: footmark.ecs.connection.ECSConnection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """footmark's delete retries any refusal until its timeout and then fails without the code
    (its message names the exception after the except block that held it has ended), so the
    refusal is read where footmark's delete receives it."""
    name = unique("fm")
    ecs.create_key_pair(key_pair_name=name)
    (instance_id,) = run_instances(ecs, name, 1)
    refusals: list[ServerException] = []
    send = ecs.get_status_new

    def recording(params: dict[str, Any]) -> bool:
        try:
            return bool(send(params))
        except ServerException as refusal:
            refusals.append(refusal)
            raise

    monkeypatch.setattr(ecs, "get_status_new", recording)
    with pytest.raises(UnboundLocalError):
        ecs.delete_key_pair(key_pair_names=[name])

    assert [(refusal.get_error_code(), refusal.get_http_status()) for refusal in refusals] == [
        ("InvalidParameter.KeypairAlreadyAttachedInstance", 400)
    ]
    assert bound_to(ecs, name) == [instance_id]
    assert [pair.key_pair_name for pair in serve.backend().find_key_pairs(REGION, name)] == [name]
