"""The commands, one table: name -> handler, parameters and help.

A handler turns a parsed :class:`Request` into the API's response body by calling the service;
everything about the values (rules, store checks, errors) is the engine's.
"""

from __future__ import annotations

from app.cli.request import Request
from app.cli.schema import Body, Command, Param

REGION_ID = Param(
    "RegionId",
    "The region, such as cn-hangzhou (DescribeRegions lists them).",
    required=True,
)
KEY_PAIR_NAME = Param(
    "KeyPairName",
    "2 to 128 characters: letters, digits 0-9, ':', '_' and '-', starting with a letter; "
    "unique within the region.",
    required=True,
)
RESOURCE_GROUP_ID = Param(
    "ResourceGroupId",
    "The resource group (ListResourceGroups lists them); the default group when omitted.",
)
PAGE_NUMBER = Param(
    "PageNumber", "The page to show, from 1 (default 1).", integer=True, metavar="N"
)
CREATE_TAGS = (
    "Tag N of the key pair, N from 1 to 20. Key: 1 to 128 characters, not starting with "
    "'aliyun' or 'acs:'. Value: 0 to 128 characters, not starting with 'acs:'. Neither may "
    "contain http:// or https://; keys must differ."
)


def _create_key_pair(request: Request) -> Body:
    created = request.service.create_key_pair(
        request.region_id,
        request.text("KeyPairName"),
        request.text("ResourceGroupId"),
        request.tags_to_create(),
    )
    return created.body()


def _import_key_pair(request: Request) -> Body:
    return request.service.import_key_pair(
        request.region_id,
        request.text("KeyPairName"),
        request.text("PublicKeyBody"),
        request.text("ResourceGroupId"),
        request.tags_to_create(),
    )


def _describe_key_pairs(request: Request) -> Body:
    return request.service.describe_key_pairs(
        request.region_id,
        key_pair_name=request.text("KeyPairName"),
        fingerprint=request.text("KeyPairFingerPrint"),
        resource_group_id=request.text("ResourceGroupId"),
        tags=request.tag_filters(),
        page_number=request.number("PageNumber"),
        page_size=request.number("PageSize"),
    )


def _delete_key_pairs(request: Request) -> Body:
    return request.service.delete_key_pairs(request.region_id, request.text("KeyPairNames"))


def _describe_regions(request: Request) -> Body:
    return request.service.describe_regions()


def _create_resource_group(request: Request) -> Body:
    return request.service.create_resource_group(request.text("Name"), request.text("DisplayName"))


def _list_resource_groups(request: Request) -> Body:
    return request.service.list_resource_groups(
        request.number("PageNumber"), request.number("PageSize")
    )


_COMMANDS = (
    Command(
        "CreateKeyPair",
        "Create a 2048-bit RSA key pair; prints its private key, once.",
        _create_key_pair,
        (REGION_ID, KEY_PAIR_NAME, RESOURCE_GROUP_ID),
        tags=CREATE_TAGS,
        example="ecs-keypair CreateKeyPair --RegionId cn-hangzhou --KeyPairName web-1 "
        "--Tag.1.Key env --Tag.1.Value prod",
    ),
    Command(
        "ImportKeyPair",
        "Import an OpenSSH public key (rsa, dss, ecdsa, ed25519) as a key pair.",
        _import_key_pair,
        (
            REGION_ID,
            KEY_PAIR_NAME,
            Param(
                "PublicKeyBody",
                "One OpenSSH public key line: 'ssh-ed25519 AAAA... [comment]'.",
                required=True,
            ),
            RESOURCE_GROUP_ID,
        ),
        tags=CREATE_TAGS,
        example="ecs-keypair ImportKeyPair --RegionId cn-hangzhou --KeyPairName laptop "
        '--PublicKeyBody "$(cat ~/.ssh/id_ed25519.pub)"',
    ),
    Command(
        "DescribeKeyPairs",
        "List the key pairs of a region, filtered and a page at a time.",
        _describe_key_pairs,
        (
            REGION_ID,
            Param(
                "KeyPairName",
                "A name, or a pattern where * stands for any characters: 'web*', '*-1', '*eb*'.",
            ),
            Param(
                "KeyPairFingerPrint",
                "The MD5 fingerprint, as 'ssh-keygen -l -E md5' prints it after 'MD5:'.",
            ),
            Param("ResourceGroupId", "Only the key pairs of this resource group."),
            PAGE_NUMBER,
            Param(
                "PageSize", "Key pairs per page, 1 to 50 (default 10).", integer=True, metavar="N"
            ),
        ),
        tags="Only key pairs that have tag N's key, and its value when Tag.N.Value is given; "
        "every tag given must match. N from 1 to 20.",
        example="ecs-keypair DescribeKeyPairs --RegionId cn-hangzhou --KeyPairName 'web*' "
        "--Tag.1.Key env --PageSize 50",
    ),
    Command(
        "DeleteKeyPairs",
        "Delete key pairs of a region, by name.",
        _delete_key_pairs,
        (
            REGION_ID,
            Param(
                "KeyPairNames",
                'A JSON array of 1 to 100 names, such as \'["web-1","web-2"]\'; names that '
                "are not there are ignored.",
                required=True,
                metavar="JSON",
            ),
        ),
        example="ecs-keypair DeleteKeyPairs --RegionId cn-hangzhou --KeyPairNames "
        '\'["web-1","web-2"]\'',
    ),
    Command(
        "DescribeRegions",
        "List the regions and their endpoints.",
        _describe_regions,
        example="ecs-keypair DescribeRegions",
    ),
    Command(
        "CreateResourceGroup",
        "Create a resource group (resource groups are account-wide).",
        _create_resource_group,
        (
            Param(
                "Name",
                "2 to 50 characters: letters, digits and '-', starting with a letter; unique.",
                required=True,
            ),
            Param("DisplayName", "1 to 50 characters, the name lists show.", required=True),
        ),
        example="ecs-keypair CreateResourceGroup --Name web --DisplayName 'Web servers'",
    ),
    Command(
        "ListResourceGroups",
        "List the resource groups, the default group first.",
        _list_resource_groups,
        (
            PAGE_NUMBER,
            Param(
                "PageSize",
                "Resource groups per page, 1 to 100 (default 10).",
                integer=True,
                metavar="N",
            ),
        ),
        example="ecs-keypair ListResourceGroups --PageSize 100",
    ),
)

COMMANDS: dict[str, Command] = {command.name: command for command in _COMMANDS}
