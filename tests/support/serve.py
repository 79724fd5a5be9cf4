"""Shared by the serve tests: a ``serve`` on a free loopback port, SDK clients, a signing clock."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.models import Config
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import RpcRequest
from ecs_keypair.server.access_keys import AccessKey, AccessKeyStore
from ecs_keypair.server.serve import bind, serve_until_stopped
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

START_TIMEOUT = 30.0  # seconds: a bound on waiting for the thread, not a speed check


@dataclass
class RunningServe:
    port: int
    home: Path
    key: AccessKey
    output: io.StringIO

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client(
        self, *, signature: str | None = None, key_id: str | None = None, secret: str | None = None
    ) -> Client:
        """The official SDK client, pointed at this serve, signing with ``signature``."""
        config = Config(
            access_key_id=key_id or self.key.access_key_id,
            access_key_secret=secret or self.key.secret,
            endpoint=self.endpoint,
            protocol="http",
            region_id="cn-hangzhou",
            read_timeout=60_000,
            connect_timeout=10_000,
        )
        if signature:
            config.signature_algorithm = signature
        return Client(config)

    def backend(self) -> LocalBackend:
        """A second view of the same store, to look behind serve's back."""
        return LocalBackend(KeyPairStore(self.home))


@contextmanager
def running_serve(home: Path, quota: int = 500, **options: Any) -> Iterator[RunningServe]:
    """``serve`` over ``home`` in a thread of this process, stopped (gracefully) on exit.

    ``options`` go to :func:`serve_until_stopped` (limits, body_timeout, errors).
    """
    keys = AccessKeyStore(home)
    key = keys.create()
    backend = LocalBackend(KeyPairStore(home, quota))
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    output = io.StringIO()
    started = threading.Event()
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []  # set by the thread

    def main() -> None:
        async def serve() -> None:
            stop = asyncio.Event()
            running.append((asyncio.get_running_loop(), stop))
            started.set()
            await serve_until_stopped(backend, keys, sock, output, stop, **options)

        asyncio.run(serve())

    thread = threading.Thread(target=main, name="serve", daemon=True)
    thread.start()
    assert started.wait(START_TIMEOUT), "serve did not start"
    try:
        yield RunningServe(port, home, key, output)
    finally:
        loop, stop = running[0]
        loop.call_soon_threadsafe(stop.set)
        thread.join(START_TIMEOUT)


SIGNATURES = [pytest.param(None, id="ACS3-HMAC-SHA256"), pytest.param("v2", id="v2-HMAC-SHA1")]


def unique(prefix: str = "k") -> str:
    """A name no other test uses, for tests that share one serve."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def refused(call) -> ClientException:
    """The SDK's client error a call must raise (the test reads its code and message)."""
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def legacy_call(serve: RunningServe, request: RpcRequest, secret: str | None = None) -> Any:
    """The legacy SDK's (aliyun-python-sdk-core) answer to ``request``, sent to this serve."""
    client = AcsClient(
        serve.key.access_key_id,
        secret or serve.key.secret,
        "cn-hangzhou",
        auto_retry=False,
        timeout=60,
    )
    request.set_endpoint(serve.endpoint)
    request.set_protocol_type("http")
    return json.loads(client.do_action_with_exception(request))
