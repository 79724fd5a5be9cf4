"""What the store keeps of an instance: enough for the key pairs it is bound to, no more.

An instance keeps two key pairs apart, as the cloud does: the one **bound** to it (what
AttachKeyPair and DetachKeyPair change, what DescribeInstances shows as ``KeyPairName``) and the
one **in effect** (what its sshd accepts). The bound one takes effect when a running instance is
rebooted or a stopped one is started. Each carries its public key line, so that the key in effect
stays known after its key pair is detached and deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ecs_keypair.contract.records import missing_text_field

PENDING = "Pending"
RUNNING = "Running"
STARTING = "Starting"
STOPPING = "Stopping"
STOPPED = "Stopped"
STATUSES = (PENDING, RUNNING, STARTING, STOPPING, STOPPED)
"""The cloud's status names. Transitions complete at once here: an instance is seen Running or
Stopped, and the other names are what the filters and the rules know of."""


@dataclass(frozen=True, slots=True)
class BoundKey:
    """A key pair as an instance holds it: its name and its public key line."""

    key_pair_name: str
    public_key: str


@dataclass(frozen=True, slots=True)
class InstanceRecord:
    instance_id: str
    instance_name: str
    region_id: str
    image_id: str
    instance_type: str
    status: str
    creation_time: str
    bound: BoundKey | None = None
    in_effect: BoundKey | None = None

    @property
    def key_pair_name(self) -> str:
        """The bound key pair's name, as DescribeInstances shows it ("" for none)."""
        return self.bound.key_pair_name if self.bound else ""

    def with_status(self, status: str) -> InstanceRecord:
        return replace(self, status=status)

    def bind(self, key: BoundKey | None) -> InstanceRecord:
        return replace(self, bound=key)

    def booted(self) -> InstanceRecord:
        """Started or rebooted: running, with the bound key pair in effect."""
        return replace(self, status=RUNNING, in_effect=self.bound)

    def to_document(self) -> dict[str, Any]:
        return {
            "InstanceId": self.instance_id,
            "InstanceName": self.instance_name,
            "RegionId": self.region_id,
            "ImageId": self.image_id,
            "InstanceType": self.instance_type,
            "Status": self.status,
            "CreationTime": self.creation_time,
            "KeyPair": _key_document(self.bound),
            "KeyPairInEffect": _key_document(self.in_effect),
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> InstanceRecord:
        return cls(
            instance_id=document["InstanceId"],
            instance_name=document["InstanceName"],
            region_id=document["RegionId"],
            image_id=document["ImageId"],
            instance_type=document["InstanceType"],
            status=document["Status"],
            creation_time=document["CreationTime"],
            bound=_key(document["KeyPair"]),
            in_effect=_key(document["KeyPairInEffect"]),
        )


def _key_document(key: BoundKey | None) -> dict[str, str] | None:
    return None if key is None else {"KeyPairName": key.key_pair_name, "PublicKey": key.public_key}


def _key(document: dict[str, str] | None) -> BoundKey | None:
    return None if document is None else BoundKey(document["KeyPairName"], document["PublicKey"])


INSTANCE_FIELDS = (
    "InstanceId",
    "InstanceName",
    "RegionId",
    "ImageId",
    "InstanceType",
    "Status",
    "CreationTime",
)


def instance_document_problem(document: dict[str, Any]) -> str | None:
    """What makes a stored instance document unusable, or None."""
    missing = missing_text_field(document, INSTANCE_FIELDS)
    if missing:
        return missing
    if document["Status"] not in STATUSES:
        return "has an unknown Status"
    for field in ("KeyPair", "KeyPairInEffect"):
        key = document.get(field, 0)
        if key is None:
            continue
        if not (
            isinstance(key, dict)
            and isinstance(key.get("KeyPairName"), str)
            and isinstance(key.get("PublicKey"), str)
        ):
            return f"has a malformed {field}"
        if "PRIVATE KEY" in key["PublicKey"]:
            return "holds private key material"
    return None
