"""``ecs-keypair serve [--host 127.0.0.1] [--port 8080]`` and ``ecs-keypair CreateAccessKey``.

Both always act on the local data directory: ``serve`` puts the local store behind an endpoint,
and the access keys it accepts are local ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from .actions import SERVED
from .serve import DEFAULT_HOST, DEFAULT_PORT

EXIT_USAGE = 2


def create_access_key_main(args: Sequence[str]) -> int:
    """``CreateAccessKey``: a new key for ``serve``; its secret is printed once, never again.

    Prints RAM's CreateAccessKey body on stdout (exit 0), or the API's error body on stderr when
    the data directory cannot be used (exit 1), as every command does.
    """
    parser = argparse.ArgumentParser(
        prog="ecs-keypair CreateAccessKey",
        description="Create an access key that 'ecs-keypair serve' accepts, in the local data "
        "directory (owner-only file). Prints its AccessKeyId and AccessKeySecret once, as JSON.",
    )
    try:
        parser.parse_args(list(args))
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else 0

    from app.engine import settings
    from app.engine.errors import INTERNAL_ERROR
    from app.engine.ids import new_request_id
    from app.engine.settings import ConfigError
    from app.engine.storage import StoreError

    from .access_keys import AccessKeyStore

    try:
        body = AccessKeyStore(settings.data_home()).create().created_body()
    except (ConfigError, StoreError) as exc:
        error = replace(INTERNAL_ERROR, message=str(exc))
        print(_json(error.body(new_request_id(), "localhost")), file=sys.stderr)
        return 1
    print(_json(body), flush=True)
    return 0


def _json(body: dict[str, object]) -> str:
    return json.dumps(body, ensure_ascii=False, indent=2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecs-keypair serve",
        description="Serve the local store as an ECS endpoint (API 2014-05-26, RPC style) for the "
        f"official SDKs: {', '.join(SERVED)}. Every request must be signed with an access key made by "
        "'ecs-keypair CreateAccessKey'. Stop it with Ctrl-C (or SIGTERM).",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default {DEFAULT_HOST}: this machine only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"the port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    return parser


def serve_main(args: Sequence[str]) -> int:
    """Run ``serve`` until a signal stops it; the exit status."""
    try:
        options = _parser().parse_args(list(args))
    except SystemExit as exc:  # argparse has printed the usage or the help
        return EXIT_USAGE if exc.code else 0
    if not 0 <= options.port <= 65535:
        print(
            f"ecs-keypair serve: --port {options.port} is not a port (0 to 65535)", file=sys.stderr
        )
        return EXIT_USAGE

    from app.engine import settings
    from app.engine.backend import open_backend
    from app.engine.settings import ConfigError
    from app.engine.storage import StoreError

    from .access_keys import AccessKeyStore
    from .serve import run

    try:
        home = settings.data_home()
        service = open_backend()  # the local store: serve never fronts another endpoint
        keys = AccessKeyStore(home)
        if keys.count() == 0:
            print(
                "note: there is no access key yet, so every request will be refused; "
                "create one with 'ecs-keypair CreateAccessKey'",
                file=sys.stderr,
            )
    except (ConfigError, StoreError) as exc:
        print(f"ecs-keypair serve: {exc}", file=sys.stderr)
        return 1
    return run(service, keys, options.host, options.port)


LOCAL_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "serve": serve_main,
    "CreateAccessKey": create_access_key_main,
}
