"""The parameters of the instance actions, declared once for the table in :mod:`actions`.

Parameters the cloud documents for RunInstances and the instance calls but a key tool has no use
for are declared as ignored (their field starts with
:data:`~ecs_keypair.contract.instance_requests.IGNORED`): every door takes them and none acts on
them.
"""

from __future__ import annotations

from ecs_keypair.contract import instance_rules
from ecs_keypair.contract.instance_requests import IGNORED
from ecs_keypair.contract.params import Kind, Param


def ignored(name: str, kind: Kind = Kind.TEXT) -> Param:
    """A documented parameter that is read and ignored."""
    return Param(name, f"{IGNORED}{name}", "Accepted and ignored here.", kind)


INSTANCE_ID = Param(
    "InstanceId",
    "instance_id",
    "The instance, such as i-bp67acfmxazb4p0example (RunInstances answers it).",
    required=True,
)
OPTIONAL_REGION_ID = Param(
    "RegionId",
    "region_id",
    "Only this region is looked in (the cloud takes no region here: an instance id is unique).",
)
KEY_PAIR_INSTANCE_IDS = Param(
    "InstanceIds",
    "instance_ids",
    f"A JSON array of 1 to {instance_rules.MAX_KEY_PAIR_INSTANCE_IDS} instance ids, such as "
    "'[\"i-1\",\"i-2\"]'.",
    Kind.JSON_ARRAY,
    required=True,
    metavar="JSON",
    parse=instance_rules.instance_ids_parser(instance_rules.MAX_KEY_PAIR_INSTANCE_IDS),
)
DESCRIBE_INSTANCE_IDS = Param(
    "InstanceIds",
    "instance_ids",
    f"Only these: a JSON array of 1 to {instance_rules.MAX_DESCRIBE_INSTANCE_IDS} instance ids.",
    Kind.JSON_ARRAY,
    metavar="JSON",
    parse=instance_rules.instance_ids_parser(instance_rules.MAX_DESCRIBE_INSTANCE_IDS),
)
RUN_IGNORED = tuple(
    ignored(name)
    for name in (
        "ZoneId",
        "SecurityGroupId",
        "VSwitchId",
        "InstanceChargeType",
        "InternetChargeType",
        "InternetMaxBandwidthOut",
        "SystemDisk.Category",
        "SystemDisk.Size",
        "HostName",
        "Description",
        "ClientToken",
        "ResourceGroupId",
    )
)
FORCE_STOP = ignored("ForceStop", Kind.BOOLEAN)
DRY_RUN = Param(
    "DryRun",
    "dry_run",
    "true: check the request and change nothing; DryRunOperation (400) when it would succeed.",
    Kind.BOOLEAN,
    metavar="BOOL",
)
