"""Key pairs on instances: AttachKeyPair and DetachKeyPair, the key pair bound against the one in
effect, and DeleteKeyPairs refusing a key pair that is bound."""

from __future__ import annotations

import json

import pytest
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.engine import REGION, api_error_of
from tests.support.instances import api, described, imported, run


def attach(backend: LocalBackend, name: str, *ids: str, action: str = "AttachKeyPair") -> dict:
    return api(backend, action, RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps(ids))


def in_effect(backend: LocalBackend, instance: str) -> str | None:
    return backend.store.instances.key_in_effect(REGION, instance)


def bound(backend: LocalBackend, instance: str) -> str:
    return str(described(backend, REGION)[instance]["KeyPairName"])


def test_attaching_replaces_the_bound_key_pair_and_takes_effect_at_reboot(
    backend: LocalBackend,
) -> None:
    old = imported(backend, REGION, "old-key")
    new = imported(backend, REGION, "new-key")
    [instance] = run(backend, REGION, KeyPairName="old-key")
    assert in_effect(backend, instance) == old

    body = attach(backend, "new-key", instance)

    assert body["KeyPairName"] == "new-key"
    assert (body["TotalCount"], body["FailCount"]) == (1, 0)
    assert body["Results"]["Result"] == [
        {"InstanceId": instance, "Success": True, "Code": "200", "Message": "successful"}
    ]
    assert bound(backend, instance) == "new-key"
    assert in_effect(backend, instance) == old  # bound, not yet in effect
    api(backend, "RebootInstance", InstanceId=instance)
    assert in_effect(backend, instance) == new


def test_on_a_stopped_instance_the_key_pair_takes_effect_at_its_next_start(
    backend: LocalBackend,
) -> None:
    line = imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION)
    api(backend, "StopInstance", InstanceId=instance)

    attach(backend, "web-1", instance)

    assert in_effect(backend, instance) is None  # stopped: no sshd to log in to
    api(backend, "StartInstance", InstanceId=instance)
    assert in_effect(backend, instance) == line


def test_instance_failures_are_results_and_the_others_go_on(backend: LocalBackend) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION)

    body = attach(backend, "web-1", "i-gone", instance)

    assert (body["TotalCount"], body["FailCount"]) == (2, 1)
    gone, done = body["Results"]["Result"]
    assert gone == {
        "InstanceId": "i-gone",
        "Success": False,
        "Code": "InvalidInstanceId.NotFound",
        "Message": "The specified InstanceId does not exist.",
    }
    assert done["Success"] is True
    assert bound(backend, instance) == "web-1"


@pytest.mark.parametrize("action", ["AttachKeyPair", "DetachKeyPair"])
def test_request_level_problems_are_the_answer(backend: LocalBackend, action: str) -> None:
    imported(backend, REGION, "web-1")
    [instance] = run(backend, REGION)

    def refused(**flat: str) -> tuple[str, int, str]:
        error = api_error_of(lambda: api(backend, action, **flat))
        return error.code, error.status, error.message

    ids = json.dumps([instance])
    assert refused(RegionId=REGION, KeyPairName="nobody", InstanceIds=ids) == (
        "InvalidKeyPairName.NotFound",
        400,
        "The specified KeyPairName does not exist in our records.",
    )
    too_many = json.dumps([f"i-{n}" for n in range(51)])
    not_ids = {"InstanceIds": "i-1"}
    for flat in ({"InstanceIds": too_many}, not_ids, {"InstanceIds": "[]"}):
        assert refused(RegionId=REGION, KeyPairName="web-1", **flat) == (
            "InvalidInstanceIds.ValueNotSupported",
            400,
            "The specified parameter InstanceIds is not valid.",
        )
    assert refused(RegionId=REGION, KeyPairName="web-1")[:2] == ("MissingParameter", 400)
    assert bound(backend, instance) == ""
    # fifty is the limit, not past it
    body = attach(backend, "web-1", instance, *(f"i-{n}" for n in range(49)), action=action)
    assert (body["TotalCount"], body["FailCount"]) == (50, 49)


def test_detaching_unbinds_and_the_key_stays_in_effect_until_reboot(
    backend: LocalBackend,
) -> None:
    line = imported(backend, REGION, "web-1")
    imported(backend, REGION, "db-1")
    [web, db] = run(backend, REGION, 2, KeyPairName="web-1")
    attach(backend, "db-1", db)

    body = attach(backend, "web-1", web, db, action="DetachKeyPair")

    assert body["FailCount"] == 0
    assert (bound(backend, web), bound(backend, db)) == ("", "db-1")  # db holds another one
    assert in_effect(backend, web) == line
    api(backend, "RebootInstance", InstanceId=web)
    assert in_effect(backend, web) is None


def test_delete_key_pairs_refuses_a_key_pair_bound_to_an_instance(
    backend: LocalBackend,
) -> None:
    line = imported(backend, REGION, "web-1")
    imported(backend, REGION, "spare")
    [instance] = run(backend, REGION, KeyPairName="web-1")
    names = json.dumps(["spare", "web-1"])

    error = api_error_of(
        lambda: api(backend, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=names)
    )

    assert (error.code, error.status, error.message) == (
        "InvalidParameter.KeypairAlreadyAttachedInstance",
        400,
        'The specified parameter "KeyPairNames" attached to instances can not be deleted.',
    )
    assert {r.key_pair_name for r in backend.find_key_pairs(REGION)} == {"web-1", "spare"}
    attach(backend, "web-1", instance, action="DetachKeyPair")
    api(backend, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=names)
    assert backend.find_key_pairs(REGION) == []
    # the key in effect outlives its key pair, as on the cloud, until the instance reboots
    assert in_effect(backend, instance) == line
