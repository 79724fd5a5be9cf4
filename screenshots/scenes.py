"""Fixed data for snapshots and screenshots: the same pictures on every machine, every run.

Everything that would differ between runs is pinned here: the key material (one test-only RSA
key, stored as a fixture), the ids and times the engine makes up, and the data directory shown
in the header. The snapshot tests and screenshots/make_screenshots.py both use it, so the
screenshots show exactly what the snapshots check.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

from cryptography.hazmat.primitives import serialization
from ecs_keypair.contract.api_requests import CreateResourceGroupRequest, ImportKeyPairRequest
from ecs_keypair.contract.key_values import GeneratedKey, PublicKey
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store import local_backend as service_module
from ecs_keypair.store import store as store_module
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp
from textual.pilot import Pilot

FIXTURES = Path(__file__).resolve().with_name("fixtures")
# A key made once for these pictures and never used anywhere else: it is public by design.
TEST_ONLY_PRIVATE_KEY = FIXTURES / "test-only-rsa-key.pem"
TEST_ONLY_PUBLIC_KEYS = FIXTURES / "test-only-public-keys.txt"

BACKEND_LABEL = "local store ~/.local/share/ecs-keypair"
CREATION_TIME = "2026-11-28T02:36Z"
GROUP_CREATE_DATE = "2026-11-28T02:30:00Z"
REGION = "cn-hangzhou"

# What a person types to reach each state; "settle" waits for the workers (key generation, the
# key pairs table) to finish.
FORM_ERROR = tuple("1web")
FORM_TAKEN = tuple("web-1")
VALID_FORM = (*"web-3", "ctrl+t", *"env", "tab", *"prod", "ctrl+t", *"team", "tab", *"web")
RESULTS = (*VALID_FORM, "enter", "settle")
SAVE_DIALOG = (*RESULTS, "s")
KEY_PAIRS = ("ctrl+o",)
PASSPHRASES_DIFFER = (*SAVE_DIALOG, "tab", "tab", *"secret", "tab", *"secrex")
COPY_DIALOG = (*KEY_PAIRS, "c", "settle", "down", "space", "down", "space", "enter")
EVERYWHERE = (*KEY_PAIRS, "w")
ROTATE_DIALOG = (*KEY_PAIRS, "R", "settle", *"web-9")
# name, region, group, then "Key made": made here; the key type, then one more region to import into
FORM_MADE_HERE = (
    *"laptop", "tab", "tab", "tab", "enter", "down", "enter", "tab", "tab", "down", "space"
)


def fixed_key() -> GeneratedKey:
    """What ``generate_rsa_key`` returns, but always the same test-only key."""
    pem = TEST_ONLY_PRIVATE_KEY.read_text()
    private_key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    line = private_key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    key_type, encoded = line.decode("ascii").split(" ", 1)
    return GeneratedKey(pem, PublicKey(key_type, base64.b64decode(encoded)))


def _minute(now: datetime | None = None) -> str:
    return CREATION_TIME


def _second(now: datetime | None = None) -> str:
    return GROUP_CREATE_DATE


@contextmanager
def pinned() -> Iterator[None]:
    """Ids, request ids, times and the backend label as fixed values, counted from 1 each time."""
    key_pair_ids = (f"ssh-bp1snap{n:011d}" for n in itertools.count(1))
    request_ids = (f"6BE56E05-2A3B-4C5D-9E8F-{n:012X}" for n in itertools.count(1))
    group_ids = (f"rg-acfmsnapshot{n:02d}" for n in itertools.count(1))
    with ExitStack() as stack:
        for module, name, value in (
            (service_module, "new_key_pair_id", lambda: next(key_pair_ids)),
            (service_module, "new_request_id", lambda: next(request_ids)),
            (service_module, "utc_minute", _minute),
            (store_module, "new_resource_group_id", lambda: next(group_ids)),
            (store_module, "utc_second", _second),
        ):
            stack.enter_context(patch.object(module, name, value))
        stack.enter_context(
            patch.object(LocalBackend, "backend_label", property(lambda self: BACKEND_LABEL))
        )
        yield


def stock_key_pairs(backend: LocalBackend) -> None:
    """A region with a handful of key pairs, tagged and grouped like a real account's."""
    lines = TEST_ONLY_PUBLIC_KEYS.read_text().split("\n")
    production = backend.create_resource_group(
        CreateResourceGroupRequest("production", "Production")
    ).body()["ResourceGroup"]["Id"]
    for name, line, group, tags in (
        ("web-1", lines[0], production, (Tag("env", "prod"), Tag("team", "web"))),
        ("web-2", lines[1], production, (Tag("env", "prod"),)),
        ("db-primary", lines[2], production, (Tag("env", "prod"), Tag("team", "data"))),
        ("laptop-2026", lines[3], None, ()),
    ):
        backend.import_key_pair(
            ImportKeyPairRequest(REGION, name, line, resource_group_id=group, tags=tags)
        ).body()


async def settle(pilot: Pilot[None]) -> None:
    """Let workers (key generation, the table's load) finish and the screen repaint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def play(pilot: Pilot[None], keys: tuple[str, ...]) -> None:
    """Press ``keys`` as a person would, waiting for the workers where it says "settle"; first
    the whole form (what is below its first frame is mounted right after it)."""
    app = pilot.app
    assert isinstance(app, KeyPairApp)
    await app.form.whole()
    await settle(pilot)
    for key in keys:
        if key == "settle":
            await settle(pilot)
        else:
            await pilot.press(key)
    await settle(pilot)

class RecordingClipboard:
    """A clipboard that keeps what it was given, and says so under its own name."""

    name = "test clipboard"

    def __init__(self) -> None:
        self.copies: list[str] = []

    def copy(self, text: str) -> str:
        self.copies.append(text)
        return self.name
