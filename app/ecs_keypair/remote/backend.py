"""The key pair backend on ECS endpoints (the real cloud, or ``ecs-keypair serve``) via the SDK.

It is a :class:`ecs_keypair.contract.backend.KeyPairBackend`, as the local engine is, so the screens
and the command line use either without knowing which: each typed request becomes the SDK's
request, sent to the endpoint of its region (:mod:`ecs_keypair.remote.endpoints`: one for every
region, or each region's own on the cloud), through one SDK client per region, made when the
region is first called. The endpoint is the authority: calls go to it as they are, and its
answers (errors included) come back as the same typed results the engine returns. The live name
check applies the rules locally and asks the endpoint only for the region's names, kept for a
few seconds so that typing does not become a stream of requests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.models import Config

from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract import instance_requests as iq
from ecs_keypair.contract import instance_results as ir
from ecs_keypair.contract import instance_rules, rules
from ecs_keypair.contract import results as rs
from ecs_keypair.contract.backend import KeySpec
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.ids import utc_minute
from ecs_keypair.contract.instances import BoundKey, InstanceRecord
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
from ecs_keypair.contract.regions import Region
from ecs_keypair.contract.rules import Tag
from ecs_keypair.keys.key_specs import DEFAULT_RSA_BITS
from ecs_keypair.remote.credentials import access_key_id, credential_client, credentials_source
from ecs_keypair.remote.endpoints import CLOUD_NAME, Endpoint, Routes, region_of
from ecs_keypair.remote.region_cache import RegionCache
from ecs_keypair.remote.region_list import RegionList
from ecs_keypair.remote.sdk_errors import api_error

DEFAULT_QUOTA = 500  # the cloud's default per region; the endpoint enforces its own
NAMES_TTL_SECONDS = 10.0
PAGE_SIZE = 50
CONNECT_TIMEOUT_MS = 5_000
READ_TIMEOUT_MS = 30_000

_T = TypeVar("_T")
_Tag = TypeVar("_Tag")


def _sdk_tags(
    model: Callable[..., _Tag], tags: Sequence[Tag | rq.TagFilter]
) -> list[_Tag] | None:
    """The request's tags as the SDK's tag model of that request; None (left out) for none."""
    return [model(key=tag.key, value=tag.value) for tag in tags] or None


def not_offered(action: str) -> ApiError:
    return ApiError(
        "InvalidAction.NotFound",
        f"{action} is a Resource Manager action; an ECS endpoint does not offer it.",
        404,
    )


def _record(
    item: models.DescribeKeyPairsResponseBodyKeyPairsKeyPair, region_id: str
) -> KeyPairRecord:
    tags = item.tags.tag if item.tags and item.tags.tag else []
    return KeyPairRecord(
        key_pair_id="",  # DescribeKeyPairs does not return it
        key_pair_name=item.key_pair_name or "",
        region_id=region_id,
        fingerprint=item.key_pair_finger_print or "",
        public_key=item.public_key or "",  # only when IncludePublicKey was true
        resource_group_id=item.resource_group_id or "",
        creation_time=item.creation_time or "",
        tags=tuple(Tag(t.tag_key or "", t.tag_value or "") for t in tags),
    )


class RemoteBackend:
    """CreateKeyPair and its neighbours on an endpoint; see the module docstring."""

    def __init__(
        self,
        routes: Routes,
        credentials: CredentialClient,
        *,
        label: str = "",
        read_timeout_ms: int = READ_TIMEOUT_MS,
        region_cache: RegionCache | None = None,
    ) -> None:
        self.routes = routes
        self._credentials = credentials
        self._label = label or routes.label
        self._read_timeout_ms = read_timeout_ms
        self._clients: dict[str, tuple[Client, Endpoint]] = {}
        self._names: dict[str, tuple[float, set[str]]] = {}
        self._groups_seen: dict[str, None] = {}
        self._lock = threading.Lock()
        self._regions = RegionList(self._described_regions, region_cache)

    @classmethod
    def connect(cls, endpoint: str, profile: str | None = None) -> RemoteBackend:
        """The backend for ``--endpoint`` with credentials from ``--profile`` or the defaults."""
        return cls(Routes.one(endpoint), credential_client(profile))

    @classmethod
    def connect_cloud(cls, profile: str | None = None, home: Path | None = None) -> RemoteBackend:
        """Alibaba Cloud, each region at its own endpoint, with credentials from ``--profile``
        or the defaults; the header says whose. With a data ``home``, the region list is kept
        there a day for these endpoints and this access key id."""
        routes = Routes.cloud()
        cache = None
        if home is not None:
            owner = {
                "Endpoints": {region: end.url for region, end in routes.by_region.items()},
                "AccessKeyId": access_key_id(profile),
            }
            cache = RegionCache(home, owner)
        return cls(
            routes,
            credential_client(profile),
            label=f"{CLOUD_NAME} · {credentials_source(profile)}",
            region_cache=cache,
        )

    def _client(self, region_id: str | None) -> tuple[Client, Endpoint]:
        """The SDK client for the region's endpoint (made at its first call), and the endpoint."""
        region = region_of(region_id)
        with self._lock:
            made = self._clients.get(region)
            if made is None:
                endpoint = self.routes.endpoint_for(region)
                client = Client(
                    Config(
                        credential=self._credentials,
                        endpoint=endpoint.host,
                        protocol=endpoint.protocol,
                        region_id=region,
                        connect_timeout=CONNECT_TIMEOUT_MS,
                        read_timeout=self._read_timeout_ms,
                    )
                )
                made = self._clients[region] = (client, endpoint)
        return made

    def _call(self, region_id: str | None, call: Callable[[Client], _T]) -> _T:
        """``call`` with the region's client; what it raises becomes the API's error value."""
        client, endpoint = self._client(region_id)
        try:
            return call(client)
        except ApiException:
            raise
        except Exception as exc:  # the SDK's errors, network failures: always an ApiError value
            raise ApiException(api_error(exc, endpoint.host)) from None

    # -- what the screens show beside the API --

    is_local = False
    """Any call may wait on the network, up to the timeouts above: never on a UI's event loop."""

    @property
    def backend_label(self) -> str:
        return self._label

    @property
    def header_names_region(self) -> bool:
        """On the cloud each region is an endpoint of its own; one endpoint is named itself."""
        return self.routes.is_cloud

    @property
    def quota(self) -> int:
        return DEFAULT_QUOTA

    def regions(self, refresh: bool = True) -> tuple[Region, ...]:
        """The endpoint's DescribeRegions answer (:class:`RegionList`): the endpoint is the
        authority on the regions it serves, a cloud's new region included."""
        return self._regions.current() if refresh else self._regions.known()

    def _described_regions(self) -> tuple[Region, ...]:
        return self.describe_regions(rq.DescribeRegionsRequest()).regions

    @property
    def proposed_key_type(self) -> KeySpec:
        """On the cloud, RSA: its ImportKeyPair documents rsa, dsa and ecdsa, not ed25519. One
        endpoint (serve, a proxy) is taken to import what the local store imports."""
        return ("rsa", DEFAULT_RSA_BITS) if self.routes.is_cloud else ("ed25519", None)

    def count_key_pairs(self, region_id: str) -> int:
        return len(self._region_names(region_id))

    def resource_groups(self) -> list[ResourceGroup]:
        """The groups seen on the endpoint's key pairs so far (ECS cannot list groups)."""
        return [ResourceGroup(group, group, group, "") for group in self._groups_seen]

    def stop_waiting(self) -> None:
        """Nothing to stop: a call here waits on the network, bounded by the timeouts above,
        never on a lock of this machine."""

    # -- checks the form runs live --

    def check_name(self, region_id: str, name: str | None) -> ApiError | None:
        known = [region.region_id for region in self.regions(refresh=False)]
        return rules.check_name_against(region_id, name, known, self._region_names)

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

    # -- the API: one method per action, the SDK's request built from the typed one --

    def create_key_pair(self, request: rq.CreateKeyPairRequest) -> rs.CreatedKeyPair:
        sdk_request = models.CreateKeyPairRequest(
            region_id=request.region_id,
            key_pair_name=request.key_pair_name,
            resource_group_id=request.resource_group_id,
            tag=_sdk_tags(models.CreateKeyPairRequestTag, request.tags),
        )
        body = self._call(request.region_id, lambda c: c.create_key_pair(sdk_request)).body
        from ecs_keypair.keys.key_formats import public_key_in

        # derived locally, without the private half's check: the endpoint's key decides its cost
        public_key = public_key_in(body.private_key_body.encode("ascii"))
        record = KeyPairRecord(
            key_pair_id=body.key_pair_id or "",
            key_pair_name=body.key_pair_name,
            region_id=request.region_id or "",
            fingerprint=body.key_pair_finger_print or public_key.md5_fingerprint,
            public_key=public_key.line,
            resource_group_id=request.resource_group_id or "",
            creation_time=utc_minute(),  # CreateKeyPair does not return it; now, to the minute
            tags=tuple(request.tags),
        )
        self._remember(record.region_id, record.key_pair_name)
        return rs.CreatedKeyPair(
            record, GeneratedKey(body.private_key_body, public_key), body.request_id or ""
        )

    def import_key_pair(self, request: rq.ImportKeyPairRequest) -> rs.ImportedKeyPair:
        sdk_request = models.ImportKeyPairRequest(
            region_id=request.region_id,
            key_pair_name=request.key_pair_name,
            public_key_body=request.public_key_body,
            resource_group_id=request.resource_group_id,
            tag=_sdk_tags(models.ImportKeyPairRequestTag, request.tags),
        )
        body = self._call(request.region_id, lambda c: c.import_key_pair(sdk_request)).body
        self._remember(request.region_id or "", request.key_pair_name or "")
        return rs.ImportedKeyPair(
            body.key_pair_name or "", body.key_pair_finger_print or "", body.request_id or ""
        )

    def describe_key_pairs(self, request: rq.DescribeKeyPairsRequest) -> rs.KeyPairPage:
        sdk_request = models.DescribeKeyPairsRequest(
            region_id=request.region_id,
            key_pair_name=request.key_pair_name,
            key_pair_finger_print=request.fingerprint,
            resource_group_id=request.resource_group_id,
            tag=_sdk_tags(models.DescribeKeyPairsRequestTag, request.tags),
            page_number=request.page_number,
            page_size=request.page_size,
            include_public_key=request.include_public_key or None,
        )
        body = self._call(request.region_id, lambda c: c.describe_key_pairs(sdk_request)).body
        items = body.key_pairs.key_pair if body.key_pairs and body.key_pairs.key_pair else []
        records = tuple(_record(item, request.region_id or "") for item in items)
        for record in records:
            if record.resource_group_id:
                self._groups_seen.setdefault(record.resource_group_id)
        return rs.KeyPairPage(
            records,
            body.total_count or 0,
            body.page_number or 1,
            body.page_size or len(records),
            request.include_public_key,
            body.request_id or "",
        )

    def find_key_pairs(
        self,
        region_id: str | None,
        key_pair_name: str | None = None,
        fingerprint: str | None = None,
        resource_group_id: str | None = None,
        tags: Sequence[rq.TagFilter] = (),
        include_public_key: bool = False,
    ) -> list[KeyPairRecord]:
        """Every match, page by page (DescribeKeyPairs without paging)."""
        found: list[KeyPairRecord] = []
        page = 1
        while True:
            answer = self.describe_key_pairs(
                rq.DescribeKeyPairsRequest(
                    region_id,
                    key_pair_name,
                    fingerprint,
                    resource_group_id,
                    tuple(tags),
                    page_number=page,
                    page_size=PAGE_SIZE,
                    include_public_key=include_public_key,
                )
            )
            found.extend(answer.key_pairs)
            if not answer.key_pairs or len(found) >= answer.total_count:
                return found
            page += 1

    def delete_key_pairs(self, request: rq.DeleteKeyPairsRequest) -> rs.Acknowledged:
        names = None if request.key_pair_names is None else json.dumps(request.key_pair_names)
        sdk_request = models.DeleteKeyPairsRequest(
            region_id=request.region_id, key_pair_names=names
        )
        body = self._call(request.region_id, lambda c: c.delete_key_pairs(sdk_request)).body
        with self._lock:
            self._names.pop(request.region_id or "", None)  # re-read the names next time
        return rs.Acknowledged(body.request_id or "")

    def describe_regions(self, request: rq.DescribeRegionsRequest) -> rs.RegionList:
        sdk_request = models.DescribeRegionsRequest()
        body = self._call(None, lambda c: c.describe_regions(sdk_request)).body
        regions = body.regions.region if body.regions and body.regions.region else []
        return rs.RegionList(
            tuple(Region(r.region_id or "", r.local_name or "") for r in regions),
            body.request_id or "",
        )

    def create_resource_group(
        self, request: rq.CreateResourceGroupRequest
    ) -> rs.CreatedResourceGroup:
        raise ApiException(not_offered("CreateResourceGroup"))

    def list_resource_groups(self, request: rq.ListResourceGroupsRequest) -> rs.ResourceGroupPage:
        raise ApiException(not_offered("ListResourceGroups"))

    def tag_resources(self, request: rq.TagResourcesRequest) -> rs.Acknowledged:
        sdk_request = models.TagResourcesRequest(
            region_id=request.region_id,
            resource_type=request.resource_type,
            resource_id=list(request.resource_ids) or None,
            tag=_sdk_tags(models.TagResourcesRequestTag, request.tags),
        )
        body = self._call(request.region_id, lambda c: c.tag_resources(sdk_request)).body
        return rs.Acknowledged(body.request_id or "")

    def untag_resources(self, request: rq.UntagResourcesRequest) -> rs.Acknowledged:
        sdk_request = models.UntagResourcesRequest(
            region_id=request.region_id,
            resource_type=request.resource_type,
            resource_id=list(request.resource_ids) or None,
            tag_key=list(request.tag_keys) or None,
            all=request.all or None,
        )
        body = self._call(request.region_id, lambda c: c.untag_resources(sdk_request)).body
        return rs.Acknowledged(body.request_id or "")

    def list_tag_resources(self, request: rq.ListTagResourcesRequest) -> rs.TagResourcePage:
        """The SDK's rq.ListTagResourcesRequest has no MaxResults: the endpoint's page size
        holds."""
        sdk_request = models.ListTagResourcesRequest(
            region_id=request.region_id,
            resource_type=request.resource_type,
            resource_id=list(request.resource_ids) or None,
            tag=_sdk_tags(models.ListTagResourcesRequestTag, request.tags),
            next_token=request.next_token,
        )
        body = self._call(request.region_id, lambda c: c.list_tag_resources(sdk_request)).body
        found = body.tag_resources.tag_resource if body.tag_resources else None
        return rs.TagResourcePage(
            tuple(
                rs.TagResource(
                    item.resource_id or "",
                    item.resource_type or "",
                    item.tag_key or "",
                    item.tag_value or "",
                )
                for item in found or []
            ),
            body.next_token or None,
            body.request_id or "",
        )

    def join_resource_group(self, request: rq.JoinResourceGroupRequest) -> rs.Acknowledged:
        sdk_request = models.JoinResourceGroupRequest(
            region_id=request.region_id,
            resource_type=request.resource_type,
            resource_id=request.resource_id,
            resource_group_id=request.resource_group_id,
        )
        body = self._call(request.region_id, lambda c: c.join_resource_group(sdk_request)).body
        return rs.Acknowledged(body.request_id or "")

    # -- instances, as much as key pairs need --

    def run_instances(self, request: iq.RunInstancesRequest) -> ir.LaunchedInstances:
        sdk_request = models.RunInstancesRequest(
            region_id=request.region_id,
            image_id=request.image_id,
            instance_type=request.instance_type,
            key_pair_name=request.key_pair_name,
            amount=request.amount,
            instance_name=request.instance_name,
            dry_run=request.dry_run or None,
        )
        body = self._call(request.region_id, lambda c: c.run_instances(sdk_request)).body
        ids = body.instance_id_sets.instance_id_set if body.instance_id_sets else None
        return ir.LaunchedInstances(tuple(ids or ()), body.request_id or "")

    def describe_instances(self, request: iq.DescribeInstancesRequest) -> ir.InstancePage:
        ids = request.instance_ids
        sdk_request = models.DescribeInstancesRequest(
            region_id=request.region_id,
            instance_ids=None if ids is None else json.dumps(list(ids)),
            key_pair_name=request.key_pair_name,
            instance_name=request.instance_name,
            status=request.status,
            page_number=request.page_number,
            page_size=request.page_size,
            max_results=request.max_results,
            next_token=request.next_token,
            dry_run=request.dry_run or None,
        )
        body = self._call(request.region_id, lambda c: c.describe_instances(sdk_request)).body
        items = body.instances.instance if body.instances and body.instances.instance else []
        records = tuple(_instance(item, request.region_id or "") for item in items)
        by_token = request.max_results is not None or bool(request.next_token)
        return ir.InstancePage(
            records,
            body.request_id or "",
            body.total_count or 0,
            body.page_number or 1,
            body.page_size or len(records),
            by_token,
            body.next_token or None,
        )

    def _check_in_region(self, instance_id: str | None, region_id: str | None) -> None:
        """A RegionId given looks in that region only, as on the local store; the SDK's requests
        of the calls on one instance carry no region, so the endpoint is asked first whether the
        instance is there (one DescribeInstances)."""
        if region_id is None or not instance_id:
            return
        page = self.describe_instances(
            iq.DescribeInstancesRequest(region_id, instance_ids=(instance_id,))
        )
        if not any(record.instance_id == instance_id for record in page.instances):
            raise ApiException(instance_rules.instance_not_found(instance_id, region_id))

    def start_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged:
        return self._on_one_instance(request, models.StartInstanceRequest, Client.start_instance)

    def stop_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged:
        return self._on_one_instance(request, models.StopInstanceRequest, Client.stop_instance)

    def reboot_instance(self, request: iq.InstanceRequest) -> rs.Acknowledged:
        return self._on_one_instance(
            request, models.RebootInstanceRequest, Client.reboot_instance
        )

    def _on_one_instance(
        self,
        request: iq.InstanceRequest,
        model: type[Any],
        send: Callable[[Client, Any], Any],
    ) -> rs.Acknowledged:
        """StartInstance, StopInstance or RebootInstance: one instance, another verb."""
        sdk_request = model(instance_id=request.instance_id, dry_run=request.dry_run or None)
        self._check_in_region(request.instance_id, request.region_id)
        body = self._call(request.region_id, lambda c: send(c, sdk_request)).body
        return rs.Acknowledged(body.request_id or "")

    def delete_instance(self, request: iq.DeleteInstanceRequest) -> rs.Acknowledged:
        sdk_request = models.DeleteInstanceRequest(
            instance_id=request.instance_id,
            force=request.force or None,
            dry_run=request.dry_run or None,
        )
        self._check_in_region(request.instance_id, request.region_id)
        body = self._call(request.region_id, lambda c: c.delete_instance(sdk_request)).body
        return rs.Acknowledged(body.request_id or "")

    def attach_key_pair(self, request: iq.KeyPairInstancesRequest) -> ir.KeyPairInstances:
        return self._key_pair_instances(
            request, models.AttachKeyPairRequest, Client.attach_key_pair
        )

    def detach_key_pair(self, request: iq.KeyPairInstancesRequest) -> ir.KeyPairInstances:
        return self._key_pair_instances(
            request, models.DetachKeyPairRequest, Client.detach_key_pair
        )

    def _key_pair_instances(
        self,
        request: iq.KeyPairInstancesRequest,
        model: type[Any],
        send: Callable[[Client, Any], Any],
    ) -> ir.KeyPairInstances:
        """AttachKeyPair or DetachKeyPair: the same request and answer, a different verb."""
        ids = request.instance_ids
        sdk_request = model(
            region_id=request.region_id,
            key_pair_name=request.key_pair_name,
            instance_ids=None if ids is None else json.dumps(list(ids)),
        )
        body = self._call(request.region_id, lambda c: send(c, sdk_request)).body
        results = body.results.result if body.results and body.results.result else []
        return ir.KeyPairInstances(
            body.key_pair_name or request.key_pair_name or "",
            tuple(_outcome(r.instance_id, r.success, r.code, r.message) for r in results),
            body.request_id or "",
        )


def _instance(
    item: models.DescribeInstancesResponseBodyInstancesInstance, region_id: str
) -> InstanceRecord:
    """An endpoint's instance; the key in effect is not something the API says."""
    name = item.key_pair_name or ""
    return InstanceRecord(
        instance_id=item.instance_id or "",
        instance_name=item.instance_name or "",
        region_id=item.region_id or region_id,
        image_id=item.image_id or "",
        instance_type=item.instance_type or "",
        status=item.status or "",
        creation_time=item.creation_time or "",
        bound=BoundKey(name, "") if name else None,
    )


def _outcome(
    instance_id: str | None, success: object, code: str | None, message: str | None
) -> ir.InstanceOutcome:
    """One instance's result; the SDK's models type ``Success`` as text, the API's pages show a
    boolean: both are read. A failure carries the call's status (the instance has none)."""
    if success is True or str(success).lower() == "true":
        return ir.InstanceOutcome(instance_id or "")
    error = ApiError(code or "", message or "", 200)
    return ir.InstanceOutcome(instance_id or "", error)
