"""Checking who sent a request, and what exactly they signed: the two signatures of the SDKs.

* ``ACS3-HMAC-SHA256`` (the SDK's default): an ``Authorization`` header naming the AccessKeyId,
  the signed headers and a hex HMAC-SHA256 over a canonical request (method, path, sorted query,
  the signed headers, SHA-256 of the body); the time and nonce are ``x-acs-date`` and
  ``x-acs-signature-nonce``. The action and version are the signed ``x-acs-action`` and
  ``x-acs-version`` headers; the parameters are the query, plus a form body only when
  ``content-type`` is signed (a body whose type is not signed is refused, never dropped).
* ``v2`` (``signature_algorithm='v2'``, HMAC-SHA1 RPC): ``AccessKeyId``, ``Signature``,
  ``SignatureMethod``, ``SignatureVersion``, ``SignatureNonce`` and ``Timestamp`` among the
  parameters; the signature covers every parameter (query and form body) but itself, so the
  action and version are the ``Action`` and ``Version`` parameters, and an ``x-acs-action`` or
  ``x-acs-version`` header that disagrees with them is refused.

Every check fails with the gateway's error (see :mod:`gateway_errors`) and before anything runs:
a request is refused unless its key is known and active, its time is within the window of now, its
signature matches (compared in constant time) and its nonce is new (see :mod:`nonces`). What
:meth:`SignatureVerifier.verify` returns, a :class:`SignedCall`, holds only what the signature
covers, and it is all that the endpoint runs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.server import gateway_errors as ge
from ecs_keypair.server.access_keys import ACTIVE, AccessKey, AccessKeyStore
from ecs_keypair.server.nonces import NonceStore

ACS3_ALGORITHM = "ACS3-HMAC-SHA256"
V2_METHOD = "HMAC-SHA1"
V2_VERSION = "1.0"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DEFAULT_WINDOW = timedelta(minutes=15)
# What an ACS3 signature must cover: the target and the anti-replay values, and every x-acs-* sent.
ACS3_REQUIRED_HEADERS = frozenset(
    {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce"}
)
_PADDED_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_AUTHORIZATION = re.compile(
    r"(?P<algorithm>\S+) Credential=(?P<key>[^,\s]*),SignedHeaders=(?P<headers>[^,\s]*),"
    r"Signature=(?P<signature>[0-9a-fA-F]+)"
)


@dataclass(frozen=True, slots=True)
class IncomingRequest:
    """A request as received. ``params`` are the query fields, plus the form fields when the body
    is a form (``form`` is then True); the verifier decides which of them the signature covers.
    """

    method: str
    path: str
    query: Mapping[str, str]
    params: Mapping[str, str]
    headers: Mapping[str, list[str]]  # lower-case names
    body: bytes
    form: bool = False

    def header(self, name: str) -> str | None:
        values = self.headers.get(name)
        return values[0] if values else None


@dataclass(frozen=True, slots=True)
class SignedCall:
    """What the signature covers, and so what may run: nothing else of the request is used."""

    access_key_id: str
    action: str | None
    version: str | None
    params: Mapping[str, str]


def _fail(error: ApiError, reason: str = "") -> ApiException:
    return ApiException(error.at(None, reason) if reason else error)


def _encode(value: str) -> str:
    """RFC 3986 percent-encoding, as both signatures canonicalize keys and values."""
    return quote(value, safe="~", encoding="utf-8")


def parse_timestamp(value: str) -> datetime:
    """``value`` read as ``strptime`` reads :data:`TIMESTAMP_FORMAT`, as UTC (ValueError when it
    does not fit); the zero-padded form every SDK sends is read without strptime's cost, which
    is a tenth of a request's."""
    if _PADDED_TIMESTAMP.fullmatch(value):
        return datetime(
            int(value[0:4]),
            int(value[5:7]),
            int(value[8:10]),
            int(value[11:13]),
            int(value[14:16]),
            int(value[17:19]),
            tzinfo=UTC,
        )
    return datetime.strptime(value, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def acs3_string_to_sign(request: IncomingRequest, signed_headers: list[str]) -> str:
    canonical_query = "&".join(
        f"{_encode(key)}={_encode(request.query[key])}" for key in sorted(request.query)
    )
    canonical_headers = "".join(
        f"{name}:{','.join(sorted(value.strip() for value in request.headers[name]))}\n"
        for name in signed_headers
    )
    canonical_request = "\n".join(
        [
            request.method,
            request.path or "/",
            canonical_query,
            canonical_headers,
            ";".join(signed_headers),
            hashlib.sha256(request.body).hexdigest(),
        ]
    )
    return f"{ACS3_ALGORITHM}\n{hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()}"


def acs3_signature(secret: str, string_to_sign: str) -> str:
    return hmac.new(secret.encode(), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def v2_string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(
        f"{_encode(key)}={_encode(params[key])}" for key in sorted(params) if key != "Signature"
    )
    return f"{method}&{_encode('/')}&{_encode(canonical)}"


def v2_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class SignatureVerifier:
    """Verifies either signature against the local access keys; returns what was signed."""

    def __init__(
        self,
        keys: AccessKeyStore,
        window: timedelta = DEFAULT_WINDOW,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._keys = keys
        self._window = window
        self._now = now
        self._nonces = NonceStore(keys.home, window, now)

    def stop_waiting(self) -> None:
        """``serve`` is stopping: a request waiting to record its nonce, now or later, answers
        ``ServiceUnavailable`` at once."""
        self._nonces.stop_waiting()

    def verify(self, request: IncomingRequest) -> SignedCall:
        if request.header("authorization") is not None:
            return self._verify_acs3(request)
        if "Signature" in request.params or "AccessKeyId" in request.params:
            return self._verify_v2(request)
        raise ApiException(ge.missing_parameter("Signature"))

    # -- ACS3-HMAC-SHA256 --

    def _verify_acs3(self, request: IncomingRequest) -> SignedCall:
        match = _AUTHORIZATION.fullmatch((request.header("authorization") or "").strip())
        if match is None:
            raise _fail(ge.INCOMPLETE_SIGNATURE, "the Authorization header is malformed")
        if match["algorithm"] != ACS3_ALGORITHM:
            raise _fail(
                ge.INCOMPLETE_SIGNATURE, f"only {ACS3_ALGORITHM} and v2 (HMAC-SHA1) are supported"
            )
        date = request.header("x-acs-date")
        nonce = request.header("x-acs-signature-nonce")
        if not date:
            raise ApiException(ge.missing_parameter("x-acs-date"))
        if not nonce:
            raise ApiException(ge.missing_parameter("x-acs-signature-nonce"))
        signed = match["headers"].split(";")
        if (
            signed != sorted(set(signed))
            or any(name not in request.headers for name in signed)
            or not ACS3_REQUIRED_HEADERS.issubset(signed)
            or any(name.startswith("x-acs-") and name not in signed for name in request.headers)
        ):
            raise _fail(
                ge.INCOMPLETE_SIGNATURE,
                "SignedHeaders must list, sorted, host and every x-acs-* header sent",
            )
        if request.body and "content-type" not in signed:
            raise _fail(ge.INCOMPLETE_SIGNATURE, "a request body needs content-type signed")
        params = request.params if request.form else request.query
        action, version = request.header("x-acs-action"), request.header("x-acs-version")
        _agree(params, "Action", action, "x-acs-action")
        _agree(params, "Version", version, "x-acs-version")
        key = self._key(match["key"])
        sent = self._check_time(date)
        string_to_sign = acs3_string_to_sign(request, signed)
        expected = acs3_signature(key.secret, string_to_sign)
        if not hmac.compare_digest(expected.encode(), match["signature"].lower().encode()):
            raise ApiException(ge.signature_does_not_match(string_to_sign))
        call = SignedCall(key.access_key_id, action, version, params)
        return self._signed(request, key, nonce, sent, call)

    # -- v2: HMAC-SHA1 over the parameters --

    def _verify_v2(self, request: IncomingRequest) -> SignedCall:
        params = request.params
        for name in ("AccessKeyId", "Signature", "SignatureMethod", "Timestamp", "SignatureNonce"):
            if not params.get(name):
                raise ApiException(ge.missing_parameter(name))
        if params["SignatureMethod"] != V2_METHOD or params.get("SignatureVersion") != V2_VERSION:
            raise _fail(
                ge.INCOMPLETE_SIGNATURE,
                f"SignatureMethod must be {V2_METHOD} and SignatureVersion {V2_VERSION}",
            )
        _agree(params, "Action", request.header("x-acs-action"), "x-acs-action")
        _agree(params, "Version", request.header("x-acs-version"), "x-acs-version")
        key = self._key(params["AccessKeyId"])
        sent = self._check_time(params["Timestamp"])
        string_to_sign = v2_string_to_sign(request.method, params)
        expected = v2_signature(key.secret, string_to_sign)
        if not hmac.compare_digest(expected.encode(), params["Signature"].encode()):
            raise ApiException(ge.signature_does_not_match(string_to_sign))
        call = SignedCall(key.access_key_id, params.get("Action"), params.get("Version"), params)
        return self._signed(request, key, params["SignatureNonce"], sent, call)

    # -- shared checks --

    def _key(self, access_key_id: str) -> AccessKey:
        if not access_key_id:
            raise ApiException(ge.missing_parameter("AccessKeyId"))
        key = self._keys.get(access_key_id)
        if key is None:
            raise ApiException(ge.ACCESS_KEY_NOT_FOUND)
        if key.status != ACTIVE:
            raise ApiException(ge.ACCESS_KEY_INACTIVE)
        return key

    def _check_time(self, value: str) -> datetime:
        try:
            sent = parse_timestamp(value)
        except ValueError:
            raise _fail(ge.TIMESTAMP_FORMAT, "expected UTC as 2026-01-01T12:00:00Z") from None
        if abs(self._now() - sent) > self._window:
            raise ApiException(ge.TIMESTAMP_EXPIRED)
        return sent

    def _signed(
        self, request: IncomingRequest, key: AccessKey, nonce: str, sent: datetime, call: SignedCall
    ) -> SignedCall:
        """The call, once its body is known to be read whole and its nonce is new."""
        if request.body and not request.form:
            raise _fail(ge.MALFORMED_REQUEST, "a request body must be a form")
        if not self._nonces.use(key.access_key_id, nonce, sent):
            raise ApiException(ge.NONCE_USED)
        return call


def _agree(params: Mapping[str, str], name: str, header: str | None, header_name: str) -> None:
    """A target given twice (parameter and header) must be the same, or the request is refused."""
    if header is not None and name in params and params[name] != header:
        raise _fail(ge.INCOMPLETE_SIGNATURE, f"the {header_name} header disagrees with {name}")
