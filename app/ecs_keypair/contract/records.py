"""What the store keeps of a key pair and a resource group (never a private key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ecs_keypair.contract.rules import Tag


@dataclass(frozen=True, slots=True)
class KeyPairRecord:
    key_pair_id: str
    key_pair_name: str
    region_id: str
    fingerprint: str
    public_key: str
    resource_group_id: str
    creation_time: str
    tags: tuple[Tag, ...] = ()

    def to_document(self) -> dict[str, Any]:
        return {
            "KeyPairId": self.key_pair_id,
            "KeyPairName": self.key_pair_name,
            "RegionId": self.region_id,
            "KeyPairFingerPrint": self.fingerprint,
            "PublicKey": self.public_key,
            "ResourceGroupId": self.resource_group_id,
            "CreationTime": self.creation_time,
            "Tags": [{"TagKey": tag.key, "TagValue": tag.value} for tag in self.tags],
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> KeyPairRecord:
        return cls(
            key_pair_id=document["KeyPairId"],
            key_pair_name=document["KeyPairName"],
            region_id=document["RegionId"],
            fingerprint=document["KeyPairFingerPrint"],
            public_key=document["PublicKey"],
            resource_group_id=document["ResourceGroupId"],
            creation_time=document["CreationTime"],
            tags=tuple(Tag(tag["TagKey"], tag["TagValue"]) for tag in document["Tags"]),
        )


KEY_PAIR_FIELDS = (
    "KeyPairId",
    "KeyPairName",
    "RegionId",
    "KeyPairFingerPrint",
    "PublicKey",
    "ResourceGroupId",
    "CreationTime",
)


def missing_text_field(document: dict[str, Any], fields: Sequence[str]) -> str | None:
    """``has no text field 'X'`` for the first of ``fields`` a stored document lacks as text."""
    for field in fields:
        if not isinstance(document.get(field), str):
            return f"has no text field {field!r}"
    return None


def key_pair_document_problem(document: dict[str, Any]) -> str | None:
    """What makes a stored key pair document unusable, or None."""
    missing = missing_text_field(document, KEY_PAIR_FIELDS)
    if missing:
        return missing
    tags = document.get("Tags")
    if not isinstance(tags, list) or not all(
        isinstance(tag, dict)
        and isinstance(tag.get("TagKey"), str)
        and isinstance(tag.get("TagValue"), str)
        for tag in tags
    ):
        return "has malformed Tags"
    if "PRIVATE KEY" in document["PublicKey"]:
        return "holds private key material"
    return None


@dataclass(frozen=True, slots=True)
class ResourceGroup:
    id: str
    name: str
    display_name: str
    create_date: str

    def to_document(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "Name": self.name,
            "DisplayName": self.display_name,
            "CreateDate": self.create_date,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> ResourceGroup:
        return cls(
            document["Id"], document["Name"], document["DisplayName"], document["CreateDate"]
        )


def resource_group_document_problem(document: dict[str, Any]) -> str | None:
    return missing_text_field(document, ("Id", "Name", "DisplayName", "CreateDate"))
