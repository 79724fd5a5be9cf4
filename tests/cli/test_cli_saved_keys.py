"""Where this machine saved a key pair's private key: remembered at the save, shown by match."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Outcome

REGION = "cn-hangzhou"


def saved_here(cli, folder: Path) -> dict[str, list[dict[str, object]]]:
    """match's SavedHere of each key pair, by name (looking in a folder of no keys)."""
    body = cli("match", "--RegionId", REGION, "--dir", str(folder)).body
    return {entry["KeyPairName"]: entry["SavedHere"] for entry in body["KeyPairs"]}


def test_a_save_is_remembered_with_its_path_and_format_never_the_key(
    cli, home: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    created: Outcome = cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
                           "--save", str(tmp_path / "keys" / "web-1.pem"))
    made = cli("keygen", "--KeyPairName", "laptop", "--RegionId", REGION,
               "--save", str(tmp_path / "laptop.ppk"), "--format", "ppk").body
    cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "unsaved").ok()

    found = saved_here(cli, empty)

    assert created.status == 0 and made["KeyFormat"] == "ppk"
    assert [(p["Path"], p["KeyFormat"], p["State"]) for p in found["web-1"]] == [
        (str(tmp_path / "keys" / "web-1.pem"), "pem", "There")
    ]
    assert [(p["Path"], p["KeyFormat"]) for p in found["laptop"]] == [
        (str(tmp_path / "laptop.ppk"), "ppk")
    ]
    assert found["unsaved"] == []
    record = (home / "saved-keys.json").read_text()
    assert "PRIVATE" not in record and "ssh-" not in record and "PuTTY" not in record
    entries = json.loads(record)["saved"].values()
    assert {tuple(sorted(entry)) for entry in entries} == {
        ("Format", "KeyPairFingerPrint", "Path", "SavedAt")
    }


def test_a_file_moved_or_deleted_since_is_reported_as_such(
    cli, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    cli("CreateKeyPair", "--RegionId", REGION, "--KeyPairName", "web-1",
        "--save", str(tmp_path / "web-1.pem")).ok()
    (tmp_path / "web-1.pem").rename(tmp_path / "moved.pem")

    [place] = saved_here(cli, empty)["web-1"]

    assert (place["Path"], place["State"]) == (str(tmp_path / "web-1.pem"), "MovedOrDeleted")
