"""BackendCalls: in place on the local store; on an endpoint, reads superseded, writes in turn."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import NoReturn

import pytest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.provider import StaticAKCredentialsProvider
from ecs_keypair.contract import errors
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.remote.endpoints import Routes
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.backend_calls import BackendCalls, Failed
from textual.app import App

from tests.support.pilot import SIZE, pilot_test, until


@pytest.fixture
def endpoint() -> RemoteBackend:
    """An endpoint's backend, never called: the calls BackendCalls makes are the tests' own."""
    credentials = CredentialClient(
        provider=StaticAKCredentialsProvider(access_key_id="id", access_key_secret="secret")
    )
    return RemoteBackend(Routes.one("http://127.0.0.1:9"), credentials)


class Gated:
    """Calls that wait for their gate, as a slow endpoint would; records which ran."""

    def __init__(self) -> None:
        self.ran: list[int] = []
        self.gates: dict[int, threading.Event] = {}

    def call(self, number: int) -> Callable[[], int]:
        gate = self.gates.setdefault(number, threading.Event())

        def wait_then_answer() -> int:
            self.ran.append(number)
            assert gate.wait(30), "the test never opened the gate"
            return number

        return wait_then_answer

    def open(self, number: int) -> None:
        self.gates[number].set()


def failing() -> NoReturn:
    raise ApiException(errors.KEY_PAIR_ALREADY_EXIST)


@pilot_test
async def test_locally_the_answer_is_there_when_run_returns(backend: LocalBackend) -> None:
    app: App[None] = App()
    async with app.run_test(size=SIZE):
        calls = BackendCalls(app.screen, backend)
        answers: list[int | Failed] = []
        calls.run("check", lambda: 7, answers.append)
        calls.run("check", failing, answers.append)
        assert answers == [7, Failed(errors.KEY_PAIR_ALREADY_EXIST)]


def no_problem() -> None:
    return None


@pilot_test
async def test_a_check_gives_a_verdict_however_it_was_obtained(
    backend: LocalBackend, endpoint: RemoteBackend
) -> None:
    """The screen asks for a verdict; whether the rules, the store or an endpoint gave it is
    BackendCalls' business, and ``waiting`` runs only when the answer comes later."""
    app: App[None] = App()
    async with app.run_test(size=SIZE) as pilot:
        verdicts: list[ApiError | str | None] = []
        waits: list[str] = []
        waited = partial(waits.append, "waited")
        local = BackendCalls(app.screen, backend)
        local.check("name", failing, verdicts.append, rules=no_problem, waiting=waited)
        assert verdicts == [errors.KEY_PAIR_ALREADY_EXIST] and waits == []

        remote = BackendCalls(app.screen, endpoint)
        bad = errors.INVALID_KEY_PAIR_NAME
        sent: list[str] = []
        remote.check("name", lambda: sent.append("name"), verdicts.append, rules=lambda: bad,
                     waiting=waited)
        assert verdicts[-1] is bad and sent == [] and waits == []  # nothing was sent

        remote.check("name", failing, verdicts.append, rules=no_problem, waiting=waited)
        assert waits == ["waited"] and len(verdicts) == 2
        await until(pilot, lambda: len(verdicts) == 3, "the endpoint's verdict")
        assert verdicts[-1] == errors.KEY_PAIR_ALREADY_EXIST


@pilot_test
async def test_on_an_endpoint_only_the_newest_read_is_made_and_answered(
    endpoint: RemoteBackend,
) -> None:
    app: App[None] = App()
    gated = Gated()
    async with app.run_test(size=SIZE) as pilot:
        calls = BackendCalls(app.screen, endpoint)
        answers: list[int | Failed] = []
        for number in (1, 2, 3):
            calls.run("read", gated.call(number), answers.append)
        assert answers == [] and calls.in_flight("read")
        for number in (1, 2, 3):
            gated.open(number)
        await until(pilot, lambda: answers == [3], "the newest answer")
        assert gated.ran == [1, 3]  # 2 was replaced while it waited; 1's answer was out of date
        assert not calls.in_flight("read")


@pilot_test
async def test_on_an_endpoint_every_write_runs_in_turn_and_is_answered(
    endpoint: RemoteBackend,
) -> None:
    app: App[None] = App()
    gated = Gated()
    async with app.run_test(size=SIZE) as pilot:
        calls = BackendCalls(app.screen, endpoint)
        answers: list[int | Failed] = []
        for number in (1, 2):
            calls.run("write", gated.call(number), answers.append, every_answer=True)
        calls.run("write", failing, answers.append, every_answer=True)
        gated.open(2)
        gated.open(1)
        await until(pilot, lambda: len(answers) == 3, "three answers")
        assert answers == [1, 2, Failed(errors.KEY_PAIR_ALREADY_EXIST)]
        assert gated.ran == [1, 2]
