"""Rotation through an endpoint (serve, with the official SDK): the key in effect is not in the
API's answers, so an instance counts as moved once bound to NEW and rebooted by the run, and a
rerun says it cannot tell until it reboots."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.store.saved_keys import SavedKeys
from ecs_keypair.workflows.rotation import Rotation, rotate_key_pair

from tests.support.instances import imported, run
from tests.support.serve import RunningServe, unique

REGION = "cn-hangzhou"


@pytest.fixture
def remote(serve: RunningServe, monkeypatch: pytest.MonkeyPatch) -> RemoteBackend:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
    return RemoteBackend.connect(f"http://{serve.endpoint}")


def test_a_rerun_through_an_endpoint_reboots_what_it_cannot_see(
    remote: RemoteBackend, serve: RunningServe, tmp_path: Path
) -> None:
    old, new = unique("rot-old"), unique("rot-new")
    imported(remote, REGION, old)
    [instance] = run(remote, REGION, KeyPairName=old)

    saved = SavedKeys(tmp_path / "saved")

    def rotate(reboot: bool) -> Rotation:
        """The same line each time; where NEW was saved remembered, so a rerun uses it."""
        rotation = rotate_key_pair(
            remote, REGION, old, new, made_here=None,
            save=SaveRequest(str(tmp_path / "new.pem"), "pem"), agent=None, reboot=reboot,
            delete_old=True, held_here=saved.holds,
        )
        if rotation.new.delivered is not None:
            saved.remember_saved(rotation.new.fingerprint, rotation.new.delivered.saved)
        return rotation

    first = rotate(reboot=False)
    assert not first.in_effect_seen
    assert [(r.outcome, r.note) for r in first.instances] == [
        ("Attached", f"{new} bound; it takes effect when the instance is rebooted")
    ]
    second = rotate(reboot=False)
    assert [(r.outcome, r.note) for r in second.instances] == [
        ("Attached", f"{new} bound; it takes effect when the instance is rebooted; the API does "
         "not show whether it is already: reboot it to be sure")
    ]
    assert second.old.outcome == "Kept"

    third = rotate(reboot=True)

    assert third.ok
    assert [r.outcome for r in third.instances] == ["Moved"]
    assert third.old.outcome == "Deleted"
    assert serve.backend().keys_in_effect(REGION)[instance] == new
