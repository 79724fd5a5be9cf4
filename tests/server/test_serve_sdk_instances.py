"""The official SDK's instance calls against ``serve``: RunInstances to DeleteInstance, the key
pair attached and detached, and the codes of the refusals, with both signatures.

The sequence is the one Terraform's ``alicloud_ecs_key_pair_attachment`` makes: AttachKeyPair,
DescribeInstances by ``KeyPairName`` paged by ``MaxResults`` and ``NextToken``, DetachKeyPair,
and DeleteKeyPairs refused while the key pair is bound.
"""

from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client

from tests.support.instances import public_line
from tests.support.serve import SIGNATURES, RunningServe, refused, unique

REGION = "cn-shanghai"


def import_key(client: Client, name: str) -> str:
    line = public_line()
    client.import_key_pair(
        models.ImportKeyPairRequest(region_id=REGION, key_pair_name=name, public_key_body=line)
    )
    return line


def run(client: Client, amount: int, key_pair_name: str) -> list[str]:
    body = client.run_instances(
        models.RunInstancesRequest(
            region_id=REGION,
            image_id="ubuntu_24_04_x64_20G",
            instance_type="ecs.g7.large",
            key_pair_name=key_pair_name,
            amount=amount,
            security_group_id="sg-ignored",
        )
    ).body
    ids: list[str] = body.instance_id_sets.instance_id_set
    return ids


def by_key_pair(
    client: Client, name: str
) -> list[models.DescribeInstancesResponseBodyInstancesInstance]:
    """Every instance bound to ``name``, a page of two at a time, as Terraform reads them."""
    found = []
    token = None
    while True:
        body = client.describe_instances(
            models.DescribeInstancesRequest(
                region_id=REGION, key_pair_name=name, max_results=2, next_token=token
            )
        ).body
        found += body.instances.instance
        token = body.next_token
        if not token:
            return found


@pytest.mark.parametrize("signature", SIGNATURES)
def test_the_key_pair_attachment_walk(serve: RunningServe, signature: str | None) -> None:
    client = serve.client(signature=signature)
    first, second = unique("first"), unique("second")
    import_key(client, first)
    line = import_key(client, second)
    ids = run(client, 3, first)

    attached = client.attach_key_pair(
        models.AttachKeyPairRequest(
            region_id=REGION, key_pair_name=second, instance_ids=json.dumps(ids[:2] + ["i-gone"])
        )
    )

    assert attached.status_code == 200
    body = attached.body
    assert (body.key_pair_name, int(body.total_count), int(body.fail_count)) == (second, 3, 1)
    outcomes = {r.instance_id: (r.success, r.code) for r in body.results.result}
    assert outcomes == {
        ids[0]: (True, "200"),
        ids[1]: (True, "200"),
        "i-gone": (False, "InvalidInstanceId.NotFound"),
    }
    assert models.AttachKeyPairResponseBody().from_map(body.to_map()).to_map() == body.to_map()
    listed = by_key_pair(client, second)
    assert sorted(i.instance_id for i in listed) == sorted(ids[:2])
    assert {(i.status, i.key_pair_name, i.region_id) for i in listed} == {
        ("Running", second, REGION)
    }

    in_use = refused(
        lambda: client.delete_key_pairs(
            models.DeleteKeyPairsRequest(region_id=REGION, key_pair_names=json.dumps([second]))
        )
    )
    assert (in_use.code, in_use.status_code) == (
        "InvalidParameter.KeypairAlreadyAttachedInstance",
        400,
    )

    client.reboot_instance(models.RebootInstanceRequest(instance_id=ids[0]))
    assert serve.backend().store.instances.key_in_effect(REGION, ids[0]) == line
    detached = client.detach_key_pair(
        models.DetachKeyPairRequest(
            region_id=REGION, key_pair_name=second, instance_ids=json.dumps(ids[:2])
        )
    ).body
    assert int(detached.fail_count) == 0
    client.delete_key_pairs(
        models.DeleteKeyPairsRequest(region_id=REGION, key_pair_names=json.dumps([second]))
    )
    assert by_key_pair(client, second) == []
    assert len(by_key_pair(client, first)) == 1


@pytest.mark.parametrize("signature", SIGNATURES)
def test_statuses_and_release(serve: RunningServe, signature: str | None) -> None:
    client = serve.client(signature=signature)
    name = unique("status")
    import_key(client, name)
    [instance] = run(client, 1, name)

    def status() -> str:
        body = client.describe_instances(
            models.DescribeInstancesRequest(
                region_id=REGION, instance_ids=json.dumps([instance])
            )
        ).body
        [item] = body.instances.instance
        return str(item.status)

    busy = refused(lambda: client.start_instance(models.StartInstanceRequest(instance_id=instance)))
    assert (busy.code, busy.status_code) == ("IncorrectInstanceStatus", 403)
    client.stop_instance(models.StopInstanceRequest(instance_id=instance, force_stop=True))
    assert status() == "Stopped"
    client.start_instance(models.StartInstanceRequest(instance_id=instance))
    assert status() == "Running"
    running = refused(
        lambda: client.delete_instance(models.DeleteInstanceRequest(instance_id=instance))
    )
    assert (running.code, running.status_code) == ("IncorrectInstanceStatus", 403)
    client.delete_instance(models.DeleteInstanceRequest(instance_id=instance, force=True))
    gone = refused(lambda: client.stop_instance(models.StopInstanceRequest(instance_id=instance)))
    assert (gone.code, gone.status_code) == ("InvalidInstanceId.NotFound", 404)


def test_request_level_refusals(serve: RunningServe) -> None:
    client = serve.client()
    name = unique("limits")
    import_key(client, name)
    too_many = json.dumps([f"i-{n}" for n in range(51)])

    attach = models.AttachKeyPairRequest(
        region_id=REGION, key_pair_name=name, instance_ids=too_many
    )
    detach = models.DetachKeyPairRequest(region_id=REGION, key_pair_name=name, instance_ids="i-1")
    for error in (
        refused(lambda: client.attach_key_pair(attach)),
        refused(lambda: client.detach_key_pair(detach)),
    ):
        assert (error.code, error.status_code) == ("InvalidInstanceIds.ValueNotSupported", 400)
    unknown = refused(
        lambda: client.attach_key_pair(
            models.AttachKeyPairRequest(
                region_id=REGION, key_pair_name=unique("none"), instance_ids='["i-1"]'
            )
        )
    )
    assert (unknown.code, unknown.status_code) == ("InvalidKeyPairName.NotFound", 400)
    amount = refused(
        lambda: client.run_instances(
            models.RunInstancesRequest(
                region_id=REGION, image_id="img", instance_type="t", amount=101
            )
        )
    )
    assert (amount.code, amount.status_code) == ("InvalidAmount.ValueNotSupported", 400)
