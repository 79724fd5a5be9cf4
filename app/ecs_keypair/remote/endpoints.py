"""Which ECS endpoint a call goes to: one for every region (``--endpoint``: serve, a proxy), or,
on Alibaba Cloud, its region's own.

On the cloud a region's endpoint is the one the official SDK's client resolves for it (its
endpoint map, then its regional rule), asked of the SDK and never copied here, unless
``ECS_KEYPAIR_ENDPOINTS`` names another (private clouds, tests).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.regions import DEFAULT_REGION_ID, looks_like_region_id

ENDPOINTS_VARIABLE = "ECS_KEYPAIR_ENDPOINTS"
EVERY_OTHER_REGION = "*"
CLOUD_NAME = "Alibaba Cloud"


class EndpointsSettingError(ValueError):
    """``ECS_KEYPAIR_ENDPOINTS`` cannot be used: the message names it and says why, in a line."""


_HOST_LABEL = r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?"
_NETLOC = re.compile(
    rf"(?P<host>\[[0-9a-f:.]+\]|{_HOST_LABEL}(?:\.{_HOST_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?",
    re.ASCII,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An endpoint as ``--endpoint`` takes it: ``host[:port]`` (HTTPS, as the cloud) or
    ``http://host:port``, held in one spelling: scheme and host in lower case, no default port,
    no trailing ``/``, so that one endpoint has one mirror."""

    protocol: str
    host: str

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        """Refuses, before anything is called, what could only fail when called (a port that is
        not 1-65535 in ASCII digits, a space) and what has no place in an endpoint (a user
        name and password, which would end up in the mirror's folder name; a query or fragment)."""
        problem = _problem(text)
        if problem is None:
            parts = urlsplit(text.lower() if "://" in text else f"https://{text.lower()}")
            netloc = _NETLOC.fullmatch(parts.netloc)
            if netloc is None:
                problem = "must be a host or http(s)://host:port, its port 1 to 65535"
            elif parts.scheme not in _DEFAULT_PORTS or parts.path not in ("", "/"):
                problem = "must be a host or http(s)://host:port"
            else:
                port = netloc["port"]
                if port is not None and not 0 < int(port) <= 65535:
                    problem = "its port must be 1 to 65535"
                elif port is None or int(port) == _DEFAULT_PORTS[parts.scheme]:
                    return cls(parts.scheme, netloc["host"])
                else:
                    return cls(parts.scheme, f"{netloc['host']}:{int(port)}")
        raise ApiException(
            ApiError(
                "InvalidParameter",
                f"The endpoint {text!r} is not a host such as ecs.cn-hangzhou.aliyuncs.com "
                "or an address such as http://127.0.0.1:8080.",
                400,
            ).at("--endpoint", problem)
        )

    @property
    def url(self) -> str:
        return f"{self.protocol}://{self.host}"


def _problem(text: str) -> str | None:
    """What makes ``text`` no endpoint before it is split (the splitter drops tabs and line
    breaks, and takes a user name, a query or a fragment apart without a word)."""
    if not text.isascii() or not text.isprintable() or any(c.isspace() for c in text):
        return "must be ASCII without spaces or control characters"
    if "@" in text:
        return "must not hold a user name or password"
    if "?" in text or "#" in text:
        return "must not hold a query or fragment"
    return None


def sdk_endpoint(region_id: str) -> Endpoint:
    """The endpoint the official SDK's ECS client resolves for ``region_id``, read from a
    client built for that region with no endpoint given."""
    # Imported here: the command line reads the variable on every cloud command, the SDK only
    # when a region's endpoint is wanted.
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config

    return Endpoint("https", str(Client(Config(region_id=region_id))._endpoint))


def region_of(region_id: str | None) -> str:
    """The region whose endpoint a call goes to: its own, else (no region, or one no host can
    be named after) the default region's."""
    return region_id if region_id and looks_like_region_id(region_id) else DEFAULT_REGION_ID


@dataclass(frozen=True, slots=True)
class Routes:
    """Where each region's calls go: ``every_region`` when set, else the region's entry in
    ``by_region``, its ``"*"``, or the SDK's endpoint for the region."""

    every_region: Endpoint | None = None
    by_region: Mapping[str, Endpoint] = field(default_factory=dict)

    @classmethod
    def one(cls, endpoint: str) -> Routes:
        """``--endpoint``: the same endpoint for every region."""
        return cls(Endpoint.parse(endpoint))

    @classmethod
    def cloud(cls) -> Routes:
        """Alibaba Cloud: each region at its own endpoint (``ECS_KEYPAIR_ENDPOINTS`` first)."""
        return cls(None, read_endpoints_variable())

    @property
    def is_cloud(self) -> bool:
        return self.every_region is None

    def endpoint_for(self, region_id: str | None) -> Endpoint:
        if self.every_region is not None:
            return self.every_region
        region = region_of(region_id)
        chosen = self.by_region.get(region) or self.by_region.get(EVERY_OTHER_REGION)
        return chosen or sdk_endpoint(region)

    @property
    def place(self) -> str:
        """Where the key pairs live, in one text that names their mirror: the endpoint's URL
        (one spelling: see :class:`Endpoint`), or ``cloud`` with the endpoints
        ``ECS_KEYPAIR_ENDPOINTS`` chose."""
        if self.every_region is not None:
            return self.every_region.url
        chosen = ",".join(f"{region}={e.url}" for region, e in sorted(self.by_region.items()))
        return f"cloud,{chosen}" if chosen else "cloud"

    @property
    def label(self) -> str:
        """Where the calls go, for the screens' header."""
        return CLOUD_NAME if self.every_region is None else f"endpoint {self.every_region.host}"


def read_endpoints_variable() -> dict[str, Endpoint]:
    """``ECS_KEYPAIR_ENDPOINTS`` read and checked: region id (or ``"*"``) to endpoint; empty
    when unset or empty. Raises :class:`EndpointsSettingError`."""
    text = os.environ.get(ENDPOINTS_VARIABLE, "")
    if not text.strip():
        return {}
    try:
        data = json.loads(text, object_pairs_hook=_without_repeats)
    except EndpointsSettingError:
        raise
    except ValueError as exc:
        raise _bad(f"is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _bad("must be a JSON object from region id to endpoint, such as "
                   '{"cn-hangzhou": "http://127.0.0.1:8080", "*": "http://127.0.0.1:8081"}')
    return {region: _endpoint_of(region, value) for region, value in data.items()}


def _without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are each given once: plain JSON keeps the last of a repeated key
    without a word, which would send a region's calls somewhere the user did not look."""
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise _bad(f"{key!r} is given twice")
        seen[key] = value
    return seen


def _endpoint_of(region: str, value: object) -> Endpoint:
    if region != EVERY_OTHER_REGION and not looks_like_region_id(region):
        raise _bad(f"{region!r} is neither a region id (such as cn-hangzhou) nor \"*\"")
    if not isinstance(value, str):
        raise _bad(f"the endpoint of {region} must be a string, not {json.dumps(value)[:40]}")
    try:
        return Endpoint.parse(value)
    except ApiException as exc:
        raise _bad(
            f"the endpoint of {region}, {value!r}, is not a host such as "
            f"ecs.cn-hangzhou.aliyuncs.com or an address such as http://127.0.0.1:8080 "
            f"({exc.error.reason})"
        ) from None


def _bad(reason: str) -> EndpointsSettingError:
    return EndpointsSettingError(f"{ENDPOINTS_VARIABLE}: {reason}")
