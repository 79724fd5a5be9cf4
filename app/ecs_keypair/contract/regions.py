"""The regions ECS knows (../shared/spec/README.md), in the order the console lists them."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    region_id: str
    local_name: str

    @property
    def endpoint(self) -> str:
        return f"ecs.{self.region_id}.aliyuncs.com"


REGIONS: tuple[Region, ...] = tuple(
    Region(region_id, name)
    for region_id, name in (
        ("cn-qingdao", "China (Qingdao)"),
        ("cn-beijing", "China (Beijing)"),
        ("cn-zhangjiakou", "China (Zhangjiakou)"),
        ("cn-huhehaote", "China (Hohhot)"),
        ("cn-wulanchabu", "China (Ulanqab)"),
        ("cn-hangzhou", "China (Hangzhou)"),
        ("cn-shanghai", "China (Shanghai)"),
        ("cn-nanjing", "China (Nanjing - Local Region)"),
        ("cn-fuzhou", "China (Fuzhou - Local Region)"),
        ("cn-shenzhen", "China (Shenzhen)"),
        ("cn-heyuan", "China (Heyuan)"),
        ("cn-guangzhou", "China (Guangzhou)"),
        ("cn-chengdu", "China (Chengdu)"),
        ("cn-hongkong", "China (Hong Kong)"),
        ("ap-northeast-1", "Japan (Tokyo)"),
        ("ap-northeast-2", "South Korea (Seoul)"),
        ("ap-southeast-1", "Singapore"),
        ("ap-southeast-3", "Malaysia (Kuala Lumpur)"),
        ("ap-southeast-5", "Indonesia (Jakarta)"),
        ("ap-southeast-6", "Philippines (Manila)"),
        ("ap-southeast-7", "Thailand (Bangkok)"),
        ("us-west-1", "US (Silicon Valley)"),
        ("us-east-1", "US (Virginia)"),
        ("eu-central-1", "Germany (Frankfurt)"),
        ("eu-west-1", "UK (London)"),
        ("me-east-1", "UAE (Dubai)"),
        ("me-central-1", "Saudi Arabia (Riyadh)"),
    )
)

REGIONS_BY_ID: dict[str, Region] = {region.region_id: region for region in REGIONS}

DEFAULT_REGION_ID = "cn-hangzhou"

GLOBAL_HOST_ID = "ecs.aliyuncs.com"

# Lowercase words joined by hyphens, a letter first (cn-hangzhou, ap-southeast-1,
# cn-shanghai-finance-1): the shape of every region id, listed or not, and nothing that could
# change a host name built from it.
_REGION_ID_SHAPE = re.compile(r"[a-z]{2,}(?:-[a-z0-9]+)+")


def looks_like_region_id(text: str) -> bool:
    """Whether ``text`` has the shape of a region id (the cloud has regions not listed here)."""
    return _REGION_ID_SHAPE.fullmatch(text) is not None


def host_id(region_id: str | None) -> str:
    """The ``HostId`` of an answer: the region's endpoint, or the global one."""
    region = REGIONS_BY_ID.get(region_id or "")
    return region.endpoint if region else GLOBAL_HOST_ID
