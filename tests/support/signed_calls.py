"""Any flat request, signed by the official SDK as it signs its own calls, sent to a serve.

The SDK's typed requests cannot carry ``Tag.01.Key`` or ``PageSize=--5``; its generic
``call_api`` signs and sends whatever query it is given, as every typed call does underneath.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from darabonba.runtime import RuntimeOptions

from tests.support.serve import RunningServe

API_VERSION = "2014-05-26"


def signed_call(
    serve: RunningServe, action: str, flat: Mapping[str, str], signature: str | None = None
) -> tuple[int, dict[str, Any]]:
    """The HTTP status and the JSON body serve answered to ``action`` with ``flat``."""
    params = utils_models.Params(
        action=action,
        version=API_VERSION,
        protocol="HTTP",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = utils_models.OpenApiRequest(query=dict(flat))
    try:
        answer = serve.client(signature=signature).call_api(params, request, RuntimeOptions())
    except (ClientException, ServerException) as exc:  # 4xx and 5xx answers
        return exc.status_code, dict(exc.data)
    return answer["statusCode"], answer["body"]
