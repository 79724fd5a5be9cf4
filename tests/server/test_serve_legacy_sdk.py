"""The legacy Python SDK (aliyun-python-sdk-core with aliyun-python-sdk-ecs) against ``serve``.

It signs v2 (HMAC-SHA1) with its own code, and it reads the gateway's SignatureDoesNotMatch
message: what follows the first colon is the server's string to sign, which it compares with its
own to tell a wrong secret. Each request is pointed at the test's serve with ``set_endpoint`` and
``set_protocol_type('http')``.
"""

from __future__ import annotations

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException
from aliyunsdkecs.request.v20140526.CreateKeyPairRequest import CreateKeyPairRequest
from aliyunsdkecs.request.v20140526.DeleteKeyPairsRequest import DeleteKeyPairsRequest
from aliyunsdkecs.request.v20140526.DescribeKeyPairsRequest import (
    DescribeKeyPairsRequest,
)

from tests.support.serve import RunningServe, legacy_call, unique

REGION = "cn-hangzhou"


def _call(serve: RunningServe, request, secret: str | None = None) -> dict:
    answer: dict = legacy_call(serve, request, secret)
    return answer


def _create(name: str) -> CreateKeyPairRequest:
    request = CreateKeyPairRequest()
    request.set_KeyPairName(name)
    return request


def test_create_describe_and_delete(serve: RunningServe) -> None:
    name = unique("legacy")
    created = _call(serve, _create(name))
    describe = DescribeKeyPairsRequest()
    describe.set_KeyPairName(name)
    listed = _call(serve, describe)
    delete = DeleteKeyPairsRequest()
    delete.set_KeyPairNames(json.dumps([name]))
    _call(serve, delete)

    assert created["KeyPairName"] == name
    assert created["PrivateKeyBody"].startswith("-----BEGIN PRIVATE KEY-----")
    [pair] = listed["KeyPairs"]["KeyPair"]
    assert pair["KeyPairFingerPrint"] == created["KeyPairFingerPrint"]
    assert serve.backend().find_key_pairs(REGION, name) == []


def test_a_refused_call_is_its_server_exception(serve: RunningServe) -> None:
    name = unique("legacy")
    _call(serve, _create(name))
    with pytest.raises(ServerException) as caught:
        _call(serve, _create(name))

    assert caught.value.get_error_code() == "KeyPair.AlreadyExist"
    assert caught.value.get_http_status() == 400


def test_a_wrong_secret_is_reported_as_such_not_a_crash(serve: RunningServe) -> None:
    with pytest.raises((ServerException, ClientException)) as caught:
        _call(serve, _create(unique("legacy")), secret="not-the-secret")

    # The SDK recognised its own string to sign in our message: a wrong secret, as on the cloud.
    assert caught.value.get_error_code() == "InvalidAccessKeySecret"
