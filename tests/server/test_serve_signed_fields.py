"""What runs is what was signed: the action, the version and every parameter.

v2 signs the parameters (query and form), so ``Action`` and ``Version`` come from them and an
``x-acs-action`` / ``x-acs-version`` header that disagrees is refused. ACS3 signs the
``x-acs-action`` / ``x-acs-version`` headers; a form body is read only when its content type is
signed too, and a body whose content type is not signed is refused rather than dropped.
"""

from __future__ import annotations

import pytest

from tests.support.serve import RunningServe, unique
from tests.support.signing import acs3_request, rpc, send, v2_request

REGION = "cn-hangzhou"


def _describe(name: str) -> dict[str, str]:
    return rpc("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)


@pytest.mark.parametrize(
    "headers",
    [
        {"x-acs-action": "CreateKeyPair"},
        {"x-acs-action": "CreateKeyPair", "x-acs-version": "2014-05-26"},
        {"x-acs-version": "2016-01-01"},
    ],
    ids=["action", "action-and-version", "version"],
)
def test_v2_header_that_disagrees_with_the_signed_action_is_refused(
    serve: RunningServe, headers: dict[str, str]
) -> None:
    name = unique("switched")
    response = send(v2_request(serve.endpoint, serve.key, _describe(name), headers=headers))

    body = response.json()
    assert (response.status_code, body["Code"]) == (400, "IncompleteSignature")
    assert "PrivateKeyBody" not in body
    assert serve.backend().find_key_pairs(REGION, name) == []


def test_v2_header_that_agrees_with_the_signed_action_is_accepted(serve: RunningServe) -> None:
    headers = {"x-acs-action": "DescribeKeyPairs", "x-acs-version": "2014-05-26"}
    response = send(v2_request(serve.endpoint, serve.key, _describe("none"), headers=headers))

    assert (response.status_code, response.json()["TotalCount"]) == (200, 0)


def test_v2_signed_import_cannot_become_a_create(serve: RunningServe) -> None:
    name = unique("imported")
    params = rpc(
        "ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody="ssh-ed25519 not-a-key"
    )
    headers = {"x-acs-action": "CreateKeyPair"}
    response = send(v2_request(serve.endpoint, serve.key, params, headers=headers))

    assert "PrivateKeyBody" not in response.json()
    assert response.status_code == 400
    assert serve.backend().find_key_pairs(REGION, name) == []


def test_acs3_query_action_that_disagrees_with_the_signed_header_is_refused(
    serve: RunningServe,
) -> None:
    name = unique("query")
    query = {"Action": "CreateKeyPair", "RegionId": REGION, "KeyPairName": name}
    response = send(acs3_request(serve.endpoint, serve.key, "DescribeKeyPairs", query))

    assert (response.status_code, response.json()["Code"]) == (400, "IncompleteSignature")
    assert serve.backend().find_key_pairs(REGION, name) == []


def test_acs3_form_body_with_a_signed_content_type_is_read(serve: RunningServe) -> None:
    name = unique("form")
    form = {"RegionId": REGION, "KeyPairName": name}
    response = send(acs3_request(serve.endpoint, serve.key, "CreateKeyPair", {}, form=form))

    assert response.status_code == 200 and response.json()["KeyPairName"] == name


def test_acs3_form_body_with_an_unsigned_content_type_is_refused_not_dropped(
    serve: RunningServe,
) -> None:
    name = unique("unsigned")
    form = {"KeyPairName": name}
    request = acs3_request(
        serve.endpoint,
        serve.key,
        "DescribeKeyPairs",
        {"RegionId": REGION},
        form=form,
        sign_content_type=False,
    )
    response = send(request)

    assert (response.status_code, response.json()["Code"]) == (400, "IncompleteSignature")


def test_acs3_body_relabelled_as_something_else_is_refused_not_dropped(
    serve: RunningServe,
) -> None:
    request = acs3_request(
        serve.endpoint,
        serve.key,
        "DescribeKeyPairs",
        {"RegionId": REGION},
        form={"KeyPairName": "only-this"},
        sign_content_type=False,
    )
    request.headers["content-type"] = "text/plain"
    response = send(request)

    assert (response.status_code, response.json()["Code"]) == (400, "IncompleteSignature")
