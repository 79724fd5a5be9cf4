"""The HTTP side of ``serve``: one handler that turns a signed RPC request into an action call.

Order of checks, each failing with the API's error body and HTTP status: method and path, the
body (its size, and its arrival within :data:`BODY_TIMEOUT`), a parseable query and form, then the
signature (see :mod:`signatures`), which returns what it covers, then ``Version`` and ``Action``
of that, and only then the action, on those signed parameters. The signature check (its nonce is
written to disk) and the action run together on a worker thread, in one hand-off, because both
block (RSA generation, file locks, ``fdatasync``). A lock held past the lock timeout, or a nonce
that cannot be recorded, is ``ServiceUnavailable`` (503: nothing ran); another store failure is
``InternalError`` (500), and so is a bug, whose details go to the operator's stderr, never to the
caller.
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import Executor
from typing import Any
from urllib.parse import parse_qsl

import orjson
from aiohttp import web

from ecs_keypair.contract import errors
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import new_request_id
from ecs_keypair.contract.regions import host_id
from ecs_keypair.contract.results import Body
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.server import gateway_errors as ge
from ecs_keypair.server.actions import API_VERSION, SERVED, run_action
from ecs_keypair.server.signatures import IncomingRequest, SignatureVerifier, SignedCall
from ecs_keypair.store.store_paths import StoreError

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 256
# Long enough for a CreateKeyPair with 20 tags of 128 CJK characters in the query (about 46 KB).
MAX_REQUEST_LINE_BYTES = 64 * 1024
MAX_HEADER_BYTES = 16 * 1024
# The headers must arrive within the idle timeout (see serve.py), the body within this after them.
BODY_TIMEOUT = 20.0
FORM_TYPE = "application/x-www-form-urlencoded"


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    response = web.Response(
        body=orjson.dumps(body), status=status, content_type="application/json", charset="utf-8"
    )
    request_id = body.get("RequestId")
    if isinstance(request_id, str):
        response.headers["x-acs-request-id"] = request_id
    return response


def _error_response(error: ApiError, region_id: str | None) -> web.Response:
    return _json(error.body(new_request_id(), host_id(region_id)), error.status)


def _fields(text: str, where: str) -> dict[str, str]:
    """Decoded ``name=value`` pairs; a repeated name, bad escapes or bad UTF-8 are refused."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except (ValueError, UnicodeDecodeError):
        raise ApiException(ge.MALFORMED_REQUEST.at(None, f"the {where} does not parse")) from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise ApiException(ge.MALFORMED_REQUEST.at(name, f"{name} is given twice"))
        fields[name] = value
    return fields


class _Seen:
    """What the worker learned of a request that its error answer names (the region)."""

    __slots__ = ("region_id",)

    def __init__(self) -> None:
        self.region_id: str | None = None


class Endpoint:
    """The ECS RPC endpoint over one backend; :meth:`handle` answers one request."""

    def __init__(
        self,
        backend: KeyPairBackend,
        verifier: SignatureVerifier,
        executor: Executor,
        body_timeout: float = BODY_TIMEOUT,
    ) -> None:
        self._backend = backend
        self._verifier = verifier
        self._executor = executor
        self._body_timeout = body_timeout

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        seen = _Seen()
        try:
            incoming = await self._incoming(request)
            loop = asyncio.get_running_loop()
            body = await loop.run_in_executor(self._executor, self._run, incoming, seen)
            return _json(body)
        except ApiException as exc:
            response = _error_response(exc.error, seen.region_id)
            if exc.error is ge.REQUEST_TIMEOUT:
                response.force_close()
            return response
        except StoreError as exc:
            print(f"serve: store error: {visible(str(exc))}", file=sys.stderr, flush=True)
            return _error_response(errors.INTERNAL_ERROR, seen.region_id)
        except Exception as exc:  # a bug: an answer for the caller, the details for the operator
            print(
                f"serve: internal error: {type(exc).__name__}: {visible(str(exc))}",
                file=sys.stderr,
                flush=True,
            )
            return _error_response(errors.INTERNAL_ERROR, seen.region_id)

    def _run(self, incoming: IncomingRequest, seen: _Seen) -> Body:
        """On a worker thread, in one hand-off: the signature (its nonce written), then the
        action on what it covers."""
        call = self._verifier.verify(incoming)
        seen.region_id = call.params.get("RegionId")
        return run_action(self._backend, self._action(call), call.params)

    async def _body(self, request: web.BaseRequest) -> bytes:
        """The whole body, at most :data:`MAX_BODY_BYTES`, sent within the body timeout."""
        if not request.body_exists:  # no Content-Length nor chunks: nothing to wait for
            return b""
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise ApiException(ge.BODY_TOO_LARGE)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self._body_timeout):
                async for chunk in request.content.iter_any():
                    size += len(chunk)
                    if size > MAX_BODY_BYTES:
                        raise ApiException(ge.BODY_TOO_LARGE)
                    chunks.append(chunk)
        except TimeoutError:
            raise ApiException(ge.REQUEST_TIMEOUT) from None
        return b"".join(chunks)

    async def _incoming(self, request: web.BaseRequest) -> IncomingRequest:
        if request.method not in ("GET", "POST"):
            raise ApiException(ge.UNSUPPORTED_METHOD)
        raw_path, _, raw_query = request.raw_path.partition("?")
        if raw_path != "/":
            raise ApiException(ge.ACTION_NOT_FOUND)
        body = await self._body(request)
        query = _fields(raw_query, "query")
        params = dict(query)
        form = bool(body) and request.content_type == FORM_TYPE
        if form:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ApiException(ge.MALFORMED_REQUEST.at(None, "the form is not UTF-8")) from None
            for name, value in _fields(text, "form body").items():
                if name in params:
                    raise ApiException(ge.MALFORMED_REQUEST.at(name, f"{name} is given twice"))
                params[name] = value
        headers = {name.lower(): request.headers.getall(name) for name in request.headers}
        return IncomingRequest(request.method, raw_path, query, params, headers, body, form)

    @staticmethod
    def _action(call: SignedCall) -> str:
        if not call.version:
            raise ApiException(ge.missing_parameter("Version"))
        if call.version != API_VERSION:
            raise ApiException(ge.INVALID_VERSION)
        if not call.action:
            raise ApiException(ge.missing_parameter("Action"))
        if call.action not in SERVED:
            raise ApiException(ge.ACTION_NOT_FOUND)
        return call.action
