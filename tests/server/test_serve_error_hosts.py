"""An error answer names the request's region in ``HostId`` once the request is known to be
signed and new, as the cloud's regional endpoint would, and no region before that: the region of
a request that failed its checks is only what its sender claims."""

from __future__ import annotations

import uuid

from tests.support.serve import RunningServe, unique
from tests.support.signing import acs3_request, rpc, send, v2_request

REGION = "cn-hangzhou"
REGIONAL_HOST = "ecs.cn-hangzhou.aliyuncs.com"
CENTRAL_HOST = "ecs.aliyuncs.com"


def test_an_actions_refusal_names_the_region(serve: RunningServe) -> None:
    params = rpc("CreateKeyPair", RegionId=REGION, KeyPairName=unique("twice"))
    assert send(v2_request(serve.endpoint, serve.key, params)).status_code == 200

    response = send(v2_request(serve.endpoint, serve.key, params))

    body = response.json()
    assert (response.status_code, body["Code"]) == (400, "KeyPair.AlreadyExist")
    assert body["HostId"] == REGIONAL_HOST
    assert response.headers["x-acs-request-id"] == body["RequestId"]


def test_an_action_refused_on_its_signed_version_names_the_region(serve: RunningServe) -> None:
    query = {"RegionId": REGION, "KeyPairName": unique("old")}
    prepared = acs3_request(serve.endpoint, serve.key, "DescribeKeyPairs", query, version="2016")

    body = send(prepared).json()

    assert (body["Code"], body["HostId"]) == ("InvalidVersion", REGIONAL_HOST)


def test_a_bad_signature_names_no_region(serve: RunningServe) -> None:
    params = rpc("DescribeKeyPairs", RegionId=REGION)
    response = send(v2_request(serve.endpoint, serve.key, params, secret="not-the-secret"))

    body = response.json()
    assert (response.status_code, body["Code"]) == (400, "SignatureDoesNotMatch")
    assert body["HostId"] == CENTRAL_HOST


def test_a_replayed_nonce_names_no_region(serve: RunningServe) -> None:
    nonce = uuid.uuid4().hex
    params = rpc("DescribeKeyPairs", RegionId=REGION)
    assert send(v2_request(serve.endpoint, serve.key, params, nonce=nonce)).status_code == 200

    response = send(v2_request(serve.endpoint, serve.key, params, nonce=nonce))

    body = response.json()
    assert (response.status_code, body["Code"]) == (400, "SignatureNonceUsed")
    assert body["HostId"] == CENTRAL_HOST
