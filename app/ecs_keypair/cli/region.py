"""Where a command's ``RegionId`` comes from when the command line does not give one, in the
order the issue sets: ``--region``, then ``ALIBABA_CLOUD_REGION_ID``, then the ``region_id`` of the
aliyun CLI's profile in use (``--profile NAME``, else the ``current`` one of
``~/.aliyun/config.json``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

REGION_VARIABLE = "ALIBABA_CLOUD_REGION_ID"
CONFIG_LIMIT = 1 << 20  # bytes: the aliyun CLI's file is a few KiB; more is not its file


def aliyun_config_path() -> Path:
    return Path.home() / ".aliyun" / "config.json"


@dataclass(frozen=True, slots=True)
class RegionLookup:
    """The region found (None: none), and, when none, why the profile gave none."""

    region_id: str | None
    profile_problem: str = ""


def find_region(flag: str | None, profile: str | None) -> RegionLookup:
    """The region of ``--region`` (``flag``), the environment, or the profile, in that order."""
    if flag:
        return RegionLookup(flag)
    if os.environ.get(REGION_VARIABLE):
        return RegionLookup(os.environ[REGION_VARIABLE])
    return _profile_region(profile)


def _profile_region(profile: str | None) -> RegionLookup:
    path = aliyun_config_path()
    try:
        with path.open("rb") as file:
            raw = file.read(CONFIG_LIMIT + 1)
        if len(raw) > CONFIG_LIMIT:
            return RegionLookup(None, f"{path} is larger than the aliyun CLI writes")
        data = json.loads(raw)
    except FileNotFoundError:
        return RegionLookup(None, f"{path} does not exist")
    except (OSError, ValueError) as exc:  # unreadable, not JSON, not UTF-8
        return RegionLookup(None, f"{path} cannot be read ({type(exc).__name__})")
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        return RegionLookup(None, f"{path} is not the aliyun CLI's configuration")
    name = profile or data.get("current") or "default"
    found = next(
        (p for p in data["profiles"] if isinstance(p, dict) and p.get("name") == name), None
    )
    if found is None:
        return RegionLookup(None, f"{path} has no profile {name!r}")
    region_id = found.get("region_id")
    if not isinstance(region_id, str) or not region_id:
        return RegionLookup(None, f"the profile {name!r} of {path} has no region_id")
    return RegionLookup(region_id)


def missing_region_message(lookup: RegionLookup) -> str:
    """The usage error when no way gave a region: it names all three ways."""
    return (
        "missing required parameter --RegionId: give --RegionId or --region, or set "
        f"{REGION_VARIABLE}, or a region_id in the aliyun profile in use ({lookup.profile_problem})"
    )
