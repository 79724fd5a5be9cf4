"""Writing bodies as the aliyun CLI does: JSON indented by two, non-ASCII text as itself."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from app.engine.errors import ApiError


def write_json(stream: TextIO, body: Mapping[str, object]) -> None:
    try:
        stream.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    except UnicodeEncodeError:  # a stream that cannot carry the text: escaped, still the same JSON
        stream.write(json.dumps(body, indent=2) + "\n")
    stream.flush()


def error_body(error: ApiError, region_id: str | None) -> dict[str, object]:
    """The API's error body: a new RequestId, the region's endpoint as HostId."""
    from app.engine.ids import new_request_id  # not needed by --help
    from app.engine.regions import host_id

    return error.body(new_request_id(), host_id(region_id))
