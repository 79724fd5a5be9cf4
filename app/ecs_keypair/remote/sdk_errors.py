"""The SDK's failures as the API's errors, so the screens and the command line show them as values.

An answer from the endpoint keeps its own code, message and status. Failures that never got an
answer have no API code; they get the codes the cloud's SDKs use for them (``SDK.…``) and a
message that says what happened and to which host.
"""

from __future__ import annotations

from dataclasses import replace

from alibabacloud_credentials.exceptions import CredentialException

from ecs_keypair.contract.errors import ApiError
from ecs_keypair.remote.credentials import missing_credentials

SERVER_UNREACHABLE = "SDK.ServerUnreachable"
TIMEOUT = "SDK.Timeout"
UNREACHABLE_CODES = frozenset({SERVER_UNREACHABLE, TIMEOUT})
"""The codes of a call that got no answer: the endpoint may be down, or the network."""


def _error(code: str, status: int, message: str) -> ApiError:
    return ApiError(code=code, message=message, status=status)


def _cause(exc: BaseException) -> BaseException:
    """The failure inside the SDK's retry wrapper, if there is one."""
    inner = getattr(exc, "inner_exception", None)
    return inner if isinstance(inner, BaseException) else exc


def api_error(exc: BaseException, host: str) -> ApiError:
    """What to show for an exception raised by an SDK call to ``host``: the endpoint's answer
    with the ``HostId`` it named, or what failed on the way, from ``host``."""
    return replace(_error_of(exc, host), host_id=_answered_host(exc) or host)


def _answered_host(exc: BaseException) -> str | None:
    data = getattr(exc, "data", None)
    host_id = data.get("HostId") if isinstance(data, dict) else None
    return host_id if isinstance(host_id, str) and host_id else None


def _error_of(exc: BaseException, host: str) -> ApiError:
    code = getattr(exc, "code", None)
    status = getattr(exc, "status_code", None)
    if code and isinstance(status, int):
        data = getattr(exc, "data", None) or {}
        message = data.get("Message") if isinstance(data, dict) else None
        return _error(str(code), status, str(message or getattr(exc, "message", "") or code))
    cause = _cause(exc)
    if isinstance(cause, CredentialException):
        return missing_credentials(str(cause))
    text = str(cause)
    if "timed out" in text or "Timeout" in text:
        return _error(TIMEOUT, 504, f"The endpoint {host} did not answer in time.")
    if "Connection refused" in text:
        return _error(
            SERVER_UNREACHABLE,
            503,
            f"The endpoint {host} refused the connection: is it running?",
        )
    if "NameResolutionError" in text or "Failed to resolve" in text:
        return _error(
            SERVER_UNREACHABLE, 503, f"The endpoint's host name {host} does not resolve."
        )
    if "json" in text.lower():
        return _error(
            "SDK.InvalidResponse", 502, f"The endpoint {host} did not answer with the API's JSON."
        )
    if "Connection" in text or "Max retries" in text:
        return _error(SERVER_UNREACHABLE, 503, f"The endpoint {host} cannot be reached.")
    return _error("SDK.ClientError", 500, f"The call to {host} failed: {type(cause).__name__}.")
