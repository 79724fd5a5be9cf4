"""The app on an endpoint that stops answering: a real ``serve``, stopped while the app runs.

The backend is what ``open_backend`` gives for ``--endpoint``: the endpoint with its mirror in
the test's data home. Once serve is gone, the form still judges names against the mirror, the
key pairs screen shows the mirror's rows with their age (at 60 columns too), and creating says
that it needs the endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from ecs_keypair.backends import open_backend
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen, summary_text
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.widgets import DataTable, Input, Static

from tests.support.pilot import drawn, pilot_test, type_text, until
from tests.support.serve import running_serve

MakeApp = Callable[..., KeyPairApp]
REGION = "cn-hangzhou"
TAKEN = "web-1"


def verdict(app: KeyPairApp, selector: str) -> Verdict:
    return app.screen.query_one(selector, Verdict)


@pilot_test
@pytest.mark.parametrize("size", [(60, 18), (80, 24)])
async def test_offline_the_form_and_the_key_pairs_screen_keep_to_the_mirror(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    with ExitStack() as serving:
        serve = serving.enter_context(running_serve(tmp_path / "served"))
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)
        serve.backend().create_key_pair(CreateKeyPairRequest(REGION, TAKEN))
        app = make_app(backend=open_backend(f"http://{serve.endpoint}"))
        async with app.run_test(size=size) as pilot:
            name = verdict(app, "#name-verdict")
            await type_text(pilot, TAKEN)  # the first check lists the region: the mirror fills
            await until(pilot, lambda: name.state == "problem", "the endpoint's verdict")

            serving.close()  # serve stops: its port refuses connections from now on
            app.screen.query_one("#name", Input).value = ""
            await type_text(pilot, TAKEN)
            await pilot.pause()
            await until(pilot, lambda: name.state == "problem", "the mirror's verdict")
            assert name.text == (
                f"a key pair with this name already exists in {REGION} · KeyPair.AlreadyExist"
            )

            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
            table = app.screen.query_one("#key-pairs", DataTable)
            summary = app.screen.query_one("#summary", Static)
            await until(pilot, lambda: table.row_count == 1, "the mirror's rows")
            assert table.get_row_at(0)[0].plain == TAKEN
            shown = str(summary.render())
            assert "as of " in shown and shown.endswith(f"{REGION} unreachable")
            assert f"{REGION} unreachable" in drawn(app)  # whole on screen, at 60 columns too

            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, KeyPairsScreen), "the form")
            app.screen.query_one("#name", Input).value = "web-2"
            await until(pilot, lambda: name.state == "ok", "the new name free in the mirror")
            status = verdict(app, "#status")
            await pilot.press("enter")
            await until(pilot, lambda: "needs the endpoint" in name.text + status.text,
                        "the create refused")
            said = name.text + status.text
            assert "creating a key pair needs the endpoint" in said
            assert "SDK.ServerUnreachable" in said


def test_the_age_stays_on_the_summary_line_when_nothing_else_fits() -> None:
    age = "as of May 01 14:02, ap-southeast-1 unreachable"
    wide = summary_text(120, "ap-southeast-1", "3 / 500 used", offline=age).plain
    narrow = summary_text(58, "ap-southeast-1", "3 / 500 used", offline=age).plain

    assert wide.startswith("Key pairs · ap-southeast-1 ") and "3 / 500 used · as of" in wide
    assert narrow == f"Key pairs · {age}"
    assert len(narrow) <= 58
