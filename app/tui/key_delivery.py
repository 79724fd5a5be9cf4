"""The results screen's ways to keep a new private key: save it (a format, a passphrase, its
``.pub`` beside it) or hand it to the running ssh-agent, each through the engine.

A new file goes through :func:`app.engine.key_save.save_key`, which never overwrites. Replacing
a file after the user's explicit yes is the one thing ``save_key`` does not do, so that case
writes the engine's serialized key through :func:`app.tui.key_file.write_private_key` (0600,
written beside and renamed over, never through a link), and the ``.pub`` beside it the same way.
Every function here is slow (RSA parsing, bcrypt or Argon2id, a socket): call it off the event
loop.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.engine.agent import AgentKey
from app.engine.errors import ApiError
from app.engine.key_formats import PrivateKey, public_key_line, public_key_of, serialize_private_key
from app.engine.key_save import SavedKey, public_path_for, save_key
from app.engine.key_specs import check_key_format
from app.tui.key_file import key_path, write_private_key
from app.tui.widgets.save_options import SaveChoice


def format_problem(private_key: PrivateKey, choice: SaveChoice) -> ApiError | None:
    """The engine's objection to this format for this key type (ed25519 as pem), if any."""
    return check_key_format(public_key_of(private_key).key_type, choice.key_format)


def occupied(path: Path) -> bool:
    """A regular file is at ``path`` (not a link, not a folder): replacing it needs a yes."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def save_new(private_key: PrivateKey, choice: SaveChoice, comment: str) -> SavedKey:
    """The key and its ``.pub`` as new files (ApiException when refused; nothing left behind)."""
    return save_key(choice.path, private_key, choice.key_format, comment, choice.passphrase)


def replace_existing(private_key: PrivateKey, choice: SaveChoice, comment: str) -> SavedKey:
    """After a yes: the key over the file at the path, then its ``.pub`` (both 0600, see the
    module docstring); KeyFileError when refused."""
    path = key_path(choice.path)
    data = serialize_private_key(private_key, choice.key_format, choice.passphrase, comment)
    write_private_key(path, data.decode("ascii"), replace=True)
    public_path = public_path_for(path)
    line = public_key_line(public_key_of(private_key), comment)
    write_private_key(public_path, line, replace=True)
    return SavedKey(path, public_path, choice.key_format, bool(choice.passphrase))


def saved_message(saved: SavedKey) -> str:
    """What the screen says after a save: both files, the format, whether it is encrypted."""
    protection = "encrypted with your passphrase" if saved.encrypted else "not encrypted"
    return (
        f"Saved the private key to {saved.private_path} ({saved.key_format}, {protection}, "
        f"mode 0600) and its public key to {saved.public_path}."
    )


def agent_message(added: AgentKey) -> str:
    """What the screen says after ``a``: which agent, and the fingerprint it now lists."""
    return (
        f"Added to the ssh-agent at {added.socket_path}: it now lists MD5:{added.md5_fingerprint} "
        f"({added.sha256_fingerprint}). The key is in memory only, until the agent stops."
    )
