"""The results screen's ways to keep a new private key: save it (a format, a passphrase, its
``.pub`` beside it) or hand it to the running ssh-agent, each through the engine.

Saving is :func:`ecs_keypair.keys.key_save.save_key`, as on the command line; the one thing the
screen
adds is the question before a file is replaced (``replace=True`` only after the user's yes).
Every function here that touches a key is slow (RSA parsing, bcrypt or Argon2id, a socket):
call it off the event loop.
"""

from __future__ import annotations

from ecs_keypair.contract.errors import ApiError
from ecs_keypair.keys.agent import AgentKey
from ecs_keypair.keys.key_formats import PrivateKey, public_key_of
from ecs_keypair.keys.key_save import SavedKey, save_key
from ecs_keypair.keys.key_specs import KeyFormat, check_key_format
from ecs_keypair.tui.widgets.save_options import SaveChoice

SUFFIXES: dict[KeyFormat, str] = {"pem": ".pem", "openssh": "", "ppk": ".ppk"}
"""The file name's ending the save dialog proposes for each format, as the tools name them:
ssh-keygen's files have none (``id_ed25519``), PuTTYgen's end in ``.ppk``."""


def default_key_path(key_pair_name: str, key_format: KeyFormat) -> str:
    """Where the save dialog proposes to put a key: ``~/.ssh/<KeyPairName>`` and the format's
    ending."""
    return f"~/.ssh/{key_pair_name}{SUFFIXES[key_format]}"


def path_for_format(path: str, key_format: KeyFormat) -> str:
    """``path`` with the ending of ``key_format`` in place of another format's ending."""
    for suffix in SUFFIXES.values():
        if suffix and path.endswith(suffix):
            path = path.removesuffix(suffix)
            break
    return path + SUFFIXES[key_format]


def format_problem(private_key: PrivateKey, choice: SaveChoice) -> ApiError | None:
    """The engine's objection to this format for this key type (ed25519 as pem), if any."""
    return check_key_format(public_key_of(private_key).key_type, choice.key_format)


def save(private_key: PrivateKey, choice: SaveChoice, comment: str, *, replace: bool) -> SavedKey:
    """The key and its ``.pub`` (ApiException when refused; nothing left behind); ``replace``
    only after the user said yes to replacing the file there."""
    return save_key(
        choice.path, private_key, choice.key_format, comment, choice.passphrase, replace=replace
    )


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
