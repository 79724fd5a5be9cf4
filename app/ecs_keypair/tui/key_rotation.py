"""The rotate dialog's run and what it says after: :func:`rotate` calls the engine's
``rotate_key_pair`` as the command line's ``rotate`` does (the new private key saved first, its
place remembered), and :func:`rotation_lines` tells each instance's outcome, the new key pair's
and the old one's, every outside word through :func:`visible`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecs_keypair.contract.backend import KeyPairBackend, KeySpec
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.keys.key_save import SaveRequest
from ecs_keypair.store.saved_keys import SavedKeys
from ecs_keypair.tui.key_delivery import saved_message
from ecs_keypair.workflows.rotation import (
    InstanceRotation,
    NewKeyPair,
    OldKeyPair,
    Rotation,
    rotate_key_pair,
)

NEW_MADE = {
    "Created": "made by ECS (CreateKeyPair)",
    "MadeHere": "made here and imported (ImportKeyPair)",
    "AlreadyThere": "there already: nothing was made",
}


@dataclass(frozen=True, slots=True)
class RotateChoice:
    """What the dialog asks: NEW, who makes it (None: ECS; else the key type made here), where
    its private key is saved, and whether to reboot and to delete OLD."""

    new_name: str
    made_here: KeySpec | None
    save: SaveRequest
    reboot: bool
    delete_old: bool


def rotate(
    backend: KeyPairBackend,
    region_id: str,
    old_name: str,
    choice: RotateChoice,
    saved_keys: SavedKeys | None,
) -> Rotation:
    """The whole rotation (slow: a key made, calls per instance; never on the event loop);
    raises ApiException when nothing could be done.

    A new name that is taken is refused here, whatever the dialog's check said before the
    endpoint answered: the engine would take that key pair for a rerun's and attach it, and
    its private key may be nobody's here."""
    problem = backend.check_name(region_id, choice.new_name)
    if problem is not None:
        raise ApiException(problem)
    rotation = rotate_key_pair(
        backend,
        region_id,
        old_name,
        choice.new_name,
        made_here=choice.made_here,
        save=choice.save,
        agent=None,
        reboot=choice.reboot,
        delete_old=choice.delete_old,
    )
    delivered = rotation.new.delivered
    if delivered is not None and saved_keys is not None:
        saved_keys.remember_saved(rotation.new.fingerprint, delivered.saved)
    return rotation


def rotation_lines(rotation: Rotation) -> list[str]:
    """The new key pair, each instance, then the old key pair: one line each."""
    lines = [*_new_lines(rotation.new), _count_line(rotation)]
    lines += [_instance_line(result) for result in rotation.instances]
    if rotation.instances and not rotation.in_effect_seen:
        lines.append(
            "The API does not show the key in effect: Moved means bound, and rebooted by "
            "this rotation."
        )
    lines.append(_old_line(rotation.old))
    return [visible(line) for line in lines]


def _new_lines(new: NewKeyPair) -> list[str]:
    lines = [f"New: {new.key_pair_name} {NEW_MADE[new.outcome]}, MD5 {new.fingerprint}"]
    if new.delivered is not None and new.delivered.saved is not None:
        lines.append(saved_message(new.delivered.saved))
    return lines


def _count_line(rotation: Rotation) -> str:
    total = len(rotation.instances)
    if not total:
        return f"No instance used {rotation.old.key_pair_name}."
    moved = sum(result.moved for result in rotation.instances)
    return f"Instances: {moved} of {total} moved"


def _instance_line(result: InstanceRotation) -> str:
    """``i-… Moved: web-2 bound and in effect``; a failure says the API's reason and code."""
    said = result.error.text if result.error is not None else result.note
    return f"  {result.instance_id} {result.outcome}: {said}"


def _old_line(old: OldKeyPair) -> str:
    name = old.key_pair_name
    if old.outcome == "Deleted":
        return f"Old: {name} deleted"
    if old.outcome == "AlreadyGone":
        return f"Old: {name} was gone already"
    because = old.error.text if old.error is not None else old.reason
    return f"Old: {name} kept: {because}"
