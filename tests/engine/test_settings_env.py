"""Where the data lives and the per-region quota, as the environment sets them."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecs_keypair.store.settings import ConfigError, data_home, key_pair_quota, lock_timeout


def test_the_home_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_HOME", str(tmp_path / "data"))
    assert data_home() == tmp_path / "data"


def test_a_home_with_a_tilde_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ECS_KEYPAIR_HOME", "~/keys")
    assert data_home() == tmp_path / "keys"


@pytest.mark.parametrize("value", [None, ""])
def test_without_a_home_the_platform_data_directory_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if value is None:
        monkeypatch.delenv("ECS_KEYPAIR_HOME", raising=False)
    else:
        monkeypatch.setenv("ECS_KEYPAIR_HOME", value)
    assert data_home() == tmp_path / "xdg" / "ecs-keypair"


@pytest.mark.parametrize(
    ("value", "quota"), [(None, 500), ("", 500), ("5", 5), ("0", 0), ("2000", 2000)]
)
def test_the_quota_is_500_unless_set(
    monkeypatch: pytest.MonkeyPatch, value: str | None, quota: int
) -> None:
    if value is None:
        monkeypatch.delenv("ECS_KEYPAIR_QUOTA", raising=False)
    else:
        monkeypatch.setenv("ECS_KEYPAIR_QUOTA", value)
    assert key_pair_quota() == quota


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("many", "is not a whole number of key pairs per region"),
        ("2.5", "is not a whole number of key pairs per region"),
        ("-1", "must not be negative"),
    ],
)
def test_an_unusable_quota_is_a_config_error_that_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, words: str
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_QUOTA", value)
    with pytest.raises(ConfigError) as caught:
        key_pair_quota()
    assert str(caught.value) == f"ECS_KEYPAIR_QUOTA={value!r} {words}"


@pytest.mark.parametrize(("value", "seconds"), [(None, 10.0), ("", 10.0), ("0.5", 0.5), ("0", 0.0)])
def test_the_lock_timeout_is_10_seconds_unless_set(
    monkeypatch: pytest.MonkeyPatch, value: str | None, seconds: float
) -> None:
    if value is None:
        monkeypatch.delenv("ECS_KEYPAIR_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", value)
    assert lock_timeout() == seconds


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "3601"])
def test_an_unusable_lock_timeout_is_a_config_error_that_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ECS_KEYPAIR_LOCK_TIMEOUT", value)
    with pytest.raises(ConfigError, match="ECS_KEYPAIR_LOCK_TIMEOUT"):
        lock_timeout()
