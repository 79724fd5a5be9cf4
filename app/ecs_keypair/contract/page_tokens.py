"""ListTagResources' ``NextToken``: where the next page starts, as a cursor, not an offset.

A token names the last entry a page gave, ``(ResourceId, TagKey)``, and the next page starts
after it in that order. Tags added or removed between two pages (or the key pair itself
removed) then neither skip an entry still there nor repeat one already given. The token is
base64url (no padding) of a compact JSON pair: opaque to a client, and nothing but that exact
form is taken (``InvalidNextToken``).
"""

from __future__ import annotations

import base64
import binascii
import json

from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiException

Cursor = tuple[str, str]
MAX_TOKEN_CHARS = 2048  # a pair of names of at most 128 characters each, escaped, fits well


def token_after(cursor: Cursor) -> str:
    """The NextToken for a page whose last entry is ``cursor``."""
    data = json.dumps(list(cursor), ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def cursor_of(token: str) -> Cursor:
    """The entry a NextToken names; ``InvalidNextToken`` for anything :func:`token_after`
    would not have written."""
    invalid = ApiException(errors.INVALID_NEXT_TOKEN)
    if len(token) > MAX_TOKEN_CHARS or not token.isascii():
        raise invalid
    try:
        data = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        pair = json.loads(data)
    except (binascii.Error, ValueError):  # not base64, not text, not JSON
        raise invalid from None
    if not (
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
    ):
        raise invalid
    cursor = (pair[0], pair[1])
    if token_after(cursor) != token:  # the same pair written another way: not ours
        raise invalid
    return cursor
