"""The errors the API gateway answers before an action runs: signatures, keys, limits.

They use the codes and messages the cloud's gateway returns, so that an SDK client raises the same
client error against ``serve`` as against ECS. Where the gateway's exact code is not documented,
the closest real code is used (the choices are listed in the serve notes for maintainers).
"""

from __future__ import annotations

from dataclasses import replace

from ecs_keypair.contract.errors import ApiError, missing_parameter


def _error(code: str, status: int, message: str) -> ApiError:
    return ApiError(code=code, message=message, status=status)


INCOMPLETE_SIGNATURE = _error(
    "IncompleteSignature", 400, "The request signature does not conform to Aliyun standards."
)
SIGNATURE_DOES_NOT_MATCH = _error(
    "SignatureDoesNotMatch", 400, "Specified signature is not matched with our calculation."
)


def signature_does_not_match(string_to_sign: str) -> ApiError:
    """The gateway's wording, which clients parse: the legacy Python SDK reads what follows the
    first colon and, when it is its own string to sign, reports a wrong AccessKeySecret.
    """
    message = f"{SIGNATURE_DOES_NOT_MATCH.message} server string to sign is:{string_to_sign}"
    return replace(SIGNATURE_DOES_NOT_MATCH, message=message)

ACCESS_KEY_NOT_FOUND = _error(
    "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."
)
ACCESS_KEY_INACTIVE = _error(
    "InvalidAccessKeyId.Inactive", 400, "Specified access key is disabled."
)
TIMESTAMP_EXPIRED = _error(
    "InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired."
)
TIMESTAMP_FORMAT = _error(
    "InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted."
)
NONCE_USED = _error("SignatureNonceUsed", 400, "Specified signature nonce was used already.")
ACTION_NOT_FOUND = _error(
    "InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method."
)
INVALID_VERSION = _error("InvalidVersion", 400, "Specified parameter Version is not valid.")
UNSUPPORTED_METHOD = _error(
    "UnsupportedHTTPMethod", 405, "The HTTP method of this request is not supported."
)
BODY_TOO_LARGE = _error(
    "RequestEntityTooLarge", 413, "The request body is larger than this endpoint accepts."
)
REQUEST_TIMEOUT = _error(
    "RequestTimeout", 408, "The request was not received in full within the time allowed."
)
MALFORMED_REQUEST = _error(
    "InvalidParameter", 400, "The request could not be parsed: its query or form body is malformed."
)

# RAM's answer to UpdateAccessKey / DeleteAccessKey of an id it does not know.
ACCESS_KEY_ENTITY_NOT_EXIST = _error(
    "EntityNotExist.User.AccessKey", 404, "The specified user access key does not exist."
)

__all__ = [
    "ACCESS_KEY_ENTITY_NOT_EXIST",
    "ACCESS_KEY_INACTIVE",
    "ACCESS_KEY_NOT_FOUND",
    "ACTION_NOT_FOUND",
    "BODY_TOO_LARGE",
    "INCOMPLETE_SIGNATURE",
    "INVALID_VERSION",
    "MALFORMED_REQUEST",
    "NONCE_USED",
    "REQUEST_TIMEOUT",
    "SIGNATURE_DOES_NOT_MATCH",
    "signature_does_not_match",
    "TIMESTAMP_EXPIRED",
    "TIMESTAMP_FORMAT",
    "UNSUPPORTED_METHOD",
    "missing_parameter",
]
