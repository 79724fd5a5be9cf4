"""The errors the API gateway answers before an action runs: signatures, keys, limits.

They use the codes and messages the cloud's gateway returns, so that an SDK client raises the same
client error against ``serve`` as against ECS. Where the gateway's exact code is not documented,
the closest real code is used (the choices are listed in the serve notes for maintainers).
"""

from __future__ import annotations

from app.engine.errors import ApiError, missing_parameter

INCOMPLETE_SIGNATURE = ApiError(
    "IncompleteSignature", 400, "The request signature does not conform to Aliyun standards."
)
SIGNATURE_DOES_NOT_MATCH = ApiError(
    "SignatureDoesNotMatch", 400, "Specified signature is not matched with our calculation."
)
ACCESS_KEY_NOT_FOUND = ApiError(
    "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."
)
ACCESS_KEY_INACTIVE = ApiError(
    "InvalidAccessKeyId.Inactive", 400, "Specified access key is disabled."
)
TIMESTAMP_EXPIRED = ApiError(
    "InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired."
)
TIMESTAMP_FORMAT = ApiError(
    "InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted."
)
NONCE_USED = ApiError("SignatureNonceUsed", 400, "Specified signature nonce was used already.")
ACTION_NOT_FOUND = ApiError(
    "InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method."
)
INVALID_VERSION = ApiError("InvalidVersion", 400, "Specified parameter Version is not valid.")
UNSUPPORTED_METHOD = ApiError(
    "UnsupportedHTTPMethod", 405, "The HTTP method of this request is not supported."
)
BODY_TOO_LARGE = ApiError(
    "RequestEntityTooLarge", 413, "The request body is larger than this endpoint accepts."
)
MALFORMED_REQUEST = ApiError(
    "InvalidParameter", 400, "The request could not be parsed: its query or form body is malformed."
)

__all__ = [
    "ACCESS_KEY_INACTIVE",
    "ACCESS_KEY_NOT_FOUND",
    "ACTION_NOT_FOUND",
    "BODY_TOO_LARGE",
    "INCOMPLETE_SIGNATURE",
    "INVALID_VERSION",
    "MALFORMED_REQUEST",
    "NONCE_USED",
    "SIGNATURE_DOES_NOT_MATCH",
    "TIMESTAMP_EXPIRED",
    "TIMESTAMP_FORMAT",
    "UNSUPPORTED_METHOD",
    "missing_parameter",
]
