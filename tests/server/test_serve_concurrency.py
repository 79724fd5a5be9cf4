"""Many SDK clients at once: none of their key pairs is lost, and a name is never stored twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alibabacloud_ecs20140526 import models
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.support.serve import running_serve

CLIENTS = 12
PER_CLIENT = 4


def _create(serve, signature: str | None, region: str, name: str) -> str:
    try:
        serve.client(signature=signature).create_key_pair(
            models.CreateKeyPairRequest(region_id=region, key_pair_name=name)
        )
    except ClientException as exc:
        return exc.code
    return "created"


def test_many_clients_distinct_and_identical_names(tmp_path: Path) -> None:
    with running_serve(tmp_path / "data") as serve:
        distinct = [f"c{client}-k{n}" for client in range(CLIENTS) for n in range(PER_CLIENT)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            distinct_results = list(
                pool.map(
                    lambda item: _create(
                        serve, "v2" if item[0] % 2 else None, "cn-hangzhou", item[1]
                    ),
                    enumerate(distinct),
                )
            )
            same_results = list(
                pool.map(
                    lambda n: _create(serve, "v2" if n % 2 else None, "cn-beijing", "contested"),
                    range(CLIENTS),
                )
            )
        store = serve.backend()

        assert distinct_results == ["created"] * len(distinct)
        assert sorted(r.key_pair_name for r in store.find_key_pairs("cn-hangzhou")) == sorted(
            distinct
        )
        assert sorted(same_results) == ["KeyPair.AlreadyExist"] * (CLIENTS - 1) + ["created"]
        assert [r.key_pair_name for r in store.find_key_pairs("cn-beijing")] == ["contested"]
