"""The typed results of the instance actions, each with the response body the API returns.

StartInstance, StopInstance, RebootInstance and DeleteInstance answer their RequestId alone
(:class:`~ecs_keypair.contract.results.Acknowledged`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.instances import InstanceRecord
from ecs_keypair.contract.results import Body

SUCCESS_CODE = "200"
SUCCESS_MESSAGE = "successful"


@dataclass(frozen=True, slots=True)
class LaunchedInstances:
    """RunInstances' answer: the ids of the instances made, in order."""

    instance_ids: tuple[str, ...]
    request_id: str

    def body(self) -> Body:
        return {
            "RequestId": self.request_id,
            "InstanceIdSets": {"InstanceIdSet": list(self.instance_ids)},
        }


def instance_item(record: InstanceRecord) -> Body:
    return {
        "InstanceId": record.instance_id,
        "InstanceName": record.instance_name,
        "RegionId": record.region_id,
        "Status": record.status,
        "KeyPairName": record.key_pair_name,
        "CreationTime": record.creation_time,
        "ImageId": record.image_id,
        "InstanceType": record.instance_type,
    }


@dataclass(frozen=True, slots=True)
class InstancePage:
    """One page of DescribeInstances. Paged by number: ``TotalCount``, ``PageNumber`` and
    ``PageSize``; by token: ``NextToken`` while there is more (``next_token`` None on the last
    page)."""

    instances: tuple[InstanceRecord, ...]
    request_id: str
    total_count: int = 0
    page_number: int = 0
    page_size: int = 0
    by_token: bool = False
    next_token: str | None = None

    def body(self) -> Body:
        body: Body = {"RequestId": self.request_id}
        if self.by_token:
            if self.next_token:
                body["NextToken"] = self.next_token
        else:
            body |= {
                "TotalCount": self.total_count,
                "PageNumber": self.page_number,
                "PageSize": self.page_size,
            }
        body["Instances"] = {"Instance": [instance_item(record) for record in self.instances]}
        return body


@dataclass(frozen=True, slots=True)
class InstanceOutcome:
    """One instance's part of AttachKeyPair or DetachKeyPair: done, or why not."""

    instance_id: str
    error: ApiError | None = None

    def item(self) -> Body:
        if self.error is None:
            return {
                "InstanceId": self.instance_id,
                "Success": True,
                "Code": SUCCESS_CODE,
                "Message": SUCCESS_MESSAGE,
            }
        return {
            "InstanceId": self.instance_id,
            "Success": False,
            "Code": self.error.code,
            "Message": self.error.message,
        }


@dataclass(frozen=True, slots=True)
class KeyPairInstances:
    """AttachKeyPair's and DetachKeyPair's answer: HTTP 200 even when some instances failed,
    each instance's outcome in ``Results``."""

    key_pair_name: str
    outcomes: tuple[InstanceOutcome, ...]
    request_id: str

    @property
    def fail_count(self) -> int:
        return sum(outcome.error is not None for outcome in self.outcomes)

    def body(self) -> Body:
        return {
            "RequestId": self.request_id,
            "KeyPairName": self.key_pair_name,
            "TotalCount": len(self.outcomes),
            "FailCount": self.fail_count,
            "Results": {"Result": [outcome.item() for outcome in self.outcomes]},
        }
