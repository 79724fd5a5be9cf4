"""The typed results of every action, each with the response body the API returns for it.

Backends return these (the local engine and the endpoint client alike); the doors print or send
``body()``, field for field as the API reference lists it, and the screens read the fields.
Frozen dataclasses, like the requests (:mod:`~ecs_keypair.contract.api_requests` says why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
from ecs_keypair.contract.regions import Region

if TYPE_CHECKING:  # the command line's --help does not load cryptography
    from ecs_keypair.contract.key_values import GeneratedKey, PublicKey

Body = dict[str, Any]


def _tags_body(record: KeyPairRecord) -> Body:
    return {"Tag": [{"TagKey": t.key, "TagValue": t.value} for t in record.tags]}


@dataclass(frozen=True, slots=True)
class CreatedKeyPair:
    """A new key pair as CreateKeyPair returns it, plus what the screens show beside it."""

    record: KeyPairRecord
    key: GeneratedKey = field(repr=False)
    request_id: str

    @property
    def private_key_pem(self) -> str:
        return self.key.private_pem

    @property
    def public_key(self) -> PublicKey:
        return self.key.public_key

    def body(self) -> Body:
        return {
            "PrivateKeyBody": self.key.private_pem,
            "KeyPairName": self.record.key_pair_name,
            "KeyPairId": self.record.key_pair_id,
            "RequestId": self.request_id,
            "KeyPairFingerPrint": self.record.fingerprint,
        }


@dataclass(frozen=True, slots=True)
class ImportedKeyPair:
    key_pair_name: str
    fingerprint: str
    request_id: str

    def body(self) -> Body:
        return {
            "RequestId": self.request_id,
            "KeyPairName": self.key_pair_name,
            "KeyPairFingerPrint": self.fingerprint,
        }


@dataclass(frozen=True, slots=True)
class KeyPairPage:
    """One page of DescribeKeyPairs; ``PublicKey`` is in the body only when it was asked for."""

    key_pairs: tuple[KeyPairRecord, ...]
    total_count: int
    page_number: int
    page_size: int
    include_public_key: bool
    request_id: str

    def _item(self, record: KeyPairRecord) -> Body:
        item: Body = {
            "KeyPairName": record.key_pair_name,
            "KeyPairFingerPrint": record.fingerprint,
            "CreationTime": record.creation_time,
            "ResourceGroupId": record.resource_group_id,
        }
        if self.include_public_key:
            item["PublicKey"] = record.public_key
        item["Tags"] = _tags_body(record)
        return item

    def body(self) -> Body:
        return {
            "RequestId": self.request_id,
            "TotalCount": self.total_count,
            "PageNumber": self.page_number,
            "PageSize": self.page_size,
            "KeyPairs": {"KeyPair": [self._item(record) for record in self.key_pairs]},
        }


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """An action whose answer is its RequestId alone (DeleteKeyPairs, TagResources…)."""

    request_id: str

    def body(self) -> Body:
        return {"RequestId": self.request_id}


@dataclass(frozen=True, slots=True)
class RegionList:
    regions: tuple[Region, ...]
    request_id: str

    def body(self) -> Body:
        return {
            "RequestId": self.request_id,
            "Regions": {
                "Region": [
                    {
                        "RegionId": region.region_id,
                        "LocalName": region.local_name,
                        "RegionEndpoint": region.endpoint,
                    }
                    for region in self.regions
                ]
            },
        }


def _group_body(group: ResourceGroup) -> Body:
    return {**group.to_document(), "Status": "OK"}


@dataclass(frozen=True, slots=True)
class CreatedResourceGroup:
    group: ResourceGroup
    request_id: str

    def body(self) -> Body:
        return {"RequestId": self.request_id, "ResourceGroup": _group_body(self.group)}


@dataclass(frozen=True, slots=True)
class ResourceGroupPage:
    groups: tuple[ResourceGroup, ...]
    total_count: int
    page_number: int
    page_size: int
    request_id: str

    def body(self) -> Body:
        return {
            "RequestId": self.request_id,
            "PageNumber": self.page_number,
            "PageSize": self.page_size,
            "TotalCount": self.total_count,
            "ResourceGroups": {"ResourceGroup": [_group_body(group) for group in self.groups]},
        }


@dataclass(frozen=True, slots=True)
class TagResource:
    """One tag of one resource, as ListTagResources lists it."""

    resource_id: str
    resource_type: str
    tag_key: str
    tag_value: str


@dataclass(frozen=True, slots=True)
class TagResourcePage:
    """One page of ListTagResources; ``next_token`` is None on the last page."""

    tag_resources: tuple[TagResource, ...]
    next_token: str | None
    request_id: str

    def body(self) -> Body:
        body: Body = {"RequestId": self.request_id}
        if self.next_token:
            body["NextToken"] = self.next_token
        body["TagResources"] = {
            "TagResource": [
                {
                    "ResourceId": item.resource_id,
                    "ResourceType": item.resource_type,
                    "TagKey": item.tag_key,
                    "TagValue": item.tag_value,
                }
                for item in self.tag_resources
            ]
        }
        return body
