"""The legacy Python SDK (aliyun-python-sdk-ecs) drives every instance action against ``serve``:
RunInstances, DescribeInstances by NextToken, AttachKeyPair, the statuses, DetachKeyPair,
DeleteKeyPairs refused while bound, DeleteInstance."""

from __future__ import annotations

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkecs.request.v20140526.AttachKeyPairRequest import AttachKeyPairRequest
from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest
from aliyunsdkecs.request.v20140526.DeleteKeyPairsRequest import DeleteKeyPairsRequest
from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest
from aliyunsdkecs.request.v20140526.DetachKeyPairRequest import DetachKeyPairRequest
from aliyunsdkecs.request.v20140526.ImportKeyPairRequest import ImportKeyPairRequest
from aliyunsdkecs.request.v20140526.RebootInstanceRequest import RebootInstanceRequest
from aliyunsdkecs.request.v20140526.RunInstancesRequest import RunInstancesRequest
from aliyunsdkecs.request.v20140526.StartInstanceRequest import StartInstanceRequest
from aliyunsdkecs.request.v20140526.StopInstanceRequest import StopInstanceRequest

from tests.support.instances import public_line
from tests.support.serve import RunningServe, legacy_call, unique

REGION = "cn-hangzhou"  # the legacy client's region, which it sends with every call


def _key_pair(serve: RunningServe, name: str) -> str:
    line = public_line()
    request = ImportKeyPairRequest()
    request.set_KeyPairName(name)
    request.set_PublicKeyBody(line)
    legacy_call(serve, request)
    return line


def _on_instances(request, name: str, ids: list[str]):  # an Attach or DetachKeyPairRequest
    request.set_KeyPairName(name)
    request.set_InstanceIds(json.dumps(ids))
    return request


def _one(request, instance_id: str):  # a Start, Stop, Reboot or DeleteInstanceRequest
    request.set_InstanceId(instance_id)
    return request


def _bound_to(serve: RunningServe, name: str) -> list[dict]:
    found: list[dict] = []
    token = None
    while True:
        request = DescribeInstancesRequest()
        request.set_KeyPairName(name)
        request.set_MaxResults(1)
        if token:
            request.set_NextToken(token)
        body = legacy_call(serve, request)
        found += body["Instances"]["Instance"]
        token = body.get("NextToken")
        if not token:
            return found


def test_every_instance_action(serve: RunningServe) -> None:
    first, second = unique("legacy-a"), unique("legacy-b")
    _key_pair(serve, first)
    line = _key_pair(serve, second)
    run = RunInstancesRequest()
    run.set_ImageId("ubuntu_24_04_x64_20G")
    run.set_InstanceType("ecs.g7.large")
    run.set_KeyPairName(first)
    run.set_Amount(2)
    run.set_InstanceName("legacy")
    ids = legacy_call(serve, run)["InstanceIdSets"]["InstanceIdSet"]

    attached = legacy_call(serve, _on_instances(AttachKeyPairRequest(), second, ids))
    assert (attached["TotalCount"], attached["FailCount"]) == (2, 0)
    assert sorted(i["InstanceId"] for i in _bound_to(serve, second)) == sorted(ids)
    legacy_call(serve, _one(StopInstanceRequest(), ids[0]))
    legacy_call(serve, _one(StartInstanceRequest(), ids[0]))
    legacy_call(serve, _one(RebootInstanceRequest(), ids[1]))
    assert {serve.backend().store.instances.key_in_effect(REGION, i) for i in ids} == {line}

    delete = DeleteKeyPairsRequest()
    delete.set_KeyPairNames(json.dumps([second]))
    with pytest.raises(ServerException) as caught:
        legacy_call(serve, delete)
    assert caught.value.get_error_code() == "InvalidParameter.KeypairAlreadyAttachedInstance"
    assert caught.value.get_http_status() == 400

    detached = legacy_call(serve, _on_instances(DetachKeyPairRequest(), second, ids))
    assert detached["FailCount"] == 0
    legacy_call(serve, delete)
    for instance in ids:
        release = _one(DeleteInstanceRequest(), instance)
        release.set_Force(True)
        legacy_call(serve, release)
    with pytest.raises(ServerException) as gone:
        legacy_call(serve, _one(StartInstanceRequest(), ids[0]))
    assert (gone.value.get_error_code(), gone.value.get_http_status()) == (
        "InvalidInstanceId.NotFound",
        404,
    )
