"""Nobody gets in without a valid signature, and a refused request changes nothing in the store.

Old timestamps and reused nonces are produced the way a client would produce them: by the real SDK
signing with a patched clock or nonce source, or by re-sending a request it signed (captured at the
SDK's transport).
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from alibabacloud_ecs20140526 import models
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils import Utils
from darabonba.core import DaraCore
from ecs_keypair.server.access_keys import FILE_NAME

from tests.support.serve import SIGNATURES, RunningServe, refused, unique
from tests.support.signing import send, v2_request

REGION = "cn-hangzhou"
HTTP_TIMEOUT = 30


def _create_request(name: str) -> models.CreateKeyPairRequest:
    return models.CreateKeyPairRequest(region_id=REGION, key_pair_name=name)


def _assert_refused_and_unchanged(
    serve: RunningServe, call, code: str, status: int
) -> ClientException:
    before = serve.backend().find_key_pairs(REGION)
    error = refused(call)
    assert (error.code, error.status_code) == (code, status)
    assert serve.backend().find_key_pairs(REGION) == before
    return error


def _sdk_timestamp(monkeypatch: pytest.MonkeyPatch, shift: timedelta) -> None:
    stamp = (datetime.now(UTC) + shift).strftime("%Y-%m-%dT%H:%M:%SZ")
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: stamp))


@pytest.mark.parametrize("signature", SIGNATURES)
def test_wrong_secret_is_signature_does_not_match(
    serve: RunningServe, signature: str | None
) -> None:
    client = serve.client(signature=signature, secret="not-" + serve.key.secret)
    error = _assert_refused_and_unchanged(
        serve,
        lambda: client.create_key_pair(_create_request(unique())),
        "SignatureDoesNotMatch",
        400,
    )
    # The gateway's wording, which the legacy SDK parses (see test_serve_legacy_sdk).
    expected = "Specified signature is not matched with our calculation. server string to sign is:"
    assert expected in error.message


@pytest.mark.parametrize("signature", SIGNATURES)
def test_unknown_access_key_is_not_found(serve: RunningServe, signature: str | None) -> None:
    client = serve.client(signature=signature, key_id="LTAInosuchkey00000000000")
    _assert_refused_and_unchanged(
        serve,
        lambda: client.create_key_pair(_create_request(unique())),
        "InvalidAccessKeyId.NotFound",
        404,
    )


@pytest.mark.parametrize("signature", SIGNATURES)
@pytest.mark.parametrize(
    "shift", [timedelta(minutes=-16), timedelta(minutes=16)], ids=["old", "future"]
)
def test_a_timestamp_out_of_the_window_is_expired(
    serve: RunningServe, signature: str | None, shift: timedelta, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sdk_timestamp(monkeypatch, shift)
    client = serve.client(signature=signature)
    _assert_refused_and_unchanged(
        serve,
        lambda: client.create_key_pair(_create_request(unique())),
        "InvalidTimeStamp.Expired",
        400,
    )


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_timestamp_within_the_window_is_accepted(
    serve: RunningServe, signature: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sdk_timestamp(monkeypatch, timedelta(minutes=-14))
    body = serve.client(signature=signature).describe_regions(models.DescribeRegionsRequest()).body
    assert body.regions.region


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_reused_nonce_is_refused(
    serve: RunningServe, signature: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    nonce = unique("nonce")
    monkeypatch.setattr(Utils, "get_nonce", staticmethod(lambda: nonce))
    client = serve.client(signature=signature)
    first = unique()
    client.create_key_pair(_create_request(first))

    _assert_refused_and_unchanged(
        serve, lambda: client.create_key_pair(_create_request(unique())), "SignatureNonceUsed", 400
    )
    assert [r.key_pair_name for r in serve.backend().find_key_pairs(REGION, first)] == [first]


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Every request the SDK sends in the test, as signed, on its way to the wire."""
    sent: list = []
    real = DaraCore.do_action

    def capture(request, runtime=None):
        sent.append(request)
        return real(request, runtime)

    monkeypatch.setattr(DaraCore, "do_action", staticmethod(capture))
    yield sent


def _resend(request, *, query: dict | None = None) -> requests.Response:
    """Send a captured SDK request again, byte for byte, or with some query values changed."""
    if query:
        request.query = {**request.query, **query}
    return requests.request(
        request.method,
        DaraCore.compose_url(request),
        headers=request.headers,
        data=request.body,
        timeout=HTTP_TIMEOUT,
    )


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_replayed_request_is_refused(
    serve: RunningServe, signature: str | None, captured: list
) -> None:
    name = unique()
    serve.client(signature=signature).create_key_pair(_create_request(name))
    before = serve.backend().find_key_pairs(REGION)

    replay = _resend(captured[-1])

    assert (replay.status_code, replay.json()["Code"]) == (400, "SignatureNonceUsed")
    assert serve.backend().find_key_pairs(REGION) == before


@pytest.mark.parametrize("signature", SIGNATURES)
def test_a_tampered_request_is_refused(
    serve: RunningServe, signature: str | None, captured: list
) -> None:
    victim = unique("victim")
    client = serve.client(signature=signature)
    client.create_key_pair(_create_request(victim))
    client.delete_key_pairs(models.DeleteKeyPairsRequest(region_id=REGION, key_pair_names='["x"]'))

    # The signature is checked before the nonce, so the forgery fails on its signature.
    forged = _resend(captured[-1], query={"KeyPairNames": json.dumps([victim])})

    assert (forged.status_code, forged.json()["Code"]) == (400, "SignatureDoesNotMatch")
    assert serve.backend().find_key_pairs(REGION, victim)


def _post(serve: RunningServe, query: str = "", **kwargs) -> requests.Response:
    return requests.post(f"http://{serve.endpoint}/?{query}", timeout=HTTP_TIMEOUT, **kwargs)


MALFORMED = [
    pytest.param(
        "Action=CreateKeyPair&Version=2014-05-26&RegionId=cn-hangzhou&KeyPairName=ab",
        {},
        400,
        "MissingParameter",
        id="no-signature",
    ),
    pytest.param(
        "Action=CreateKeyPair&Action=DescribeRegions&Version=2014-05-26",
        {},
        400,
        "InvalidParameter",
        id="repeated",
    ),
    pytest.param(
        "Action=Create%ffKeyPair&Version=2014-05-26", {}, 400, "InvalidParameter", id="bad-utf8"
    ),
    pytest.param(
        "Action=CreateKeyPair&Version=2014-05-26",
        {"headers": {"Authorization": "ACS3-HMAC-SHA256 nonsense"}},
        400,
        "IncompleteSignature",
        id="bad-authorization",
    ),
    pytest.param(
        "Action=CreateKeyPair&Version=2014-05-26",
        {"data": {"KeyPairName": "x" * 100_000}},
        413,
        "RequestEntityTooLarge",
        id="huge-body",
    ),
]


@pytest.mark.parametrize(("query", "extra", "status", "code"), MALFORMED)
def test_malformed_requests_get_errors_and_the_server_keeps_serving(
    serve: RunningServe, query: str, extra: dict, status: int, code: str
) -> None:
    response = _post(serve, query, **extra)

    assert response.status_code == status
    assert response.json()["Code"] == code
    assert serve.client().describe_regions(models.DescribeRegionsRequest()).body.regions.region


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"Action": "CreateSecurityGroup", "Version": "2014-05-26"}, 404, "InvalidAction.NotFound"),
        ({"Action": "CreateKeyPair", "Version": "2016-01-01"}, 400, "InvalidVersion"),
        ({"Action": "CreateKeyPair"}, 400, "MissingParameter"),
        ({"Version": "2014-05-26"}, 400, "MissingParameter"),
    ],
    ids=["unknown-action", "wrong-version", "no-version", "no-action"],
)
def test_signed_requests_for_no_known_action_are_refused(
    serve: RunningServe, params: dict, status: int, code: str
) -> None:
    response = send(v2_request(serve.endpoint, serve.key, params))

    assert (response.status_code, response.json()["Code"]) == (status, code)


def test_nothing_of_an_unsigned_request_is_looked_at(serve: RunningServe) -> None:
    response = _post(serve, "Action=RunInstances&Version=2016-01-01")

    assert (response.status_code, response.json()["Code"]) == (400, "MissingParameter")
    assert "Signature" in response.json()["Message"]


def test_other_methods_and_paths_are_refused(serve: RunningServe) -> None:
    put = requests.put(f"http://{serve.endpoint}/", timeout=HTTP_TIMEOUT)
    path = requests.post(f"http://{serve.endpoint}/admin", timeout=HTTP_TIMEOUT)
    assert (put.status_code, put.json()["Code"]) == (405, "UnsupportedHTTPMethod")
    assert (path.status_code, path.json()["Code"]) == (404, "InvalidAction.NotFound")


def test_a_request_line_past_the_limit_is_refused_not_crashed(serve: RunningServe) -> None:
    response = _post(serve, "Action=DescribeRegions&Pad=" + "x" * 70_000)

    assert 400 <= response.status_code < 500
    assert serve.client().describe_regions(models.DescribeRegionsRequest()).body.regions.region


def test_the_access_key_file_is_owner_only_and_holds_no_key_pairs(serve: RunningServe) -> None:
    path = serve.home / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert serve.key.access_key_id in path.read_text()
    assert serve.key.secret not in repr(serve.key)
    assert serve.key.secret not in serve.output.getvalue()
