"""Whose mirror an endpoint's key pairs go to: the AccessKeyId, read as the credentials are."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from ecs_keypair.remote.credentials import access_key_id


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``~/.aliyun/config.json`` in a fresh home, and no credentials in the environment."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", raising=False)
    path = tmp_path / ".aliyun" / "config.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"current": "work", "profiles": [
        {"name": "work", "mode": "AK", "access_key_id": "LTAIwork", "access_key_secret": "s"},
        {"name": "ops", "mode": "AK", "access_key_id": "LTAIops", "access_key_secret": "s"},
        {"name": "ecs-role", "mode": "EcsRamRole", "ram_role_name": "r"},
    ]}))
    return path


def test_the_key_id_comes_from_where_the_credentials_do(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert access_key_id() == "LTAIwork"  # the file's current profile
    assert access_key_id("ops") == "LTAIops"
    assert access_key_id("ecs-role") == "profile ecs-role"  # names no key: the profile's name
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
    assert access_key_id() == "LTAIenv"
    assert access_key_id("ops") == "LTAIops"  # --profile wins, as it does for the credentials


def test_a_config_file_that_cannot_be_used_names_the_profile(config: Path) -> None:
    config.write_text("{not json")
    assert access_key_id() == "profile default"
    config.unlink()
    os.mkfifo(config)  # never waited on
    assert access_key_id("ops") == "profile ops"
