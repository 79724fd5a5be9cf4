"""The instance actions' rules as pure functions, each returning the API's error or None (see
:mod:`rules`): instance ids as JSON arrays, Amount, InstanceName, Status."""

from __future__ import annotations

from collections.abc import Callable

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.instances import STATUSES
from ecs_keypair.contract.json_arrays import read_json_array
from ecs_keypair.contract.rules import URL_PREFIXES, describe_character
from ecs_keypair.contract.text_safety import first_unsafe

MAX_KEY_PAIR_INSTANCE_IDS = 50  # AttachKeyPair, DetachKeyPair
MAX_DESCRIBE_INSTANCE_IDS = 100  # DescribeInstances
MAX_AMOUNT = 100
INSTANCE_NAME_MIN_LENGTH = 2
INSTANCE_NAME_MAX_LENGTH = 128
INSTANCE_NAME_PUNCTUATION = frozenset(".:_-")
# Far longer than any the cloud names (m-bp67acfmxazb4p0example, ubuntu_24_04_x64_20G_alibase_
# 20240812.vhd; ecs.g7.large, ecs.ebmgn7ex.32xlarge), so that a file of instances stays small.
IMAGE_ID_MAX_LENGTH = 128
INSTANCE_TYPE_MAX_LENGTH = 64


def instance_ids_parser(limit: int) -> Callable[[str | None], list[str] | ApiError]:
    """``InstanceIds`` as sent: a JSON array of 1 to ``limit`` ids. Anything else, more ids
    included, is ``InvalidInstanceIds.ValueNotSupported``; empty is ``MissingParameter``."""

    def parse(value: str | None) -> list[str] | ApiError:
        if not value:
            return errors.missing_parameter("InstanceIds")
        items = read_json_array(value)  # as the gateway reads it: single-quoted strings too
        ids = [item for item in items or () if isinstance(item, str) and item]
        if items is None or len(ids) != len(items):
            return errors.INVALID_INSTANCE_IDS.at(
                "InstanceIds", 'must be a JSON array of instance ids, such as ["i-1","i-2"]'
            )
        if not 1 <= len(ids) <= limit:
            return errors.INVALID_INSTANCE_IDS.at(
                "InstanceIds", f"must hold 1 to {limit} instance ids (has {len(ids)})"
            )
        return ids

    return parse


def instance_not_found(instance_id: str, region_id: str | None = None) -> ApiError:
    """``InvalidInstanceId.NotFound``; its reason names the region when one was asked for."""
    where = f" in {region_id}" if region_id else ""
    reason = f"there is no instance {instance_id!r}{where}"
    return errors.INSTANCE_NOT_FOUND.at("InstanceId", reason)


def check_amount(amount: int | None) -> ApiError | None:
    if amount is not None and not 1 <= amount <= MAX_AMOUNT:
        return errors.INVALID_AMOUNT.at("Amount", f"must be 1 to {MAX_AMOUNT}")
    return None


def check_instance_name(name: str | None) -> ApiError | None:
    """InstanceName (optional): 2-128 characters of letters, digits, ``.``, ``:``, ``_``,
    ``-``; a letter first, not ``http://`` or ``https://``."""
    if name is None:
        return None
    bad = errors.INVALID_INSTANCE_NAME
    if not name or not name[0].isalpha():
        first = describe_character(name[0]) if name else "nothing"
        return bad.at("InstanceName", f"must start with a letter, not {first}")
    if name.startswith(URL_PREFIXES):
        return bad.at("InstanceName", "must not start with http:// or https://")
    if not INSTANCE_NAME_MIN_LENGTH <= len(name) <= INSTANCE_NAME_MAX_LENGTH:
        return bad.at(
            "InstanceName",
            f"must be {INSTANCE_NAME_MIN_LENGTH} to {INSTANCE_NAME_MAX_LENGTH} characters long",
        )
    for char in name:
        if not (char.isalpha() or "0" <= char <= "9" or char in INSTANCE_NAME_PUNCTUATION):
            return bad.at(
                "InstanceName",
                f"must not contain {describe_character(char)}: only letters, digits 0-9, '.', "
                "':', '_' and '-' are allowed",
            )
    return None


def check_status(status: str | None) -> ApiError | None:
    if status is not None and status not in STATUSES:
        return errors.invalid_parameter("Status", f"must be one of {', '.join(STATUSES)}")
    return None


def _check_kept_text(name: str, value: str | None) -> ApiError | None:
    """A value kept as given: required, and without a character that would act on a terminal
    when it is shown again."""
    if not value:
        return errors.missing_parameter(name)
    unsafe = first_unsafe(value)
    if unsafe is not None:
        return errors.invalid_parameter(name, f"must not contain {describe_character(unsafe)}")
    return None


def _too_long(name: str, value: str, limit: int, error: ApiError) -> ApiError | None:
    if len(value) > limit:
        return error.at(name, f"is at most {limit} characters long (has {len(value)})")
    return None


def check_image_id(image_id: str | None) -> ApiError | None:
    """``ImageId``: kept as given; one longer than any image's id names no image."""
    problem = _check_kept_text("ImageId", image_id)
    if problem is None and image_id is not None:
        problem = _too_long("ImageId", image_id, IMAGE_ID_MAX_LENGTH, errors.IMAGE_NOT_FOUND)
    return problem


def check_instance_type(instance_type: str | None) -> ApiError | None:
    """``InstanceType``: kept as given; one longer than any type's name is no type."""
    problem = _check_kept_text("InstanceType", instance_type)
    if problem is None and instance_type is not None:
        problem = _too_long(
            "InstanceType", instance_type, INSTANCE_TYPE_MAX_LENGTH, errors.INVALID_INSTANCE_TYPE
        )
    return problem
