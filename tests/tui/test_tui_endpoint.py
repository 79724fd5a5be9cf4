"""The app on an endpoint: a real ``serve`` on a loopback port, reached through the official SDK.

The endpoint answers in threads, so these tests wait for what the screen shows with ``until``
(polling between frames, bounded), never with a fixed sleep.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import CreateKeyPairRequest, DescribeRegionsRequest
from ecs_keypair.contract.rules import Tag
from ecs_keypair.remote.backend import RemoteBackend
from ecs_keypair.tui import run
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.import_key_pair import ImportKeyPairDialog
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Select

from tests.support.pilot import SIZE, MakeApp, made_by_ecs, pilot_test, type_text, until
from tests.support.serve import RunningServe, running_serve, unique
from tests.support.terminal import run_on_terminal

REGION = "cn-hangzhou"


@pytest.fixture
def credentials(serve: RunningServe, monkeypatch: pytest.MonkeyPatch) -> None:
    """The serve's access key, where the SDK's credentials library looks first."""
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", serve.key.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", serve.key.secret)


@pytest.fixture
def remote(serve: RunningServe, credentials: None) -> RemoteBackend:
    return RemoteBackend.connect(f"http://{serve.endpoint}", None)


def verdict(app: KeyPairApp, selector: str) -> Verdict:
    return app.screen.query_one(selector, Verdict)


def answered(line: Verdict) -> bool:
    """The line shows an answer, not the hint it shows while the endpoint is asked."""
    return line.state != "hint" or "…" not in line.text


def offered(picker: Select[str]) -> list[str]:
    """The choices of a picker, as shown in its list (the blank choice first)."""
    options = picker.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def check_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "endpoint-check-name"]


@pilot_test
async def test_the_header_names_the_endpoint_and_the_region_is_counted_there(
    make_app: MakeApp, remote: RemoteBackend, serve: RunningServe
) -> None:
    serve.backend().create_key_pair(CreateKeyPairRequest("cn-qingdao", unique()))
    app = make_app(backend=remote)
    async with app.run_test(size=SIZE) as pilot:
        assert app.sub_title == f"endpoint 127.0.0.1:{serve.port}"
        assert isinstance(app.screen, CreateKeyPairScreen)
        title = app.screen.query_one("HeaderTitle").render()
        assert isinstance(title, Content)
        assert title.plain == f"ecs-keypair — endpoint 127.0.0.1:{serve.port}"
        count = verdict(app, "#region-count")
        await until(pilot, lambda: answered(count), "the region's count")
        expected = serve.backend().count_key_pairs(REGION)
        assert count.text == f"{expected} / {remote.quota} key pairs in {REGION}"


@pilot_test
async def test_a_name_taken_on_the_server_is_refused_once_the_endpoint_answers(
    make_app: MakeApp, remote: RemoteBackend, serve: RunningServe
) -> None:
    taken = unique()
    serve.backend().create_key_pair(CreateKeyPairRequest(REGION, taken))
    app = make_app(backend=remote)
    async with app.run_test(size=SIZE) as pilot:
        name = verdict(app, "#name-verdict")
        await type_text(pilot, taken)
        await until(pilot, lambda: answered(name), "the endpoint's verdict")
        assert name.state == "problem"
        assert name.text == (
            f"a key pair with this name already exists in {REGION} · KeyPair.AlreadyExist"
        )
        assert app.screen.query_one("#name", Input).has_class("-invalid")

        await pilot.press("!")  # the rules answer on the keystroke itself
        assert name.text.startswith("must not contain '!'")
        await pilot.press("backspace", "x")
        await until(pilot, lambda: answered(name), "the endpoint's verdict on the new name")
        assert (name.state, name.text) == ("ok", f"✓ free in {REGION}")


@pilot_test
async def test_create_shows_the_results_and_the_server_keeps_the_key_pair(
    make_app: MakeApp, remote: RemoteBackend, serve: RunningServe
) -> None:
    new = unique()
    app = make_app(backend=remote)
    async with app.run_test(size=SIZE) as pilot:
        form = app.form
        assert form.query_one("#resource-group", Select).is_blank()  # none: the default group
        await type_text(pilot, new)
        await pilot.press("ctrl+t")
        await type_text(pilot, "env")
        await pilot.press("tab")
        await type_text(pilot, "prod")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        assert app.sub_title == f"endpoint 127.0.0.1:{serve.port}"
        [stored] = serve.backend().find_key_pairs(REGION, new)
        assert str(screen.query_one("#field-keypairname").render()) == new
        assert str(screen.query_one("#field-keypairfingerprint").render()) == stored.fingerprint
        assert screen.created.public_key.line == stored.public_key
        assert stored.tags == (Tag("env", "prod"),)
        assert made_by_ecs(screen).private_key_pem.startswith("-----BEGIN PRIVATE KEY-----\n")

        await pilot.press("c", "n")  # copied, so leaving asks nothing; a new key pair
        await until(pilot, lambda: app.screen is form, "back on the form")
        await type_text(pilot, new)
        name = verdict(app, "#name-verdict")
        await until(pilot, lambda: answered(name), "the endpoint's verdict")
        assert name.text.endswith(" · KeyPair.AlreadyExist")


@pilot_test
async def test_the_key_pairs_screen_lists_and_deletes_and_its_groups_can_be_picked(
    make_app: MakeApp, remote: RemoteBackend, serve: RunningServe
) -> None:
    prefix = unique("list")
    for suffix in ("a", "b"):
        serve.backend().create_key_pair(CreateKeyPairRequest(REGION, f"{prefix}-{suffix}"))
    group = serve.backend().find_key_pairs(REGION, f"{prefix}-a")[0].resource_group_id
    app = make_app(backend=remote)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
        screen = app.screen
        table = screen.query_one("#key-pairs", DataTable)
        await until(pilot, lambda: table.row_count > 0, "the table filled")
        await pilot.press("slash")
        await type_text(pilot, prefix)

        def names() -> list[str]:
            return [table.get_row_at(row)[0].plain for row in range(table.row_count)]

        await until(pilot, lambda: names() == [f"{prefix}-a", f"{prefix}-b"], "the filter")
        await pilot.press("enter", "d")  # to the table, then delete the highlighted row
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: names() == [f"{prefix}-b"], "the row gone")
        assert [r.key_pair_name for r in serve.backend().find_key_pairs(REGION, f"{prefix}*")] == [
            f"{prefix}-b"
        ]

        await pilot.press("escape")
        picker = app.form.query_one("#resource-group", Select)
        assert picker.is_blank()
        # The listing showed the server's default group: the picker offers it beside "none".
        await until(pilot, lambda: f"{group}  {group}" in offered(picker), "the group offered")
        created = f"{prefix}-c"
        await type_text(pilot, created)
        await pilot.press("tab", "tab", "enter")
        await type_text(pilot, group)
        await pilot.press("enter", "shift+tab", "shift+tab", "enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
    [stored] = serve.backend().find_key_pairs(REGION, created)
    assert stored.resource_group_id == group


@pilot_test
async def test_a_public_key_is_imported_through_the_sdk(
    make_app: MakeApp, remote: RemoteBackend, serve: RunningServe
) -> None:
    taken = unique("imp")
    line = serve.backend().create_key_pair(CreateKeyPairRequest(REGION, taken)).public_key.line
    new = unique("imp")
    app = make_app(backend=remote)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the key pairs")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportKeyPairDialog), "the dialog")
        dialog = app.screen
        name = verdict(app, "#name-verdict")
        await type_text(pilot, taken)
        await until(pilot, lambda: answered(name), "the endpoint's verdict")
        assert name.text.endswith(" · KeyPair.AlreadyExist")
        await pilot.press("!")  # the rules answer on the keystroke itself
        assert name.text.startswith("must not contain '!'")

        dialog.query_one("#name", Input).value = new
        dialog.query_one("#public-key", Input).value = line  # pasted
        await until(pilot, lambda: name.state == "ok", "the new name free")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, KeyPairsScreen), "the dialog closed")
    [stored] = serve.backend().find_key_pairs(REGION, new)
    assert stored.public_key == line


@pilot_test
async def test_with_the_server_stopped_create_is_an_error_and_the_form_keeps_its_input(
    make_app: MakeApp, credentials: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_serve(tmp_path / "stopping") as stopping:
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", stopping.key.access_key_id)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", stopping.key.secret)
        remote = RemoteBackend.connect(f"http://{stopping.endpoint}", None)
        assert remote.describe_regions(DescribeRegionsRequest()).body()["Regions"][
            "Region"
        ]  # it answers while it runs
    new = unique()
    app = make_app(backend=remote)
    async with app.run_test(size=SIZE) as pilot:
        form = app.form
        count = verdict(app, "#region-count")
        await until(pilot, lambda: answered(count), "the count's failure")
        assert count.text.endswith(" · SDK.ServerUnreachable")
        await type_text(pilot, new)
        await pilot.press("ctrl+t")
        await type_text(pilot, "team")
        await pilot.press("enter")  # from the tag's key: Enter creates from any text field
        status = verdict(app, "#status")
        await until(pilot, lambda: not form.busy, "the create's failure")
        assert status.state == "problem"
        assert status.text.startswith(f"CreateKeyPair: The endpoint {stopping.endpoint} refused")
        assert status.text.endswith(" · SDK.ServerUnreachable")
        assert app.screen is form
        assert form.name_input.value == new
        assert [tag.key for tag in form.tag_editor.tags] == ["team"]
        assert form.focused is form.name_input


@pilot_test
async def test_the_app_answers_keys_while_the_endpoint_is_silent(
    make_app: MakeApp, credentials: None
) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        remote = RemoteBackend.connect(f"http://127.0.0.1:{silent.getsockname()[1]}")
        app = make_app(backend=remote)
        async with app.run_test(size=SIZE) as pilot:
            name = verdict(app, "#name-verdict")
            count = verdict(app, "#region-count")
            await type_text(pilot, "web-")
            assert name.text == f"checking whether {REGION} has it…"
            assert count.text == f"counting the key pairs in {REGION}…"
            await pilot.press("!")
            assert name.text.startswith("must not contain '!'")
            await pilot.press("backspace")
            await type_text(pilot, "12345678")
            assert name.text == f"checking whether {REGION} has it…"
            # One call in flight, the newest name waiting for it; a daemon thread, so quitting
            # never waits for an endpoint that does not answer.
            assert [thread.daemon for thread in check_threads()] == [True]
            await pilot.press(".")
            assert name.text.startswith("must not contain '.'")
            await pilot.press(*["backspace"] * 10)  # web-12345678. back to web
            await pilot.press("ctrl+o")
            assert isinstance(app.screen, KeyPairsScreen)
            await pilot.press("escape")
            assert app.screen is app.form

            silent.close()  # what was waiting is refused now; the newest name gets the answer
            await until(pilot, lambda: answered(name), "the failure to check")
            assert name.text.startswith("cannot check with the endpoint: ")
            assert name.text.endswith(" · SDK.ServerUnreachable")
            assert app.form.name_input.value == "web"


@pytest.mark.usefixtures("on_a_terminal")
def test_run_says_what_is_wrong_with_the_endpoint_in_one_line_and_starts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.aliyun/config.json
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", raising=False)

    assert run("http://127.0.0.1:1") == 1
    missing = capsys.readouterr().err
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "some-id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "some-secret")
    assert run("ftp://somewhere/else") == 1
    malformed = capsys.readouterr().err

    assert missing.startswith("ecs-keypair: InvalidCredentials: No usable credentials")
    assert malformed.startswith("ecs-keypair: InvalidParameter: The endpoint 'ftp://")
    assert missing.count("\n") == malformed.count("\n") == 1


def test_the_command_line_hands_the_endpoint_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", raising=False)

    status, written, _ = run_on_terminal("--endpoint", "http://127.0.0.1:1")

    said = written.decode(errors="replace")
    assert status == 1
    assert "does not take --endpoint" not in said
    assert said.startswith("ecs-keypair: InvalidCredentials: No usable credentials")
    assert said.count("\n") == 1
