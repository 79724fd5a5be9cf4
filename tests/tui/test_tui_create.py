"""Enter on the form: every field checked again, the first problem focused, or one key pair made."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ecs_keypair.contract.api_requests import CreateKeyPairRequest, CreateResourceGroupRequest
from ecs_keypair.contract.key_values import GeneratedKey
from ecs_keypair.keys.key_formats import generate_rsa_key
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.store.store import KeyPairStore
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.screens.results import ResultsScreen
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.widgets import Button, Input, LoadingIndicator, Select, TextArea

from tests.support.pilot import SIZE, made_by_ecs, pilot_test, press_and_settle, type_text


def status(app: KeyPairApp) -> Verdict:
    return app.form.query_one("#status", Verdict)


class GatedKeys:
    """Key generation that waits for the test to open the gate (to look at the busy form)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.calls = 0

    def __call__(self) -> GeneratedKey:
        self.calls += 1
        assert self.gate.wait(timeout=30), "the test never opened the gate"
        return generate_rsa_key()


@pilot_test
async def test_enter_on_an_untouched_form_points_at_the_name(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        name = app.form.query_one("#name", Input)
        assert app.form.focused is name
        assert app.form.query_one("#name-verdict", Verdict).text == "is required · MissingParameter"
        assert status(app).text == "KeyPairName: is required · MissingParameter"
        assert isinstance(app.screen, CreateKeyPairScreen)
    assert backend.count_key_pairs("cn-hangzhou") == 0


@pilot_test
async def test_enter_focuses_the_first_bad_tag_even_from_another_field(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await pilot.press("ctrl+t")  # tag 1: key left empty, never typed into
        await pilot.press("ctrl+t")
        await type_text(pilot, "acs:x")
        await pilot.press(*["shift+tab"] * 5)  # tag 1 value, tag 1 key, group, region, name
        assert app.form.focused is app.form.query_one("#name", Input)
        await pilot.press("enter")
        rows = app.form.query_one(TagEditor).rows
        assert app.form.focused is rows[0].key_input
        assert rows[0].verdict.text == "must not be empty · InvalidTagKey.Malformed"
        assert status(app).text == "Tag.1.Key: must not be empty · InvalidTagKey.Malformed"
    assert backend.count_key_pairs("cn-hangzhou") == 0


@pilot_test
async def test_a_valid_form_creates_the_key_pair_and_shows_the_results(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await pilot.press("ctrl+t")
        await type_text(pilot, "env")
        await pilot.press("tab")
        await type_text(pilot, "prod")
        await press_and_settle(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        (record,) = backend.find_key_pairs("cn-hangzhou")
        assert record.key_pair_name == "web-1"
        assert [(t.key, t.value) for t in record.tags] == [("env", "prod")]
        shown = {
            field: str(screen.query_one(f"#field-{field}").render())
            for field in ("keypairname", "keypairid", "keypairfingerprint", "sha256", "requestid")
        }
        assert shown["keypairname"] == "web-1"
        assert shown["keypairid"] == record.key_pair_id
        assert shown["keypairfingerprint"] == record.fingerprint
        assert shown["sha256"] == screen.created.public_key.sha256_fingerprint
        assert shown["requestid"] == made_by_ecs(screen).request_id
        pem = screen.query_one("#private-key", TextArea)
        assert pem.read_only
        assert pem.text.startswith("-----BEGIN PRIVATE KEY-----\n")
        assert pem.text == made_by_ecs(screen).private_key_pem


@pilot_test
async def test_the_form_is_busy_while_the_key_is_made_and_a_second_enter_creates_nothing(
    make_app: Callable[..., KeyPairApp], store: KeyPairStore
) -> None:
    keys = GatedKeys()
    backend = LocalBackend(store, generate=keys)
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await pilot.press("enter", "enter")
        form = app.form
        assert form.busy
        assert form.query_one("#form").disabled
        assert form.query_one("#create", Button).disabled
        assert form.query_one("#busy", LoadingIndicator).display
        assert status(app).text == f"Creating web-1 ({backend.backend_label})…"
        await pilot.press("enter")  # and once more, for good measure
        await pilot.press(*"xyz")  # typing meanwhile changes nothing: the form takes no input
        assert form.query_one("#name", Input).value == "web-1"
        keys.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert keys.calls == 1
        assert not form.busy
    assert backend.count_key_pairs("cn-hangzhou") == 1


@pilot_test
async def test_a_refusal_from_the_service_is_shown_and_the_form_keeps_its_input(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    backend = LocalBackend(KeyPairStore(home, quota=1))
    backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", "first"))
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        count = app.form.query_one("#region-count", Verdict)
        assert (
            count.text == "1 / 1 key pairs in cn-hangzhou: the region is full · QuotaExceed.KeyPair"
        )
        await type_text(pilot, "second")
        await pilot.press("ctrl+t")
        await type_text(pilot, "env")
        await press_and_settle(app, pilot, "enter")
        assert isinstance(app.screen, CreateKeyPairScreen)
        assert status(app).text == (
            "RegionId: cn-hangzhou already holds its quota of 1 key pairs · QuotaExceed.KeyPair"
        )
        assert app.form.focused is app.form.query_one("#region", Select)
        assert app.form.query_one("#name", Input).value == "second"
        assert [t.key for t in app.form.query_one(TagEditor).tags] == ["env"]
        assert not app.form.busy
    assert backend.count_key_pairs("cn-hangzhou") == 1


@pilot_test
async def test_new_key_pair_from_the_results_starts_an_empty_form(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        await pilot.press("ctrl+t")
        await type_text(pilot, "env")
        await press_and_settle(app, pilot, "enter")
        await pilot.press("c")  # copied: leaving asks nothing
        await app.workers.wait_for_complete()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is app.form
        assert app.form.query_one("#name", Input).value == ""
        assert app.form.query_one("#name-verdict", Verdict).state == "hint"
        assert app.form.query_one(TagEditor).rows == []
        assert app.form.query_one("#region-count", Verdict).text == (
            "1 / 500 key pairs in cn-hangzhou"
        )
        assert app.form.focused is app.form.query_one("#name", Input)


@pilot_test
async def test_a_resource_group_is_picked_from_the_stores_groups(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    group_id = backend.create_resource_group(
        CreateResourceGroupRequest("dev", "Development")
    ).body()["ResourceGroup"]["Id"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()  # the groups are read off the event loop
        await pilot.pause()
        await type_text(pilot, "web-1")
        await pilot.press("tab", "tab", "enter")  # the group picker
        await type_text(pilot, "Dev")
        await pilot.press("enter")
        assert app.form.query_one("#resource-group", Select).value == group_id
        assert app.form.query_one("#group-verdict", Verdict).state == "ok"
        await pilot.press("shift+tab", "shift+tab")
        await press_and_settle(app, pilot, "enter")
        assert isinstance(app.screen, ResultsScreen)
    (record,) = backend.find_key_pairs("cn-hangzhou")
    assert record.resource_group_id == group_id
