"""The typed requests of the instance actions (RunInstances and its neighbours, AttachKeyPair,
DetachKeyPair): what a flat request becomes once read, values carried as given so that every
door hears the same error for them (see :mod:`api_requests`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

IGNORED = "ignored_"
"""The field prefix of a parameter the cloud documents and this project reads but ignores."""

R = TypeVar("R")


def ignoring(request: Callable[..., R]) -> Callable[..., R]:
    """``request`` built from the fields read, without those of ignored parameters."""

    def build(**fields: object) -> R:
        return request(**{k: v for k, v in fields.items() if not k.startswith(IGNORED)})

    return build


@dataclass(frozen=True, slots=True)
class RunInstancesRequest:
    """The subset a key tool needs; the other documented parameters are read and ignored."""

    region_id: str | None
    image_id: str | None
    instance_type: str | None
    key_pair_name: str | None = None
    amount: int | None = None
    instance_name: str | None = None
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class DescribeInstancesRequest:
    """``instance_ids`` None: not given (every instance). Paged by number, or by token when
    ``max_results`` or ``next_token`` is given."""

    region_id: str | None
    instance_ids: tuple[str, ...] | None = None
    key_pair_name: str | None = None
    instance_name: str | None = None
    status: str | None = None
    page_number: int | None = None
    page_size: int | None = None
    max_results: int | None = None
    next_token: str | None = None
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class InstanceRequest:
    """StartInstance, StopInstance, RebootInstance: one instance by id. The cloud's calls take no
    RegionId (an id is unique); given, only that region is looked in."""

    instance_id: str | None
    region_id: str | None = None
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class DeleteInstanceRequest:
    """``force``: release a running instance too (else only a stopped one)."""

    instance_id: str | None
    region_id: str | None = None
    force: bool = False
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class KeyPairInstancesRequest:
    """AttachKeyPair, DetachKeyPair. ``instance_ids`` None: the parameter was not given."""

    region_id: str | None
    key_pair_name: str | None
    instance_ids: tuple[str, ...] | None
