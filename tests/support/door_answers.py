"""One request asked of every door over one store: the command line run in this process, serve
through a request the official SDK signs, and the engine's table reader; and the check that they
answer alike (see tests/server/test_same_answers.py)."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ecs_keypair.cli import main
from ecs_keypair.contract.actions import ACTIONS, call
from ecs_keypair.contract.errors import ApiException
from ecs_keypair.contract.params import ShapeProblem, claimed

from tests.support.cli import error_and_reason
from tests.support.serve import RunningServe
from tests.support.signed_calls import signed_call

USAGE = "usage error"


@dataclass(frozen=True)
class Answer:
    """What one door answered: ``code`` is "OK", an API code, or USAGE; ``body`` without its
    RequestId (and HostId), for comparing."""

    code: str
    status: int
    body: Mapping[str, Any]


def _comparable(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("RequestId", "HostId", "statusCode")}


@contextlib.contextmanager
def _data_home(serve: RunningServe) -> Iterator[None]:
    before = os.environ.get("ECS_KEYPAIR_HOME")
    os.environ["ECS_KEYPAIR_HOME"] = str(serve.home)
    try:
        yield
    finally:
        if before is None:
            del os.environ["ECS_KEYPAIR_HOME"]
        else:
            os.environ["ECS_KEYPAIR_HOME"] = before


def by_cli(serve: RunningServe, action: str, flat: Mapping[str, str]) -> Answer:
    args = [action, *(f"--{name}={value}" for name, value in flat.items())]
    out, err = io.StringIO(), io.StringIO()
    with _data_home(serve), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    assert "Traceback" not in err.getvalue()
    if status == 0:
        return Answer("OK", 200, _comparable(json.loads(out.getvalue())))
    if status == 2:
        return Answer(USAGE, 0, {"usage": err.getvalue()})
    assert status == 1, (status, err.getvalue())
    body, _ = error_and_reason(err.getvalue())
    return Answer(body["Code"], body["HttpStatusCode"], _comparable(body))


def by_serve(serve: RunningServe, action: str, flat: Mapping[str, str]) -> Answer:
    status, body = signed_call(serve, action, flat)
    if status == 200:
        return Answer("OK", 200, _comparable(body))
    assert body["HttpStatusCode"] == status
    return Answer(body["Code"], status, _comparable(body))


def by_table(serve: RunningServe, action: str, flat: Mapping[str, str]) -> tuple[Answer, bool]:
    """The engine's answer, and whether it is a shape problem (a usage error on the CLI)."""
    try:
        body = call(serve.backend(), ACTIONS[action], flat).body()
    except ApiException as exc:
        error = exc.error
        answer = Answer(error.code, error.status, {**_comparable(error.body("", ""))})
        return answer, isinstance(exc, ShapeProblem)
    return Answer("OK", 200, _comparable(body)), False


def assert_same_answers(serve: RunningServe, action: str, flat: Mapping[str, str]) -> Answer:
    """Ask all three doors; the serve answer, once it is known to agree."""
    cli = by_cli(serve, action, flat)
    served = by_serve(serve, action, flat)
    table, shape = by_table(serve, action, flat)
    assert served == table, (action, flat)
    unknown = [name for name in flat if claimed(ACTIONS[action].params, name) is None]
    if shape or unknown:
        assert cli.code == USAGE, (action, flat, cli)
    else:
        assert cli == table, (action, flat)
    return served
