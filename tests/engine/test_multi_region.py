"""One key in many regions: imported, already there, conflict, full region, unknown region."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.regions import REGIONS
from ecs_keypair.keys.key_formats import generate_private_key, public_key_of
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.workflows.key_workflows import make_key_here
from ecs_keypair.workflows.multi_region import copy_key_pair, find_everywhere, region_ids

FROM, A, B, C = "cn-hangzhou", "cn-beijing", "cn-shanghai", "cn-qingdao"


@pytest.fixture(scope="module")
def lines() -> tuple[str, str]:
    first, second = (public_key_of(generate_private_key()).line for _ in range(2))
    return first, second


def test_copy_reports_each_region(home: Path, lines) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=1))
    mine, other = lines
    backend.import_key_pair(ImportKeyPairRequest(FROM, "laptop", mine))
    backend.import_key_pair(ImportKeyPairRequest(A, "laptop", mine))  # already there
    backend.import_key_pair(ImportKeyPairRequest(B, "laptop", other))  # same name, other key
    backend.import_key_pair(ImportKeyPairRequest(C, "full", other))  # its quota of 1 is used

    results = copy_key_pair(backend, "laptop", FROM, [A, B, C, "cn-shenzhen", "mars"])

    outcomes = {r.region_id: (r.outcome, r.error.code if r.error else None) for r in results}
    assert outcomes == {
        A: ("AlreadyThere", None),
        B: ("Conflict", "KeyPair.AlreadyExist"),
        C: ("Failed", "QuotaExceed.KeyPair"),
        "cn-shenzhen": ("Imported", None),
        "mars": ("Failed", "InvalidRegionId.NotFound"),
    }
    assert backend.find_key_pairs(B)[0].public_key == other  # left untouched
    assert [r.ok for r in results] == [True, False, False, True, False]
    body = results[1].body()
    assert body["Outcome"] == "Conflict" and body["Error"]["HttpStatusCode"] == 400


def test_copy_of_a_missing_key_pair(backend: LocalBackend) -> None:
    with pytest.raises(ApiException) as caught:
        copy_key_pair(backend, "ghost", FROM, [A])
    assert caught.value.error.code == "InvalidKeyPairName.NotFound"


def test_region_lists(backend: LocalBackend) -> None:
    assert region_ids(backend, f"{A}, {B},{A}") == [A, B]
    assert region_ids(backend, "all", exclude=(FROM,)) == [
        r.region_id for r in REGIONS if r.region_id != FROM
    ]
    for bad in ("", f"{A},,{B}", FROM):
        with pytest.raises(ApiException):
            region_ids(backend, bad, exclude=(FROM,))


def test_keygen_saves_first_then_imports(backend: LocalBackend, tmp_path: Path) -> None:
    made = make_key_here(backend, "here-1", f"{A},{B}", "ecdsa", 384,
                         SaveRequest(str(tmp_path / "k"), "ppk"))
    assert made.ok and [r.outcome for r in made.results] == ["Imported", "Imported"]
    assert made.delivered.saved and made.delivered.saved.private_path.exists()
    assert backend.find_key_pairs(A)[0].fingerprint == made.public_key.md5_fingerprint


def test_keygen_refusals_make_nothing(backend: LocalBackend, tmp_path: Path) -> None:
    tmp_path = tmp_path / "keys"
    tmp_path.mkdir()
    (tmp_path / "taken").write_text("x")
    for name, spec, save in [
        ("1bad", ("ed25519", None), SaveRequest(str(tmp_path / "a"), "openssh")),
        ("ok-1", ("rsa", 512), SaveRequest(str(tmp_path / "a"), "openssh")),
        ("ok-1", ("ed25519", None), SaveRequest(str(tmp_path / "a"), "pem")),
        ("ok-1", ("ed25519", None), SaveRequest(str(tmp_path / "taken"), "openssh")),
    ]:
        with pytest.raises(ApiException):
            make_key_here(backend, name, A, *spec, save)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert backend.find_key_pairs(A) == []


def test_find_everywhere_by_name_or_fingerprint(backend: LocalBackend, lines) -> None:
    mine, other = lines
    backend.import_key_pair(ImportKeyPairRequest(FROM, "laptop", mine))
    backend.import_key_pair(ImportKeyPairRequest(B, "laptop", other))
    backend.import_key_pair(ImportKeyPairRequest(C, "renamed", mine))
    by_name, unanswered = find_everywhere(backend, key_pair_name="laptop")
    assert sorted(r.region_id for r in by_name) == sorted([FROM, B]) and unanswered == []
    fingerprint = backend.find_key_pairs(FROM)[0].fingerprint
    by_key, _ = find_everywhere(backend, fingerprint=fingerprint)
    assert sorted((r.region_id, r.key_pair_name) for r in by_key) == sorted(
        [(FROM, "laptop"), (C, "renamed")]
    )
    with pytest.raises(ApiException):
        find_everywhere(backend)
