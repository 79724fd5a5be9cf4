"""The API's errors as values: a code, a message and an HTTP status, as ECS returns them.

Every rule in the engine reports a broken rule with an :class:`ApiError`; the shells (TUI, CLI)
show it, they never invent wording of their own for an API failure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field  # "field" is one of ApiError's own

from ecs_keypair.contract.text_safety import visible


@dataclass(frozen=True, slots=True)
class ApiError:
    """One API error, plus where it applies and why, in words a person reads.

    ``code``, ``message`` and ``status`` are exactly what the API answers. ``field`` names the
    request parameter at fault (``"KeyPairName"``, ``"Tag.3.Key"``); ``reason`` is a short
    plain-language explanation for the form ("must start with a letter"). ``host_id`` is the
    host the error came from when it came from an endpoint (its answer's ``HostId``, else the
    endpoint's host); empty for the app's own errors, whose host is the region's. It is where
    the error was said, not what was said, so it takes no part in comparing errors.
    """

    code: str
    message: str
    status: int
    field: str | None = None
    reason: str = ""
    host_id: str = dataclass_field(default="", compare=False)

    def at(self, field: str | None, reason: str | None = None) -> ApiError:
        """The same error, pinned to a field (and optionally with a new reason)."""
        return replace(self, field=field, reason=self.reason if reason is None else reason)

    @property
    def line(self) -> str:
        """``Code: Message``, as a line on stderr or beside a region's outcome says it (an
        endpoint's code and message may hold anything: shown with :func:`visible`)."""
        return visible(f"{self.code}: {self.message}")

    @property
    def text(self) -> str:
        """``reason · Code``: the plain-language reason (else the message), then the code to
        look up; how the app says an error, shown with :func:`visible` as :attr:`line` is."""
        return visible(f"{self.reason or self.message} · {self.code}")

    def body(self, request_id: str, host_id: str) -> dict[str, object]:
        """The error body the API returns (see the spec README), with the HTTP status added."""
        return {
            "RequestId": request_id,
            "HostId": host_id,
            "Code": self.code,
            "Message": self.message,
            "HttpStatusCode": self.status,
        }


class ApiException(Exception):
    """Raised by the backend when a call fails; carries the :class:`ApiError` value."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.line)
        self.error = error


def _error(code: str, status: int, message: str) -> ApiError:
    return ApiError(code=code, message=message, status=status)


# CreateKeyPair's table (../shared/spec/CreateKeyPair.txt).
INVALID_KEY_PAIR_NAME = _error(
    "InvalidKeyPairName.Malformed", 400, "Specified Key Pair name is not valid."
)
KEY_PAIR_ALREADY_EXIST = _error("KeyPair.AlreadyExist", 400, "The key pair already exist.")
DUPLICATE_TAG_KEY = _error("Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key.")
INVALID_TAG_KEY = _error("InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid.")
INVALID_TAG_VALUE = _error(
    "InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid."
)
QUOTA_EXCEED_KEY_PAIR = _error("QuotaExceed.KeyPair", 403, "The key pair quota exceeds.")
INVALID_REGION_ID = _error(
    "InvalidRegionId.NotFound", 404, "The RegionId provided does not exist in our records."
)
INVALID_RESOURCE_GROUP = _error(
    "InvalidResourceGroup.NotFound",
    404,
    "The ResourceGroup provided does not exist in our records.",
)

# The neighbouring APIs (../shared/spec/README.md) and the common errors.
INVALID_PUBLIC_KEY_BODY = _error(
    "InvalidPublicKeyBody.Malformed", 400, "The PublicKeyBody format is not supported."
)
INVALID_KEY_PAIR_NAMES = _error(
    "InvalidKeyPairNames.ValueNotSupported",
    400,
    "The specified parameter KeyPairNames is not supported.",
)
RESOURCE_GROUP_ALREADY_EXISTS = _error(
    "EntityAlreadyExists.ResourceGroup",
    409,
    "The resource group with the same name already exists.",
)
# The tag and resource group actions (TagResources, UntagResources, ListTagResources,
# JoinResourceGroup), with the cloud's codes.
NUMBER_EXCEED_TAGS = _error("NumberExceed.Tags", 400, "The maximum number of Tags is exceeded.")
NUMBER_EXCEED_RESOURCE_IDS = _error(
    "NumberExceed.ResourceIds", 400, "The maximum number of ResourceIds is exceeded."
)
INVALID_RESOURCE_ID = _error(
    "InvalidResourceId.NotFound", 404, "The specified ResourceIds are not found in our records."
)
INVALID_RESOURCE_TYPE = _error(
    "InvalidResourceType.NotFound", 404, "The ResourceType provided does not exist in our records."
)
INVALID_NEXT_TOKEN = _error("InvalidNextToken", 400, "The NextToken is invalid.").at(
    "NextToken", "is not a token this service gave"
)
INTERNAL_ERROR = _error(
    "InternalError", 500, "The request processing has failed due to some unknown error."
)


def quota_exceed_tags(limit: int) -> ApiError:
    """``QuotaExceed.Tags``: its message names the limit, as the API's does."""
    return _error(
        "QuotaExceed.Tags", 403, f"The number of specified tags exceeds the upper limit {limit}."
    )


MISSING_PARAMETER_CODE = "MissingParameter"


def missing_parameter(name: str) -> ApiError:
    """The API gateway's answer to a required parameter that was not sent (or sent empty)."""
    return _error(
        MISSING_PARAMETER_CODE,
        400,
        f'The input parameter "{name}" that is mandatory for processing this request is not '
        "supplied.",
    ).at(name, "is required")


def invalid_parameter(name: str, reason: str) -> ApiError:
    """A parameter outside the values an API accepts (paging, resource group names)."""
    return _error(
        "InvalidParameter", 400, f'The specified parameter "{name}" is not valid.'
    ).at(name, reason)


def service_unavailable(reason: str) -> ApiError:
    """``ServiceUnavailable`` (503), the gateway's answer to a temporary failure; the message says
    what is busy (the store's lock file), so that a person can find the process holding it."""
    return _error(
        "ServiceUnavailable",
        503,
        f"The request has failed due to a temporary failure of the server: {reason}.",
    ).at(None, reason)


def pages_cannot_merge(reason: str) -> ApiError:
    """``--pager`` met answers it cannot merge (an endpoint whose pages never end, or carry no
    list); the code is the one the SDKs use for an answer that is not the API's."""
    return _error("SDK.InvalidResponse", 502, f"The pages cannot be merged: {reason}.")


# Key files, keys made here and the agent. Local failures get the same shape of error
# as the API's, so every door reports them alike; their messages name the path or the agent.
KEY_PAIR_NOT_FOUND = _error(
    "InvalidKeyPairName.NotFound", 404, "The specified KeyPairName does not exist."
)


def key_file_refused(path: str, reason: str) -> ApiError:
    """A key file cannot be written at ``path`` (it exists, is a link, its folder cannot be
    made)."""
    return _error("InvalidKeyFile.Path", 400, f"Cannot save the key to {path}: {reason}.").at(
        "--save", reason
    )


def key_file_write_failed(path: str, reason: str) -> ApiError:
    """Writing a key file failed part way (the disk is full, …); what was written is removed."""
    return _error("InternalError", 500, f"Cannot write {path}: {reason}.").at("--save", reason)


def key_file_unreadable(path: str, reason: str) -> ApiError:
    """A file that does not hold a key this tool reads, or cannot be read at all."""
    return _error("InvalidKeyFile.Malformed", 400, f"Cannot read a key from {path}: {reason}.").at(
        "FILE", reason
    )


def wrong_passphrase(path: str, reason: str) -> ApiError:
    """The passphrase does not open the key (or one is needed and none was given)."""
    return _error("InvalidPassphrase", 400, f"Cannot open {path}: {reason}.").at(
        "--passphrase-file", reason
    )


def ssh_agent_unavailable(reason: str) -> ApiError:
    """No ssh-agent to talk to: SSH_AUTH_SOCK unset, or nothing answers on it."""
    return _error("SshAgent.Unavailable", 503, f"No ssh-agent could be used: {reason}.").at(
        "--add-to-agent", reason
    )


def ssh_agent_refused(socket_path: str, reason: str) -> ApiError:
    """The agent answered, but did not take the key (or answered something else)."""
    return _error(
        "SshAgent.Refused", 502, f"The ssh-agent at {socket_path} did not add the key: {reason}."
    ).at("--add-to-agent", reason)


# The instance actions (RunInstances, DescribeInstances, StartInstance, StopInstance,
# RebootInstance, DeleteInstance, AttachKeyPair, DetachKeyPair), with the codes and messages of
# their reference pages.
INSTANCE_NOT_FOUND = _error(
    "InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist."
)
INCORRECT_INSTANCE_STATUS = _error(
    "IncorrectInstanceStatus",
    403,
    "The current status of the resource does not support this operation.",
)
INVALID_INSTANCE_IDS = _error(
    "InvalidInstanceIds.ValueNotSupported", 400, "The specified parameter InstanceIds is not valid."
)
ATTACH_KEY_PAIR_NOT_FOUND = _error(
    "InvalidKeyPairName.NotFound", 400, "The specified KeyPairName does not exist in our records."
)
RUN_KEY_PAIR_NOT_FOUND = _error(
    "InvalidKeyPairName.NotFound",
    404,
    'The specified parameter "KeyPairName" does not exist in our records.',
)
INVALID_AMOUNT = _error(
    "InvalidAmount.ValueNotSupported", 400, "The specified parameter Amount is invalid."
)
INVALID_INSTANCE_NAME = _error(
    "InvalidInstanceName.Malformed", 400, "Specified instance name is not valid."
)
IMAGE_NOT_FOUND = _error("InvalidImageId.NotFound", 404, "The specified ImageId does not exist.")
INVALID_INSTANCE_TYPE = _error(
    "InvalidInstanceType.ValueNotSupported",
    400,
    "The specified InstanceType does not exist or beyond the permitted range.",
)
QUOTA_EXCEED_INSTANCES = _error(
    "QuotaExceed.ElasticQuota",
    403,
    "No additional quota is available for the specified ECS instance type.",
)
DRY_RUN_OPERATION = _error(
    "DryRunOperation", 400, "Request validation has been passed with DryRun flag set."
).at("DryRun", "the request would succeed; nothing was done")
KEY_PAIR_ATTACHED = _error(
    "InvalidParameter.KeypairAlreadyAttachedInstance",
    400,
    'The specified parameter "KeyPairNames" attached to instances can not be deleted.',
)
