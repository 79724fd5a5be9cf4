"""Rotation over the local store: every instance bound to OLD moved to NEW, in effect where the
store tells, a rerun that finishes a half-done run, OLD deleted only once nothing holds it, NEW
undone when its private key cannot be delivered, and a NEW made elsewhere refused unless asked
for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.contract.errors import ApiException, service_unavailable
from ecs_keypair.contract.instance_requests import InstanceRequest, KeyPairInstancesRequest
from ecs_keypair.contract.instance_results import KeyPairInstances
from ecs_keypair.contract.results import Acknowledged, CreatedKeyPair
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.saved_keys import SavedKeys
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.workflows.key_workflows import AgentRequest
from ecs_keypair.workflows.rotation import Rotation, rotate_key_pair

from tests.support.engine import REGION
from tests.support.instances import api, described, imported, run


def names(backend: LocalBackend) -> set[str]:
    return {record.key_pair_name for record in backend.find_key_pairs(REGION)}


def rotate(
    backend: LocalBackend,
    tmp_path: Path,
    *,
    reboot: bool = True,
    delete_old: bool = False,
    new: str = "new-key",
    use_existing: bool = False,
) -> Rotation:
    """OLD to NEW, NEW made by ECS and saved to tmp_path/new.pem (the same line on a rerun),
    where it was saved remembered in tmp_path/saved as the command line does."""
    saved = SavedKeys(tmp_path / "saved")
    rotation = rotate_key_pair(
        backend,
        REGION,
        "old-key",
        new,
        made_here=None,
        save=SaveRequest(str(tmp_path / "new.pem"), "pem"),
        agent=None,
        reboot=reboot,
        delete_old=delete_old,
        use_existing=use_existing,
        held_here=saved.holds,
    )
    if rotation.new.delivered is not None:
        saved.remember_saved(rotation.new.fingerprint, rotation.new.delivered.saved)
    return rotation


def outcomes(rotation: Rotation) -> dict[str, str]:
    return {result.instance_id: result.outcome for result in rotation.instances}


def note(rotation: Rotation, instance: str) -> str:
    [result] = [result for result in rotation.instances if result.instance_id == instance]
    return result.note


def test_every_instance_bound_to_old_moves_to_new(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    imported(fast_service, REGION, "other-key")
    moving = run(fast_service, REGION, 2, KeyPairName="old-key")
    [other] = run(fast_service, REGION, KeyPairName="other-key")

    rotation = rotate(fast_service, tmp_path)

    assert rotation.ok
    assert outcomes(rotation) == {instance: "Moved" for instance in moving}
    keys = fast_service.keys_in_effect(REGION)
    assert [keys[instance] for instance in moving] == ["new-key", "new-key"]
    assert keys[other] == "other-key"
    assert described(fast_service, REGION)[other]["KeyPairName"] == "other-key"
    body = rotation.body()
    assert body["NewKeyPair"]["Outcome"] == "Created"
    assert "PrivateKeyBody" not in json.dumps(body)
    assert (body["InEffect"], body["Moved"], body["NotMoved"]) == ("Seen", 2, 0)
    assert body["OldKeyPair"] == {
        "KeyPairName": "old-key", "Outcome": "Kept", "Reason": "not asked to delete it"
    }
    assert "BEGIN PRIVATE KEY" in (tmp_path / "new.pem").read_text()
    assert names(fast_service) == {"old-key", "new-key", "other-key"}


def test_a_stopped_instance_moves_at_its_next_start_and_a_rerun_then_deletes_old(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    running, stopped = run(fast_service, REGION, 2, KeyPairName="old-key")
    api(fast_service, "StopInstance", InstanceId=stopped)

    first = rotate(fast_service, tmp_path, delete_old=True)

    assert outcomes(first) == {running: "Moved", stopped: "Attached"}
    assert note(first, stopped) == "new-key bound; it takes effect when the instance is started"
    assert not first.ok
    assert (first.old.outcome, first.old.reason) == ("Kept", f"1 instance has not moved: {stopped}")
    assert fast_service.keys_in_effect(REGION)[stopped] == "old-key"

    api(fast_service, "StartInstance", InstanceId=stopped)
    assert fast_service.keys_in_effect(REGION)[stopped] == "new-key"
    again = rotate(fast_service, tmp_path, delete_old=True)

    assert again.ok
    assert again.instances == ()  # nothing left to move
    assert again.new.outcome == "AlreadyThere"
    assert again.old.outcome == "Deleted"
    assert names(fast_service) == {"new-key"}


def test_a_rerun_with_reboot_finishes_a_run_without(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    instances = run(fast_service, REGION, 2, KeyPairName="old-key")

    first = rotate(fast_service, tmp_path, reboot=False, delete_old=True)

    assert outcomes(first) == {instance: "Attached" for instance in instances}
    assert note(first, instances[0]) == (
        "new-key bound; it takes effect when the instance is rebooted"
    )
    assert first.old.outcome == "Kept"
    saved = (tmp_path / "new.pem").read_text()

    again = rotate(fast_service, tmp_path, reboot=True, delete_old=True)

    assert again.ok
    assert outcomes(again) == {instance: "Moved" for instance in instances}
    assert again.new.outcome == "AlreadyThere"
    assert again.new.fingerprint == first.new.fingerprint
    assert (tmp_path / "new.pem").read_text() == saved  # no second key made
    assert again.old.outcome == "Deleted"
    assert rotate(fast_service, tmp_path, delete_old=True).old.outcome == "AlreadyGone"


class FailingOnce(LocalBackend):
    """AttachKeyPair refused whole once (a busy store), then as the store answers."""

    failed = False

    def attach_key_pair(self, request: KeyPairInstancesRequest) -> KeyPairInstances:
        if not self.failed:
            self.failed = True
            raise ApiException(service_unavailable("the store is busy"))
        return super().attach_key_pair(request)


def test_a_rerun_moves_the_instances_an_attach_failed_for(
    store: KeyPairStore, tmp_path: Path
) -> None:
    backend = FailingOnce(store)
    imported(backend, REGION, "old-key")
    instances = run(backend, REGION, 2, KeyPairName="old-key")

    first = rotate(backend, tmp_path, delete_old=True)

    assert outcomes(first) == {instance: "Failed" for instance in instances}
    assert {result.body(REGION)["Error"]["Code"] for result in first.instances} == {
        "ServiceUnavailable"
    }
    assert first.old.outcome == "Kept"
    assert {described(backend, REGION)[i]["KeyPairName"] for i in instances} == {"old-key"}

    again = rotate(backend, tmp_path, delete_old=True)

    assert again.ok
    assert outcomes(again) == {instance: "Moved" for instance in instances}
    assert names(backend) == {"new-key"}


class DeletingOne(LocalBackend):
    """One instance is released just before AttachKeyPair reaches it."""

    victim = ""

    def attach_key_pair(self, request: KeyPairInstancesRequest) -> KeyPairInstances:
        api(self, "DeleteInstance", InstanceId=self.victim, Force="true")
        return super().attach_key_pair(request)


def test_an_instance_released_mid_way_fails_alone(store: KeyPairStore, tmp_path: Path) -> None:
    backend = DeletingOne(store)
    imported(backend, REGION, "old-key")
    kept, backend.victim = run(backend, REGION, 2, KeyPairName="old-key")

    rotation = rotate(backend, tmp_path, delete_old=True)

    assert outcomes(rotation) == {kept: "Moved", backend.victim: "Failed"}
    [failed] = [result for result in rotation.instances if not result.moved]
    assert failed.body(REGION)["Error"]["Code"] == "InvalidInstanceId.NotFound"
    assert not rotation.ok
    assert rotation.old.outcome == "Kept"


class Launching(LocalBackend):
    """``amount`` instances bound to OLD are launched while the others are moved."""

    amount = 1

    def reboot_instance(self, request: InstanceRequest) -> Acknowledged:
        if self.store.instances.instances(REGION)[-1].instance_name != "late":
            run(self, REGION, self.amount, KeyPairName="old-key", InstanceName="late")
        return super().reboot_instance(request)


@pytest.mark.parametrize(("amount", "holding"), [(1, "1 instance still holds it"),
                                                  (2, "2 instances still hold it")])
def test_old_is_kept_while_an_instance_still_holds_it(
    store: KeyPairStore, tmp_path: Path, amount: int, holding: str
) -> None:
    backend = Launching(store)
    backend.amount = amount
    imported(backend, REGION, "old-key")
    [instance] = run(backend, REGION, KeyPairName="old-key")

    rotation = rotate(backend, tmp_path, delete_old=True)

    assert outcomes(rotation) == {instance: "Moved"}
    late = [i for i, item in described(backend, REGION).items() if item["InstanceName"] == "late"]
    assert rotation.old.reason == f"{holding}: {', '.join(late)}"
    assert not rotation.ok
    assert "old-key" in names(backend)


def test_a_key_made_here_is_imported_and_saved(backend: LocalBackend, tmp_path: Path) -> None:
    imported(backend, REGION, "old-key")
    [instance] = run(backend, REGION, KeyPairName="old-key")

    rotation = rotate_key_pair(
        backend, REGION, "old-key", "new-key", made_here=("ed25519", None),
        save=SaveRequest(str(tmp_path / "new"), "openssh"), agent=None, reboot=True,
        delete_old=True,
    )

    assert rotation.ok
    assert rotation.new.outcome == "MadeHere"
    assert outcomes(rotation) == {instance: "Moved"}
    assert (tmp_path / "new.pub").read_text().startswith("ssh-ed25519 ")
    assert names(backend) == {"new-key"}


def test_a_key_that_cannot_be_delivered_undoes_new_and_moves_nothing(
    fast_service: LocalBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_AUTH_SOCK", str(tmp_path / "no-agent"))
    imported(fast_service, REGION, "old-key")
    [instance] = run(fast_service, REGION, KeyPairName="old-key")

    with pytest.raises(ApiException) as refused:
        rotate_key_pair(
            fast_service, REGION, "old-key", "new-key", made_here=None, save=None,
            agent=AgentRequest(), reboot=True, delete_old=True,
        )

    assert refused.value.error.code == "SshAgent.Unavailable"
    assert names(fast_service) == {"old-key"}
    assert described(fast_service, REGION)[instance]["KeyPairName"] == "old-key"


@pytest.mark.parametrize(
    ("old", "new", "save", "code", "field"),
    [
        ("nope", "new-key", True, "InvalidKeyPairName.NotFound", "KeyPairName"),
        ("old-key", "old-key", True, "InvalidParameter", "NewKeyPairName"),
        ("old-key", "1bad", True, "InvalidKeyPairName.Malformed", "NewKeyPairName"),
        ("old-key", "n" * 129, True, "InvalidKeyPairName.Malformed", "NewKeyPairName"),
        ("old-key", "new-key", False, "InvalidParameter", "NewKeyPairName"),  # goes nowhere
    ],
)
def test_a_refused_rotation_makes_nothing(
    fast_service: LocalBackend,
    tmp_path: Path,
    old: str,
    new: str,
    save: bool,
    code: str,
    field: str,
) -> None:
    imported(fast_service, REGION, "old-key")
    run(fast_service, REGION, KeyPairName="old-key")

    with pytest.raises(ApiException) as refused:
        rotate_key_pair(
            fast_service, REGION, old, new, made_here=None,
            save=SaveRequest(str(tmp_path / "new.pem"), "pem") if save else None, agent=None,
            reboot=True, delete_old=True,
        )

    assert (refused.value.error.code, refused.value.error.field) == (code, field)
    assert names(fast_service) == {"old-key"}
    assert not (tmp_path / "new.pem").exists()


def test_a_new_key_pair_this_machine_never_held_is_refused_before_anything_changes(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    imported(fast_service, REGION, "stranger")
    [instance] = run(fast_service, REGION, KeyPairName="old-key")

    with pytest.raises(ApiException) as refused:
        rotate(fast_service, tmp_path, new="stranger", delete_old=True)

    error = refused.value.error
    assert (error.code, error.field) == ("KeyPair.AlreadyExist", "NewKeyPairName")
    assert error.reason.startswith(
        f"stranger exists in {REGION} and this machine has no record of holding its private key"
    )
    assert described(fast_service, REGION)[instance]["KeyPairName"] == "old-key"
    assert fast_service.keys_in_effect(REGION)[instance] == "old-key"
    assert names(fast_service) == {"old-key", "stranger"}
    assert not (tmp_path / "new.pem").exists()


def test_use_existing_takes_a_new_key_pair_held_elsewhere(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    imported(fast_service, REGION, "stranger")
    [instance] = run(fast_service, REGION, KeyPairName="old-key")

    rotation = rotate(fast_service, tmp_path, new="stranger", use_existing=True)

    assert rotation.ok
    assert rotation.new.outcome == "AlreadyThere"
    assert rotation.new.delivered is None
    assert outcomes(rotation) == {instance: "Moved"}
    assert not (tmp_path / "new.pem").exists()  # nothing made, nothing saved


def test_a_rerun_whose_saved_key_was_deleted_since_is_refused(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    [instance] = run(fast_service, REGION, KeyPairName="old-key")
    rotate(fast_service, tmp_path, reboot=False)
    (tmp_path / "new.pem").unlink()

    with pytest.raises(ApiException) as refused:
        rotate(fast_service, tmp_path)

    assert refused.value.error.field == "NewKeyPairName"
    assert fast_service.keys_in_effect(REGION)[instance] == "old-key"


class Racing(LocalBackend):
    """Another run makes NEW between this run's look and its CreateKeyPair."""

    def create_key_pair(self, request: CreateKeyPairRequest) -> CreatedKeyPair:
        assert request.key_pair_name is not None
        imported(self, REGION, request.key_pair_name)
        return super().create_key_pair(request)


def test_a_run_that_loses_the_race_for_new_names_new(store: KeyPairStore, tmp_path: Path) -> None:
    backend = Racing(store)
    imported(backend, REGION, "old-key")
    [instance] = run(backend, REGION, KeyPairName="old-key")

    with pytest.raises(ApiException) as refused:
        rotate(backend, tmp_path)

    error = refused.value.error
    assert (error.code, error.field) == ("KeyPair.AlreadyExist", "NewKeyPairName")
    assert described(backend, REGION)[instance]["KeyPairName"] == "old-key"


def test_old_kept_says_how_many_instances_in_the_plural(
    fast_service: LocalBackend, tmp_path: Path
) -> None:
    imported(fast_service, REGION, "old-key")
    instances = run(fast_service, REGION, 2, KeyPairName="old-key")

    rotation = rotate(fast_service, tmp_path, reboot=False, delete_old=True)

    said, _, listed = rotation.old.reason.partition(": ")
    assert said == "2 instances have not moved"
    assert sorted(listed.split(", ")) == sorted(instances)
