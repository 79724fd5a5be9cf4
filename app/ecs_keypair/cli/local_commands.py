"""``ecs-keypair serve [--host 127.0.0.1] [--port 8080]`` and the access key commands.

``CreateAccessKey``, ``ListAccessKeys``, ``UpdateAccessKey`` and ``DeleteAccessKey`` take RAM's
names and bodies. All of them act on the local data directory: ``serve`` puts the local store
behind an endpoint, and the access keys it accepts are local ones. Each prints its body on stdout
(exit 0), the API's error body on stderr (exit 1), or a usage error (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from ecs_keypair.cli.key_options import Option
from ecs_keypair.exit_codes import EXIT_USAGE
from ecs_keypair.server.access_keys import STATUSES, AccessKeyStore
from ecs_keypair.server.actions import SERVED
from ecs_keypair.server.serve import DEFAULT_HOST, DEFAULT_PORT

_ACCESS_KEY_ID = Option("UserAccessKeyId", "the AccessKeyId (LTAI…)", "ID", required=True)
LOCAL_OPTIONS: dict[str, tuple[Option, ...]] = {
    "serve": (
        Option("host", f"the address to listen on (default {DEFAULT_HOST}: this machine only)",
               "HOST"),
        Option("port", f"the port (default {DEFAULT_PORT}; 0 picks a free one)", "PORT",
               integer=True),
    ),
    "CreateAccessKey": (),
    "ListAccessKeys": (),
    "UpdateAccessKey": (
        _ACCESS_KEY_ID,
        Option("Status", "Inactive: serve refuses the key (InvalidAccessKeyId.Inactive) until it "
               "is made Active again", required=True, choices=STATUSES),
    ),
    "DeleteAccessKey": (_ACCESS_KEY_ID,),
}
"""Each command's options, read by its parser and by shell completion."""


def _parser(name: str, description: str) -> argparse.ArgumentParser:
    """The parser of the command ``name``, its options those :data:`LOCAL_OPTIONS` declares."""
    parser = argparse.ArgumentParser(
        prog=f"ecs-keypair {name}", description=description, allow_abbrev=False
    )
    for option in LOCAL_OPTIONS[name]:  # each takes a value: none is a flag
        parser.add_argument(
            f"--{option.name}",
            required=option.required,
            type=int if option.integer else str,
            choices=option.choices or None,
            metavar=None if option.choices else option.metavar,
            help=option.help,
        )
    return parser


def create_access_key_main(args: Sequence[str]) -> int:
    """``CreateAccessKey``: a new key for ``serve``; its secret is printed once, never again.

    Prints RAM's CreateAccessKey body on stdout (exit 0), or the API's error body on stderr when
    the data directory cannot be used (exit 1), as every command does.
    """
    parser = _parser(
        "CreateAccessKey",
        "Create an access key that 'ecs-keypair serve' accepts, in the local data "
        "directory (owner-only file). Prints its AccessKeyId and AccessKeySecret once, as JSON.",
    )
    try:
        parser.parse_args(list(args))
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else 0

    from ecs_keypair.cli.output import deliver, write_json
    from ecs_keypair.contract.errors import INTERNAL_ERROR
    from ecs_keypair.contract.ids import new_request_id
    from ecs_keypair.server.access_keys import AccessKeyStore
    from ecs_keypair.store import settings
    from ecs_keypair.store.settings import ConfigError
    from ecs_keypair.store.store_paths import StoreError

    try:
        keys = AccessKeyStore(settings.data_home())
        created = keys.create()
    except (ConfigError, StoreError) as exc:
        error = replace(INTERNAL_ERROR, message=str(exc))
        write_json(sys.stderr, error.body(new_request_id(), "localhost"))
        return 1
    undo = (f"the access key {created.access_key_id}", lambda: keys.delete(created.access_key_id))
    return deliver(created.created_body(), undo)


KeyAction = Callable[[argparse.Namespace, AccessKeyStore], dict[str, object]]


def _key_command(name: str, description: str, act: KeyAction) -> Callable[[Sequence[str]], int]:
    """The entry point of one access key command: its options, then ``act`` on the keys, whose
    body (after a new RequestId) goes to stdout, or the API's error body to stderr."""

    def command(args: Sequence[str]) -> int:
        try:
            options = _parser(name, description).parse_args(list(args))
        except SystemExit as exc:
            return EXIT_USAGE if exc.code else 0
        return _on_access_keys(lambda keys: act(options, keys))

    command.__doc__ = f"``{name}``: {description}"
    return command


def _on_access_keys(act: Callable[[AccessKeyStore], dict[str, object]]) -> int:
    from ecs_keypair.contract.errors import INTERNAL_ERROR, ApiError, ApiException
    from ecs_keypair.contract.ids import new_request_id
    from ecs_keypair.store import settings
    from ecs_keypair.store.settings import ConfigError
    from ecs_keypair.store.store_paths import StoreError

    error: ApiError | None = None
    try:
        body = {"RequestId": new_request_id(), **act(AccessKeyStore(settings.data_home()))}
    except ApiException as exc:
        error = exc.error
    except (ConfigError, StoreError) as exc:
        error = replace(INTERNAL_ERROR, message=str(exc))
    from ecs_keypair.cli.output import deliver, write_json

    if error is not None:
        write_json(sys.stderr, error.body(new_request_id(), "localhost"))
        return 1
    return deliver(body)


def _list(options: argparse.Namespace, keys: AccessKeyStore) -> dict[str, object]:
    return {"AccessKeys": {"AccessKey": [key.listed() for key in keys.list()]}}


def _update(options: argparse.Namespace, keys: AccessKeyStore) -> dict[str, object]:
    keys.update_status(options.UserAccessKeyId, options.Status)
    return {}


def _delete(options: argparse.Namespace, keys: AccessKeyStore) -> dict[str, object]:
    keys.delete(options.UserAccessKeyId)
    return {}


list_access_keys_main = _key_command(
    "ListAccessKeys",
    "List the access keys that 'ecs-keypair serve' knows: AccessKeyId, Status and CreateDate "
    "of each, as RAM's ListAccessKeys answers. Never a secret.",
    _list,
)
update_access_key_main = _key_command(
    "UpdateAccessKey",
    "Make an access key Inactive (serve refuses it) or Active again. A running serve sees the "
    "change on its next request.",
    _update,
)
delete_access_key_main = _key_command(
    "DeleteAccessKey",
    "Delete an access key for good: serve refuses it from its next request on "
    "(InvalidAccessKeyId.NotFound).",
    _delete,
)


def _serve_parser() -> argparse.ArgumentParser:
    parser = _parser(
        "serve",
        "Serve the local store as an ECS endpoint (API 2014-05-26, RPC style) for the official "
        f"SDKs: {', '.join(SERVED)}. Every request must be signed with an access key made by "
        "'ecs-keypair CreateAccessKey'. Stop it with Ctrl-C (or SIGTERM).",
    )
    parser.set_defaults(host=DEFAULT_HOST, port=DEFAULT_PORT)
    return parser


def serve_main(args: Sequence[str]) -> int:
    """Run ``serve`` until a signal stops it; the exit status."""
    try:
        options = _serve_parser().parse_args(list(args))
    except SystemExit as exc:  # argparse has printed the usage or the help
        return EXIT_USAGE if exc.code else 0
    if not 0 <= options.port <= 65535:
        print(
            f"ecs-keypair serve: --port {options.port} is not a port (0 to 65535)", file=sys.stderr
        )
        return EXIT_USAGE

    from ecs_keypair.backends import open_backend
    from ecs_keypair.contract.text_safety import visible
    from ecs_keypair.server.serve import run
    from ecs_keypair.store import settings
    from ecs_keypair.store.settings import ConfigError
    from ecs_keypair.store.store_paths import StoreError

    try:
        home = settings.data_home()
        backend = open_backend()  # the local store: serve never fronts another endpoint
        keys = AccessKeyStore(home)
        loose = keys.loose_permissions()
        if loose:
            for fix in loose:
                print(f"ecs-keypair serve: {visible(fix)}", file=sys.stderr)
            print(
                "ecs-keypair serve: refusing to start: access keys must be readable by their "
                "owner only (as OpenSSH refuses key files open to others)",
                file=sys.stderr,
            )
            return 1
        if keys.count() == 0:
            print(
                "note: there is no access key yet, so every request will be refused; "
                "create one with 'ecs-keypair CreateAccessKey'",
                file=sys.stderr,
            )
    except (ConfigError, StoreError) as exc:
        print(f"ecs-keypair serve: {visible(str(exc))}", file=sys.stderr)
        return 1
    return run(backend, keys, options.host, options.port)


LOCAL_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "serve": serve_main,
    "CreateAccessKey": create_access_key_main,
    "ListAccessKeys": list_access_keys_main,
    "UpdateAccessKey": update_access_key_main,
    "DeleteAccessKey": delete_access_key_main,
}
