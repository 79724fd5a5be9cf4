"""``--cli-dry-run``: the request that would be sent, described as the aliyun CLI describes it
(style, endpoint, method, action, version and the parameters), and nothing called."""

from __future__ import annotations

from typing import Any

from ecs_keypair.cli.command_view import api_version


def request_description(
    action: str, parameters: dict[str, str], endpoint: str | None
) -> dict[str, Any]:
    """The description, as the answer to print. An ``--endpoint`` is read as a real call would
    read it (a bad one is the same error); the local store is named by its folder."""
    if endpoint:
        from ecs_keypair.remote.backend import Endpoint

        target = Endpoint.parse(endpoint)
        where, method = f"{target.protocol}://{target.host}", "POST"  # the SDK POSTs RPC calls
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
