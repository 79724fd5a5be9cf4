"""``--cli-dry-run``: the request that would be sent, described as the aliyun CLI describes it
(style, endpoint, method, action, version and the parameters), and nothing called."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecs_keypair.cli.command_view import REGION_PARAMETER, api_version

if TYPE_CHECKING:
    from ecs_keypair.backends import Target


def request_description(
    action: str, parameters: dict[str, str], target: Target
) -> dict[str, Any]:
    """The description, as the answer to print. The endpoint is the one a real call would go
    to (``--endpoint``, or on the cloud its region's; a bad one is the same error); the local
    store is named by its folder."""
    if target.get("cloud") or target.get("endpoint"):
        from ecs_keypair.remote.endpoints import Routes

        routes = Routes.cloud() if target.get("cloud") else Routes.one(target["endpoint"])
        endpoint = routes.endpoint_for(parameters.get(REGION_PARAMETER))
        where, method = endpoint.url, "POST"  # the SDK POSTs RPC calls
    else:
        from ecs_keypair.store.settings import data_home

        where, method = f"local store {data_home()}", ""
    description: dict[str, Any] = {"style": "RPC", "endpoint": where}
    if method:
        description["method"] = method
    description.update(
        action=action, version=api_version(), query=dict(sorted(parameters.items()))
    )
    return description
