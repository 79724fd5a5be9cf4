"""Two serve processes standing for two regions of one account, through ECS_KEYPAIR_ENDPOINTS:
cn-hangzhou at the first, every other region at the second. Each call lands at its region's
endpoint only, and each store holds what it should and nothing else."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore

from tests.support.serve_process import ServeProcess, serves_sharing_a_key


@pytest.fixture
def two_regions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, Path]]:
    """The data homes of the serve for cn-hangzhou and of the serve for the rest."""
    homes = (tmp_path / "hangzhou", tmp_path / "rest")
    with serves_sharing_a_key(*homes) as (servers, key):
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key["AccessKeySecret"])
        monkeypatch.setenv("ECS_KEYPAIR_ENDPOINTS", json.dumps(routes(*servers)))
        yield homes


def routes(hangzhou: ServeProcess, rest: ServeProcess) -> dict[str, str]:
    return {"cn-hangzhou": f"http://127.0.0.1:{hangzhou.port}",
            "*": f"http://127.0.0.1:{rest.port}"}


def held(home: Path) -> dict[str, dict[str, str]]:
    """Every key pair a serve's store holds, read from its files: region → name → MD5."""
    backend = LocalBackend(KeyPairStore(home))
    found = {
        region.region_id: {r.key_pair_name: r.fingerprint for r in backend.find_key_pairs(
            region.region_id)}
        for region in REGIONS
    }
    return {region: names for region, names in found.items() if names}


def test_each_region_at_its_own_endpoint(
    cli, two_regions: tuple[Path, Path], home: Path, tmp_path: Path
) -> None:
    hangzhou, rest = two_regions

    made = cli("CreateKeyPair", "--cloud", "--RegionId", "cn-hangzhou", "--KeyPairName", "web-1")
    fingerprint = made.body["KeyPairFingerPrint"]
    assert held(hangzhou) == {"cn-hangzhou": {"web-1": fingerprint}}
    assert held(rest) == {}

    copied = cli("copy", "--cloud", "--KeyPairName", "web-1", "--RegionId", "cn-hangzhou",
                 "--to", "cn-beijing").body
    assert [(r["RegionId"], r["Outcome"]) for r in copied["Regions"]] == [
        ("cn-beijing", "Imported")
    ]
    assert held(hangzhou) == {"cn-hangzhou": {"web-1": fingerprint}}
    assert held(rest) == {"cn-beijing": {"web-1": fingerprint}}

    made_here = cli("keygen", "--cloud", "--KeyPairName", "laptop",
                    "--RegionId", "cn-hangzhou,cn-beijing,eu-west-1",
                    "--save", str(tmp_path / "laptop")).body
    assert [(r["RegionId"], r["Outcome"]) for r in made_here["Regions"]] == [
        ("cn-hangzhou", "Imported"), ("cn-beijing", "Imported"), ("eu-west-1", "Imported")
    ]
    laptop = made_here["KeyPairFingerPrint"]
    assert held(hangzhou) == {"cn-hangzhou": {"web-1": fingerprint, "laptop": laptop}}
    assert held(rest) == {
        "cn-beijing": {"web-1": fingerprint, "laptop": laptop},
        "eu-west-1": {"laptop": laptop},
    }

    # a listing asks the region's endpoint
    listed = cli("DescribeKeyPairs", "--cloud", "--RegionId", "eu-west-1").body
    assert [k["KeyPairName"] for k in listed["KeyPairs"]["KeyPair"]] == ["laptop"]
    # nothing went to this machine's own store: its data home holds the account's mirror and
    # where the key made here was saved
    assert sorted(path.name for path in home.iterdir()) == [".lock", "mirrors", "saved-keys.json"]
    assert str(tmp_path / "laptop") in (home / "saved-keys.json").read_text()
    [mirror] = (home / "mirrors").iterdir()
    assert mirror.name.startswith("cloud_") and "cn-hangzhou_http_127.0.0.1_" in mirror.name
    assert json.loads((mirror / "eu-west-1.json").read_text())["keypairs"]["1"]["KeyPairName"] == (
        "laptop"
    )


def test_keygen_on_the_cloud_makes_rsa_3072_unless_told(
    cli, two_regions: tuple[Path, Path], tmp_path: Path
) -> None:
    """The cloud's ImportKeyPair documents rsa, dsa and ecdsa: keygen proposes RSA 3072 there;
    ``--type ed25519`` stays the user's choice."""
    cli("keygen", "--cloud", "--KeyPairName", "proposed", "--RegionId", "cn-hangzhou",
        "--save", str(tmp_path / "proposed"))
    public = (tmp_path / "proposed.pub").read_text().split()
    assert public[0] == "ssh-rsa"
    assert len(base64.b64decode(public[1])) > 384  # a 3072-bit modulus is 384 bytes
    cli("keygen", "--cloud", "--KeyPairName", "chosen", "--RegionId", "cn-hangzhou",
        "--type", "ed25519", "--save", str(tmp_path / "chosen"))
    assert (tmp_path / "chosen.pub").read_text().startswith("ssh-ed25519 ")

