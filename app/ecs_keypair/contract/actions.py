"""Every action, declared once: its name, its help, its parameters, the typed request it becomes
and the backend method it calls.

The doors derive everything from :data:`ACTIONS`: the command line its parsing, ``--help``, usage
errors and suggestions; ``serve`` what it answers and how it reads a query or a form; the
endpoint client takes the typed requests. :meth:`Action.read` is the one reader of a flat
``{name: value}`` request, so the same request gets the same answer, code for code, from every
door. To add an action: declare it here, add its request (:mod:`requests`) and result
(:mod:`results`), and write one method on each backend (:mod:`backend`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from ecs_keypair.contract import api_requests as rq
from ecs_keypair.contract import instance_params as ip
from ecs_keypair.contract import instance_requests as iq
from ecs_keypair.contract import rules
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.params import Kind, Param, read_params
from ecs_keypair.contract.results import Body


class Result(Protocol):
    def body(self) -> Body: ...


R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Action(Generic[R]):
    """One action. ``ecs``: an ECS action (``serve`` answers it, an endpoint is asked it); the
    others are Resource Manager's, offered by the local store alone."""

    name: str
    summary: str
    params: tuple[Param, ...]
    request: Callable[..., R]
    run: Callable[[KeyPairBackend, R], Result]
    example: str
    ecs: bool = True

    def read(self, flat: Mapping[str, str]) -> R:
        """The typed request for ``flat``, or the API's error (see :mod:`params`)."""
        return self.request(**read_params(self.params, flat))


AnyAction = Action[Any]
"""An action of whichever request type: what the table holds and the doors look up."""


def call(backend: KeyPairBackend, action: Action[R], flat: Mapping[str, str]) -> Result:
    """Read ``flat`` and run the action on ``backend``: what every door does with a request."""
    return action.run(backend, action.read(flat))


# -- the parameters several actions share --

REGION_ID = Param(
    "RegionId",
    "region_id",
    "The region, such as cn-hangzhou (DescribeRegions lists them).",
    required=True,
)
KEY_PAIR_NAME = Param(
    "KeyPairName",
    "key_pair_name",
    "2 to 128 characters: letters, digits 0-9, ':', '_' and '-', starting with a letter; "
    "unique within the region.",
    required=True,
)
RESOURCE_GROUP_ID = Param(
    "ResourceGroupId",
    "resource_group_id",
    "The resource group (ListResourceGroups lists them); the default group when omitted.",
)
PAGE_NUMBER = Param(
    "PageNumber",
    "page_number",
    "The page to show, from 1 (default 1).",
    Kind.INTEGER,
    metavar="N",
)
TAG_RULES = (
    "Key: 1 to 128 characters, not starting with 'aliyun' or 'acs:'. Value: 0 to 128 "
    "characters, not starting with 'acs:'. Neither may contain http:// or https://; keys must "
    "differ."
)
CREATE_TAGS = Param(
    "Tag",
    "tags",
    f"Tag N of the key pair, N from 1 to 20. {TAG_RULES}",
    Kind.TAGS,
    count_check=rules.check_tag_count,
)
RESOURCE_TYPE = Param(
    "ResourceType",
    "resource_type",
    "The type of the resources: keypair.",
    required=True,
)
RESOURCE_IDS = Param(
    "ResourceId",
    "resource_ids",
    "Key pair N by name, N from 1 to 50.",
    Kind.LIST,
    required=True,
    count_check=rules.check_resource_id_count,
)
TAG_FILTERS = (
    "Only resources that have tag N's key, and its value when Tag.N.Value is given; every "
    "tag given must match. N from 1 to 20."
)


_ACTIONS = (  # unannotated: each Action's request type is inferred, and its call checked
    Action(
        "CreateKeyPair",
        "Create a 2048-bit RSA key pair; prints its private key, once.",
        (REGION_ID, KEY_PAIR_NAME, RESOURCE_GROUP_ID, CREATE_TAGS),
        rq.CreateKeyPairRequest,
        lambda backend, request: backend.create_key_pair(request),
        "ecs-keypair CreateKeyPair --RegionId cn-hangzhou --KeyPairName web-1 "
        "--Tag.1.Key env --Tag.1.Value prod",
    ),
    Action(
        "ImportKeyPair",
        "Import an OpenSSH public key (rsa, dss, ecdsa, ed25519) as a key pair.",
        (
            REGION_ID,
            KEY_PAIR_NAME,
            Param(
                "PublicKeyBody",
                "public_key_body",
                "One OpenSSH public key line: 'ssh-ed25519 AAAA... [comment]'.",
                required=True,
            ),
            RESOURCE_GROUP_ID,
            CREATE_TAGS,
        ),
        rq.ImportKeyPairRequest,
        lambda backend, request: backend.import_key_pair(request),
        "ecs-keypair ImportKeyPair --RegionId cn-hangzhou --KeyPairName laptop "
        '--PublicKeyBody "$(cat ~/.ssh/id_ed25519.pub)"',
    ),
    Action(
        "DescribeKeyPairs",
        "List the key pairs of a region, filtered and a page at a time.",
        (
            REGION_ID,
            Param(
                "KeyPairName",
                "key_pair_name",
                "A name, or a pattern where * stands for any characters: 'web*', '*-1', '*eb*'.",
            ),
            Param(
                "KeyPairFingerPrint",
                "fingerprint",
                "The MD5 fingerprint, as 'ssh-keygen -l -E md5' prints it after 'MD5:'.",
            ),
            Param("ResourceGroupId", "resource_group_id", "Only the key pairs of this group."),
            Param(
                "Tag",
                "tags",
                "Only key pairs that have tag N's key, and its value when Tag.N.Value is given; "
                "every tag given must match. N from 1 to 20.",
                Kind.TAGS,
                count_check=rules.check_tag_count,
                filters=True,
            ),
            PAGE_NUMBER,
            Param(
                "PageSize",
                "page_size",
                "Key pairs per page, 1 to 50 (default 10).",
                Kind.INTEGER,
                metavar="N",
            ),
            Param(
                "IncludePublicKey",
                "include_public_key",
                "true: each key pair's PublicKey is in the answer (default false).",
                Kind.BOOLEAN,
                metavar="BOOL",
            ),
        ),
        rq.DescribeKeyPairsRequest,
        lambda backend, request: backend.describe_key_pairs(request),
        "ecs-keypair DescribeKeyPairs --RegionId cn-hangzhou --KeyPairName 'web*' "
        "--Tag.1.Key env --PageSize 50",
    ),
    Action(
        "DeleteKeyPairs",
        "Delete key pairs of a region, by name.",
        (
            REGION_ID,
            Param(
                "KeyPairNames",
                "key_pair_names",
                'A JSON array of 1 to 100 names, such as \'["web-1","web-2"]\'; names that '
                "are not there are ignored.",
                Kind.JSON_ARRAY,
                required=True,
                metavar="JSON",
                parse=rules.parse_key_pair_names,
            ),
        ),
        rq.DeleteKeyPairsRequest,
        lambda backend, request: backend.delete_key_pairs(request),
        "ecs-keypair DeleteKeyPairs --RegionId cn-hangzhou --KeyPairNames " '\'["web-1","web-2"]\'',
    ),
    Action(
        "DescribeRegions",
        "List the regions and their endpoints.",
        (),
        rq.DescribeRegionsRequest,
        lambda backend, request: backend.describe_regions(request),
        "ecs-keypair DescribeRegions",
    ),
    Action(
        "TagResources",
        "Add tags to key pairs, or change their values.",
        (
            REGION_ID,
            RESOURCE_TYPE,
            RESOURCE_IDS,
            Param(
                "Tag",
                "tags",
                f"Tag N to set, N from 1 to 20; a key pair holds at most 20. {TAG_RULES}",
                Kind.TAGS,
                required=True,
                count_check=rules.check_tag_number,
            ),
        ),
        rq.TagResourcesRequest,
        lambda backend, request: backend.tag_resources(request),
        "ecs-keypair TagResources --RegionId cn-hangzhou --ResourceType keypair "
        "--ResourceId.1 web-1 --Tag.1.Key env --Tag.1.Value prod",
    ),
    Action(
        "UntagResources",
        "Remove tags from key pairs, by key, or all of them.",
        (
            REGION_ID,
            RESOURCE_TYPE,
            RESOURCE_IDS,
            Param(
                "TagKey",
                "tag_keys",
                "The key of tag N to remove, N from 1 to 20; keys a key pair does not have are "
                "ignored.",
                Kind.LIST,
                count_check=rules.check_tag_number,
            ),
            Param(
                "All",
                "all",
                "true: remove every tag (when no TagKey.N is given; default false).",
                Kind.BOOLEAN,
                metavar="BOOL",
            ),
        ),
        rq.UntagResourcesRequest,
        lambda backend, request: backend.untag_resources(request),
        "ecs-keypair UntagResources --RegionId cn-hangzhou --ResourceType keypair "
        "--ResourceId.1 web-1 --TagKey.1 env",
    ),
    Action(
        "ListTagResources",
        "List the tags of key pairs: one entry per key pair and tag.",
        (
            REGION_ID,
            RESOURCE_TYPE,
            Param(
                "ResourceId",
                "resource_ids",
                "Only key pair N, by name, N from 1 to 50.",
                Kind.LIST,
                count_check=rules.check_resource_id_count,
            ),
            Param(
                "Tag",
                "tags",
                TAG_FILTERS,
                Kind.TAGS,
                count_check=rules.check_tag_number,
                filters=True,
            ),
            Param(
                "NextToken",
                "next_token",
                "Where the next page starts: the NextToken of the previous answer.",
                metavar="TOKEN",
            ),
            Param(
                "MaxResults",
                "max_results",
                "Entries per page, 1 to 50 (default 50).",
                Kind.INTEGER,
                metavar="N",
            ),
        ),
        rq.ListTagResourcesRequest,
        lambda backend, request: backend.list_tag_resources(request),
        "ecs-keypair ListTagResources --RegionId cn-hangzhou --ResourceType keypair "
        "--ResourceId.1 web-1",
    ),
    Action(
        "JoinResourceGroup",
        "Move a key pair to another resource group.",
        (
            REGION_ID,
            RESOURCE_TYPE,
            Param("ResourceId", "resource_id", "The key pair, by name.", required=True),
            Param(
                "ResourceGroupId",
                "resource_group_id",
                "The group to move it to (ListResourceGroups lists them).",
                required=True,
            ),
        ),
        rq.JoinResourceGroupRequest,
        lambda backend, request: backend.join_resource_group(request),
        "ecs-keypair JoinResourceGroup --RegionId cn-hangzhou --ResourceType keypair "
        "--ResourceId web-1 --ResourceGroupId rg-aek2example00001",
    ),
    Action(
        "CreateResourceGroup",
        "Create a resource group (resource groups are account-wide).",
        (
            Param(
                "Name",
                "name",
                "2 to 50 characters: letters, digits and '-', starting with a letter; unique.",
                required=True,
            ),
            Param(
                "DisplayName",
                "display_name",
                "1 to 50 characters, the name lists show.",
                required=True,
            ),
        ),
        rq.CreateResourceGroupRequest,
        lambda backend, request: backend.create_resource_group(request),
        "ecs-keypair CreateResourceGroup --Name web --DisplayName 'Web servers'",
        ecs=False,
    ),
    Action(
        "ListResourceGroups",
        "List the resource groups, the default group first.",
        (
            PAGE_NUMBER,
            Param(
                "PageSize",
                "page_size",
                "Resource groups per page, 1 to 100 (default 10).",
                Kind.INTEGER,
                metavar="N",
            ),
        ),
        rq.ListResourceGroupsRequest,
        lambda backend, request: backend.list_resource_groups(request),
        "ecs-keypair ListResourceGroups --PageSize 100",
        ecs=False,
    ),
)

_INSTANCE_ACTIONS = (  # the instances, as much as key pairs need (see contract/instances.py)
    Action(
        "RunInstances",
        "Create running instances, a key pair bound and in effect.",
        (
            REGION_ID,
            Param("ImageId", "image_id", "The image, such as ubuntu_24_04_x64_20G.", required=True),
            Param(
                "InstanceType", "instance_type", "The type, such as ecs.g7.large.", required=True
            ),
            Param("KeyPairName", "key_pair_name", "The key pair to bind (optional)."),
            Param(
                "Amount",
                "amount",
                "How many instances, 1 to 100 (default 1).",
                Kind.INTEGER,
                metavar="N",
            ),
            Param(
                "InstanceName",
                "instance_name",
                "2 to 128 characters: letters, digits, '.', ':', '_' and '-', starting with a "
                "letter (default: the instance id).",
            ),
            ip.DRY_RUN,
            *ip.RUN_IGNORED,
        ),
        iq.ignoring(iq.RunInstancesRequest),
        lambda backend, request: backend.run_instances(request),
        "ecs-keypair RunInstances --RegionId cn-hangzhou --ImageId ubuntu_24_04_x64_20G "
        "--InstanceType ecs.g7.large --KeyPairName web-1 --Amount 2",
    ),
    Action(
        "DescribeInstances",
        "List a region's instances, filtered, by page or by NextToken.",
        (
            REGION_ID,
            ip.DESCRIBE_INSTANCE_IDS,
            Param("KeyPairName", "key_pair_name", "Only instances bound to this key pair."),
            Param(
                "InstanceName",
                "instance_name",
                "A name, or a pattern where * stands for any characters.",
            ),
            Param(
                "Status",
                "status",
                "Only instances in this status: Pending, Running, Starting, Stopping, Stopped.",
            ),
            PAGE_NUMBER,
            Param(
                "PageSize",
                "page_size",
                "Instances per page, 1 to 100 (default 10).",
                Kind.INTEGER,
                metavar="N",
            ),
            Param(
                "MaxResults",
                "max_results",
                "Instances per page when paging by NextToken, 1 to 100 (default 10).",
                Kind.INTEGER,
                metavar="N",
            ),
            Param(
                "NextToken",
                "next_token",
                "Where the next page starts: the NextToken of the previous answer.",
                metavar="TOKEN",
            ),
            ip.DRY_RUN,
        ),
        iq.DescribeInstancesRequest,
        lambda backend, request: backend.describe_instances(request),
        "ecs-keypair DescribeInstances --RegionId cn-hangzhou --KeyPairName web-1 --MaxResults 50",
    ),
    Action(
        "StartInstance",
        "Start a stopped instance; the key pair bound to it takes effect.",
        (
            ip.INSTANCE_ID,
            ip.OPTIONAL_REGION_ID,
            ip.DRY_RUN,
            ip.ignored("InitLocalDisk", Kind.BOOLEAN),
        ),
        iq.ignoring(iq.InstanceRequest),
        lambda backend, request: backend.start_instance(request),
        "ecs-keypair StartInstance --InstanceId i-bp67acfmxazb4p0example",
    ),
    Action(
        "StopInstance",
        "Stop a running instance.",
        (
            ip.INSTANCE_ID,
            ip.OPTIONAL_REGION_ID,
            ip.DRY_RUN,
            ip.FORCE_STOP,
            ip.ignored("StoppedMode"),
        ),
        iq.ignoring(iq.InstanceRequest),
        lambda backend, request: backend.stop_instance(request),
        "ecs-keypair StopInstance --InstanceId i-bp67acfmxazb4p0example",
    ),
    Action(
        "RebootInstance",
        "Restart a running instance; the key pair bound to it takes effect.",
        (ip.INSTANCE_ID, ip.OPTIONAL_REGION_ID, ip.DRY_RUN, ip.FORCE_STOP),
        iq.ignoring(iq.InstanceRequest),
        lambda backend, request: backend.reboot_instance(request),
        "ecs-keypair RebootInstance --InstanceId i-bp67acfmxazb4p0example",
    ),
    Action(
        "DeleteInstance",
        "Release an instance: stopped, or running with --Force true.",
        (
            ip.INSTANCE_ID,
            ip.OPTIONAL_REGION_ID,
            Param(
                "Force",
                "force",
                "true: release it even while it is running (default false).",
                Kind.BOOLEAN,
                metavar="BOOL",
            ),
            ip.DRY_RUN,
            ip.FORCE_STOP,
        ),
        iq.ignoring(iq.DeleteInstanceRequest),
        lambda backend, request: backend.delete_instance(request),
        "ecs-keypair DeleteInstance --InstanceId i-bp67acfmxazb4p0example --Force true",
    ),
    Action(
        "AttachKeyPair",
        "Bind a key pair to instances; in effect at their next (re)start.",
        (REGION_ID, KEY_PAIR_NAME, ip.KEY_PAIR_INSTANCE_IDS),
        iq.KeyPairInstancesRequest,
        lambda backend, request: backend.attach_key_pair(request),
        "ecs-keypair AttachKeyPair --RegionId cn-hangzhou --KeyPairName web-1 "
        "--InstanceIds '[\"i-bp67acfmxazb4p0example\"]'",
    ),
    Action(
        "DetachKeyPair",
        "Unbind a key pair from instances, at their next (re)start.",
        (REGION_ID, KEY_PAIR_NAME, ip.KEY_PAIR_INSTANCE_IDS),
        iq.KeyPairInstancesRequest,
        lambda backend, request: backend.detach_key_pair(request),
        "ecs-keypair DetachKeyPair --RegionId cn-hangzhou --KeyPairName web-1 "
        "--InstanceIds '[\"i-bp67acfmxazb4p0example\"]'",
    ),
)

ACTIONS: dict[str, AnyAction] = {
    action.name: action for action in (*_ACTIONS, *_INSTANCE_ACTIONS)
}
"""Every action by name, in the order ``--help`` lists them."""
