"""The cloud's region list file in a data home, edited as a test needs it: a region only the
cloud lists, an age faked by writing the file's timestamp (never by sleeping)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ecs_keypair.remote.region_cache import CACHE_FOLDER

NEW_REGION = ("cn-newtown-1", "China (Newtown)")
"""A region the cloud lists and the built-in list (and so serve) does not."""
DAY = 24 * 60 * 60


def kept_file(home: Path) -> Path:
    """The one region list file kept in ``home``."""
    found = sorted((home / CACHE_FOLDER).glob("regions-*.json"))
    assert len(found) == 1, found
    return found[0]


def rewrite(path: Path, *, age: float = 0.0, extra: tuple[str, str] | None = NEW_REGION) -> None:
    """The file as if DescribeRegions had answered ``age`` seconds ago, with ``extra`` too."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["FetchedAt"] = time.time() - age
    if extra is not None:
        data["Regions"].append({"RegionId": extra[0], "LocalName": extra[1]})
    path.write_text(json.dumps(data), encoding="utf-8")


def region_ids(path: Path) -> list[str]:
    return [region["RegionId"] for region in json.loads(path.read_text())["Regions"]]
