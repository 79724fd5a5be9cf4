"""Signed requests built by hand, for what the SDKs never send: a header that disagrees with the
signed action, a form body whose content type is left unsigned, a chosen nonce or timestamp.

Both signatures are made with serve's own canonicalization helpers (which the SDK tests check
against the real SDKs), so a request built here is exactly as valid as one the SDK signs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

import requests
from ecs_keypair.server.access_keys import AccessKey
from ecs_keypair.server.signatures import (
    ACS3_ALGORITHM,
    IncomingRequest,
    acs3_signature,
    acs3_string_to_sign,
    v2_signature,
    v2_string_to_sign,
)

HTTP_TIMEOUT = 30
FORM_TYPE = "application/x-www-form-urlencoded"


def _encode(value: str) -> str:
    return quote(value, safe="~", encoding="utf-8")


def _query(params: Mapping[str, str]) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in params.items())


def rpc(action: str, **params: str) -> dict[str, str]:
    """The parameters of one ECS call, as the v2 signature covers them."""
    return {"Action": action, "Version": "2014-05-26", **params}


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def v2_request(
    endpoint: str,
    key: AccessKey,
    params: Mapping[str, str],
    *,
    headers: Mapping[str, str] | None = None,
    nonce: str | None = None,
    secret: str | None = None,
) -> requests.PreparedRequest:
    """A v2 (HMAC-SHA1) POST with every parameter in the query, signed with ``key``."""
    signed = {
        **params,
        "Format": "JSON",
        "AccessKeyId": key.access_key_id,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": nonce or uuid.uuid4().hex,
        "Timestamp": now_stamp(),
    }
    signed["Signature"] = v2_signature(
        secret or key.secret, v2_string_to_sign("POST", signed)
    )
    return requests.Request(
        "POST", f"http://{endpoint}/?{_query(signed)}", headers=dict(headers or {})
    ).prepare()


def acs3_request(
    endpoint: str,
    key: AccessKey,
    action: str,
    query: Mapping[str, str],
    *,
    form: Mapping[str, str] | None = None,
    sign_content_type: bool = True,
    version: str = "2014-05-26",
    nonce: str | None = None,
) -> requests.PreparedRequest:
    """An ACS3-HMAC-SHA256 POST; ``form`` goes in the body, its content type signed or not."""
    body = _query(form).encode() if form is not None else b""
    headers = {
        "host": endpoint,
        "x-acs-action": action,
        "x-acs-version": version,
        "x-acs-date": now_stamp(),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
    }
    signed_names = sorted(headers)
    if form is not None:
        headers["content-type"] = FORM_TYPE
        if sign_content_type:
            signed_names = sorted([*signed_names, "content-type"])
    incoming = IncomingRequest(
        "POST", "/", dict(query), dict(query), {n: [v] for n, v in headers.items()}, body
    )
    signature = acs3_signature(key.secret, acs3_string_to_sign(incoming, signed_names))
    headers["Authorization"] = (
        f"{ACS3_ALGORITHM} Credential={key.access_key_id},"
        f"SignedHeaders={';'.join(signed_names)},Signature={signature}"
    )
    return requests.Request(
        "POST", f"http://{endpoint}/?{_query(query)}", headers=headers, data=body
    ).prepare()


def send(prepared: requests.PreparedRequest) -> requests.Response:
    with requests.Session() as session:
        return session.send(prepared, timeout=HTTP_TIMEOUT)
