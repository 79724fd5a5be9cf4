"""The cloud's region list kept in the data home: one small JSON file per set of endpoints and
access key id, so that neither the app nor the command line asks DescribeRegions on every run.

The file holds no secret: the regions, when they were read, and whose they are (the routes of
``ECS_KEYPAIR_ENDPOINTS`` and the access key id), which a file of another owner (a hand edit,
a clash of the name's hash) is told from. It is written whole (:func:`replace_whole`), ``0600``,
and read as hostile input: a regular file of at most 1 MiB whose region ids have a region id's
shape; any other file counts as none, and the next answer is written over it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ecs_keypair.contract.regions import Region, looks_like_region_id
from ecs_keypair.keys.file_reads import read_small_file
from ecs_keypair.keys.file_writes import replace_whole

CACHE_FOLDER = "cloud-regions"
FORMAT = "ecs-keypair cloud regions"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class CachedRegions:
    """A DescribeRegions answer and when it came (seconds since the epoch)."""

    fetched_at: float
    regions: tuple[Region, ...]


class RegionCache:
    """The region list file of one owner (endpoints and access key id) in ``home``."""

    def __init__(self, home: Path, owner: Mapping[str, object]) -> None:
        self.owner = json.loads(json.dumps(owner, sort_keys=True))  # as it reads back
        digest = hashlib.sha256(json.dumps(self.owner, sort_keys=True).encode()).hexdigest()
        self.path = home / CACHE_FOLDER / f"regions-{digest[:16]}.json"

    def read(self) -> CachedRegions | None:
        """The list kept, or None: no file, or one that is not a list of this owner's."""
        try:
            data = json.loads(read_small_file(self.path, MAX_FILE_BYTES, follow_link=False))
        except (OSError, ValueError):
            return None
        return self._cached(data)

    def write(self, cached: CachedRegions) -> None:
        """Keep ``cached`` (the folder made owner-only if missing); raises OSError."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = {
            "Format": FORMAT,
            "Version": FORMAT_VERSION,
            "Owner": self.owner,
            "FetchedAt": cached.fetched_at,
            "Regions": [
                {"RegionId": region.region_id, "LocalName": region.local_name}
                for region in cached.regions
            ],
        }
        replace_whole(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode())

    def _cached(self, data: object) -> CachedRegions | None:
        if not isinstance(data, dict) or data.get("Format") != FORMAT:
            return None
        if data.get("Version") != FORMAT_VERSION or data.get("Owner") != self.owner:
            return None
        fetched_at, listed = data.get("FetchedAt"), data.get("Regions")
        if not isinstance(fetched_at, int | float) or not isinstance(listed, list):
            return None
        regions = tuple(region for region in map(_region, listed) if region is not None)
        return CachedRegions(float(fetched_at), regions) if regions else None


def _region(item: object) -> Region | None:
    if not isinstance(item, dict):
        return None
    region_id, name = item.get("RegionId"), item.get("LocalName")
    if not isinstance(region_id, str) or not looks_like_region_id(region_id):
        return None
    return Region(region_id, name if isinstance(name, str) else "")
