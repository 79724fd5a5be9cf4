"""``ecs-keypair authorized-keys --RegionId R --InstanceId ID``: the public key in effect on an
instance of the local store, for sshd's ``AuthorizedKeysCommand``.

sshd runs it on every login and reads what it prints as authorized_keys lines, so it reads one
region's file and nothing else (no lock, nothing created or written), prints at most one public
key line, and never fails in a way sshd would have to understand: on any problem (a setting, a
damaged file, a wrong option) it says why on stderr, which sshd logs, prints nothing and exits 0.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ecs_keypair.cli.names import PROGRAM

NAME = "authorized-keys"
USAGE = f"usage: {PROGRAM} {NAME} --RegionId REGION --InstanceId ID\n"
HELP = (
    USAGE
    + """
Print the public key in effect on the instance (running, with a key pair in effect), as a line
of authorized_keys, or nothing. For sshd_config:

  AuthorizedKeysCommand /usr/bin/env ECS_KEYPAIR_HOME=/path/to/data ecs-keypair authorized-keys \\
      --RegionId cn-hangzhou --InstanceId i-...
  AuthorizedKeysCommandUser OWNER   # the owner of the data folder (it is owner-only)

The key is written again from the parsed key (type and base64 only). As sshd's StrictModes,
the data folder, instances/ and the region's file must belong to this user or root and be
writable by no one else. Any problem is said on stderr, and it exits 0 with nothing printed.
"""
)
OPTIONS = ("RegionId", "InstanceId")
# An RSA key of OpenSSH's largest size (16,384 bits) is about 2,800 characters: a longer line is
# refused before it is parsed.
MAX_KEY_LINE_CHARS = 8 * 1024


class _Refused(Exception):
    """A problem to say on stderr; the answer is then no key."""


def _options(args: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        name, equals, value = token.partition("=")
        if not name.startswith("--") or name[2:] not in OPTIONS:
            raise _Refused(f"unknown argument {token!r}")
        if not equals:
            if not rest:
                raise _Refused(f"{name} needs a value")
            value = rest.pop(0)
        if name[2:] in found:
            raise _Refused(f"{name} is given twice")
        found[name[2:]] = value
    missing = [f"--{option}" for option in OPTIONS if not found.get(option)]
    if missing:
        raise _Refused(f"missing {' and '.join(missing)}")
    return found


def _key_line(args: Sequence[str]) -> str | None:
    from ecs_keypair.contract.rules import check_region_id
    from ecs_keypair.store import settings
    from ecs_keypair.store.instance_store import key_in_effect_at

    options = _options(args)
    problem = check_region_id(options["RegionId"])  # also keeps the name a plain file name
    if problem:
        raise _Refused(f"--RegionId: {problem.reason or problem.message}")
    line = key_in_effect_at(
        settings.data_home(), settings.instance_quota(), options["RegionId"], options["InstanceId"]
    )
    return None if line is None else _canonical(line, options["InstanceId"])


def _canonical(line: str, instance_id: str) -> str:
    """The key line as sshd is to read it, written again from the parsed key (``type base64``):
    whatever else the stored text holds (options such as ``command=``, a comment, a second
    line) never reaches sshd."""
    from ecs_keypair.contract.errors import ApiError
    from ecs_keypair.keys.material import parse_public_key

    refused = f"the key in effect on {instance_id} is not one public key line"
    if len(line) > MAX_KEY_LINE_CHARS:
        raise _Refused(f"{refused}: longer than {MAX_KEY_LINE_CHARS} characters")
    parsed = parse_public_key(line)
    if isinstance(parsed, ApiError):
        raise _Refused(f"{refused}: {parsed.reason or parsed.message}")
    return parsed.line


def authorized_keys_main(args: Sequence[str]) -> int:
    if any(token in ("-h", "--help") for token in args):
        sys.stdout.write(HELP)
        return 0
    from ecs_keypair.contract.text_safety import visible

    try:
        line = _key_line(args)
    except Exception as exc:  # any problem: sshd reads the output, never a traceback or status
        reason = str(exc) or type(exc).__name__
        sys.stderr.write(f"{PROGRAM} {NAME}: {visible(reason)}\n")
        return 0
    if line:
        sys.stdout.write(line + "\n")
    return 0
