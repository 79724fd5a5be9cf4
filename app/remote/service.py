"""The key pair service on an ECS endpoint (the real cloud, or ``ecs-keypair serve``) via the SDK.

It offers the public methods of :class:`app.engine.service.KeyPairService`, so the screens and the
command line use either without knowing which. The endpoint is the authority: calls go to it as
they are, and its answers (errors included) come back as the same values the engine returns. The
live name check applies the rules locally and asks the endpoint only for the region's names, kept
for a few seconds so that typing does not become a stream of requests.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.models import Config
from cryptography.hazmat.primitives import serialization

from app.engine import rules
from app.engine.errors import ApiError, ApiException
from app.engine.ids import utc_minute
from app.engine.keys import GeneratedKey, PublicKey
from app.engine.records import KeyPairRecord, ResourceGroup
from app.engine.regions import DEFAULT_REGION_ID
from app.engine.rules import Tag
from app.engine.service import CreatedKeyPair, TagFilter

from .credentials import credential_client
from .sdk_errors import api_error

DEFAULT_QUOTA = 500  # the cloud's default per region; the endpoint enforces its own
NAMES_TTL_SECONDS = 10.0
PAGE_SIZE = 50
CONNECT_TIMEOUT_MS = 5_000
READ_TIMEOUT_MS = 30_000

Body = dict[str, Any]
_T = TypeVar("_T")


def not_offered(action: str) -> ApiError:
    return ApiError(
        "InvalidAction.NotFound",
        f"{action} is a Resource Manager action; an ECS endpoint does not offer it.",
        404,
    )


@dataclass(frozen=True, slots=True)
class Endpoint:
    """``--endpoint`` as given: ``host[:port]`` (HTTPS, as the cloud) or ``http://host:port``."""

    protocol: str
    host: str

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ApiException(
                ApiError(
                    "InvalidParameter",
                    f"The endpoint {text!r} is not a host such as ecs.cn-hangzhou.aliyuncs.com "
                    "or an address such as http://127.0.0.1:8080.",
                    400,
                ).at("--endpoint", "must be a host or http(s)://host:port")
            )
        return cls(parts.scheme, parts.netloc)


def public_key_of(private_pem: str) -> PublicKey:
    """The OpenSSH public half of the private key the endpoint returned, derived locally."""
    private_key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    line = private_key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    key_type, encoded = line.decode("ascii").split(" ", 1)
    return PublicKey(key_type, base64.b64decode(encoded))


def _record(item: Body, region_id: str) -> KeyPairRecord:
    tags = (item.get("Tags") or {}).get("Tag") or []
    return KeyPairRecord(
        key_pair_id=item.get("KeyPairId", ""),  # DescribeKeyPairs does not return it
        key_pair_name=item.get("KeyPairName", ""),
        region_id=region_id,
        fingerprint=item.get("KeyPairFingerPrint", ""),
        public_key=item.get("PublicKey", ""),
        resource_group_id=item.get("ResourceGroupId", ""),
        creation_time=item.get("CreationTime", ""),
        tags=tuple(Tag(t.get("TagKey", ""), t.get("TagValue", "")) for t in tags),
    )


class RemoteKeyPairService:
    """CreateKeyPair and its neighbours on an endpoint; see the module docstring."""

    def __init__(
        self, endpoint: str, credentials: CredentialClient, read_timeout_ms: int = READ_TIMEOUT_MS
    ) -> None:
        self.endpoint = Endpoint.parse(endpoint)
        self._client = Client(
            Config(
                credential=credentials,
                endpoint=self.endpoint.host,
                protocol=self.endpoint.protocol,
                region_id=DEFAULT_REGION_ID,
                connect_timeout=CONNECT_TIMEOUT_MS,
                read_timeout=read_timeout_ms,
            )
        )
        self._names: dict[str, tuple[float, set[str]]] = {}
        self._groups_seen: dict[str, None] = {}
        self._lock = threading.Lock()

    @classmethod
    def connect(cls, endpoint: str, profile: str | None = None) -> RemoteKeyPairService:
        """The service for ``--endpoint`` with credentials from ``--profile`` or the defaults."""
        return cls(endpoint, credential_client(profile))

    def _call(self, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except ApiException:
            raise
        except Exception as exc:  # the SDK's errors, network failures: always an ApiError value
            raise ApiException(api_error(exc, self.endpoint.host)) from None

    # -- what the screens show beside the API --

    is_local = False
    """Any call may wait on the network, up to the timeouts above: never on a UI's event loop."""

    @property
    def backend_label(self) -> str:
        return f"endpoint {self.endpoint.host}"

    @property
    def quota(self) -> int:
        return DEFAULT_QUOTA

    def count_key_pairs(self, region_id: str) -> int:
        return len(self._region_names(region_id))

    def resource_groups(self) -> list[ResourceGroup]:
        """The groups seen on the endpoint's key pairs so far (ECS cannot list groups)."""
        return [ResourceGroup(group, group, group, "") for group in self._groups_seen]

    # -- checks the form runs live --

    def check_name(self, region_id: str, name: str | None) -> ApiError | None:
        problem = rules.check_key_pair_name(name) or rules.check_region_id(region_id)
        if problem or name is None:
            return problem
        try:
            names = self._region_names(region_id)
        except ApiException as exc:
            return exc.error.at(
                "KeyPairName", f"cannot check with the endpoint: {exc.error.message}"
            )
        if name in names:
            return ApiError("KeyPair.AlreadyExist", "The key pair already exist.", 400).at(
                "KeyPairName", f"a key pair with this name already exists in {region_id}"
            )
        return None

    def check_resource_group(self, resource_group_id: str | None) -> ApiError | None:
        return None  # the endpoint checks it when the key pair is created

    def _region_names(self, region_id: str) -> set[str]:
        with self._lock:
            cached = self._names.get(region_id)
        if cached is not None and time.monotonic() - cached[0] < NAMES_TTL_SECONDS:
            return cached[1]
        names = {record.key_pair_name for record in self.find_key_pairs(region_id)}
        with self._lock:
            self._names[region_id] = (time.monotonic(), names)
        return names

    def _remember(self, region_id: str, name: str) -> None:
        """A name just created or imported counts as taken at once, before the next listing."""
        with self._lock:
            cached = self._names.get(region_id)
            if cached is not None:
                self._names[region_id] = (cached[0], cached[1] | {name})

    # -- the API --

    def create_key_pair(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        resource_group_id: str | None = None,
        tags: Sequence[Tag] = (),
    ) -> CreatedKeyPair:
        request = models.CreateKeyPairRequest(
            region_id=region_id,
            key_pair_name=key_pair_name,
            resource_group_id=resource_group_id,
            tag=[models.CreateKeyPairRequestTag(key=t.key, value=t.value) for t in tags] or None,
        )
        body = self._call(lambda: self._client.create_key_pair(request)).body
        public_key = public_key_of(body.private_key_body)
        record = KeyPairRecord(
            key_pair_id=body.key_pair_id or "",
            key_pair_name=body.key_pair_name,
            region_id=region_id or "",
            fingerprint=body.key_pair_finger_print or public_key.md5_fingerprint,
            public_key=public_key.line,
            resource_group_id=resource_group_id or "",
            creation_time=utc_minute(),  # CreateKeyPair does not return it; now, to the minute
            tags=tuple(tags),
        )
        self._remember(record.region_id, record.key_pair_name)
        return CreatedKeyPair(
            record, GeneratedKey(body.private_key_body, public_key), body.request_id or ""
        )

    def import_key_pair(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        public_key_body: str | None,
        resource_group_id: str | None = None,
        tags: Sequence[Tag] = (),
    ) -> Body:
        request = models.ImportKeyPairRequest(
            region_id=region_id,
            key_pair_name=key_pair_name,
            public_key_body=public_key_body,
            resource_group_id=resource_group_id,
            tag=[models.ImportKeyPairRequestTag(key=t.key, value=t.value) for t in tags] or None,
        )
        body = self._call(lambda: self._client.import_key_pair(request)).body.to_map()
        self._remember(region_id or "", key_pair_name or "")
        return body

    def _describe(
        self,
        region_id: str | None,
        key_pair_name: str | None,
        fingerprint: str | None,
        resource_group_id: str | None,
        tags: Sequence[TagFilter],
        page_number: int | None,
        page_size: int | None,
    ) -> Body:
        request = models.DescribeKeyPairsRequest(
            region_id=region_id,
            key_pair_name=key_pair_name,
            key_pair_finger_print=fingerprint,
            resource_group_id=resource_group_id,
            tag=[models.DescribeKeyPairsRequestTag(key=t.key, value=t.value) for t in tags] or None,
            page_number=page_number,
            page_size=page_size,
            include_public_key=True,
        )
        body = self._call(lambda: self._client.describe_key_pairs(request)).body.to_map()
        for item in (body.get("KeyPairs") or {}).get("KeyPair") or []:
            if item.get("ResourceGroupId"):
                self._groups_seen.setdefault(item["ResourceGroupId"])
        return body

    def find_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[TagFilter] = (),
    ) -> list[KeyPairRecord]:
        """Every match, page by page (DescribeKeyPairs without paging)."""
        found: list[KeyPairRecord] = []
        page = 1
        while True:
            body = self._describe(
                region_id, key_pair_name, fingerprint, resource_group_id, tags, page, PAGE_SIZE
            )
            items = (body.get("KeyPairs") or {}).get("KeyPair") or []
            found.extend(_record(item, region_id or "") for item in items)
            if not items or len(found) >= int(body.get("TotalCount") or 0):
                return found
            page += 1

    def describe_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[TagFilter] = (),
        page_number: int | None = None,
        page_size: int | None = None,
    ) -> Body:
        return self._describe(
            region_id, key_pair_name, fingerprint, resource_group_id, tags, page_number, page_size
        )

    def delete_key_pairs(self, region_id: str | None, key_pair_names: str | None) -> Body:
        request = models.DeleteKeyPairsRequest(region_id=region_id, key_pair_names=key_pair_names)
        body = self._call(lambda: self._client.delete_key_pairs(request)).body.to_map()
        with self._lock:
            self._names.pop(region_id or "", None)  # names were given as JSON: re-read next time
        return body

    def describe_regions(self) -> Body:
        request = models.DescribeRegionsRequest()
        return self._call(lambda: self._client.describe_regions(request)).body.to_map()

    def create_resource_group(self, name: str | None, display_name: str | None) -> Body:
        raise ApiException(not_offered("CreateResourceGroup"))

    def list_resource_groups(
        self, page_number: int | None = None, page_size: int | None = None
    ) -> Body:
        raise ApiException(not_offered("ListResourceGroups"))
