"""DescribeInstances page by page, by token, over any backend: what the key pairs screen and
``rotate`` read, each with a bound on the pages so that an endpoint's endless tokens end."""

from __future__ import annotations

from dataclasses import replace

from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.instance_requests import DescribeInstancesRequest
from ecs_keypair.contract.instances import InstanceRecord

PAGE_SIZE = 100  # DescribeInstances' largest MaxResults


def listed_instances(
    backend: KeyPairBackend,
    request: DescribeInstancesRequest,
    most_pages: int,
    page_size: int = PAGE_SIZE,
) -> tuple[tuple[InstanceRecord, ...], bool]:
    """Every instance DescribeInstances lists for ``request`` (its filters kept), at most
    ``most_pages`` pages of ``page_size``; and whether that was all of them."""
    records: list[InstanceRecord] = []
    token: str | None = None
    for _ in range(most_pages):
        asked = replace(request, page_number=None, page_size=None, max_results=page_size,
                        next_token=token)
        page = backend.describe_instances(asked)
        records.extend(page.instances)
        token = page.next_token
        if not token:
            return tuple(records), True
    return tuple(records), False
