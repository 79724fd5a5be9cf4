"""The KeyPairName field: the API's verdict and code at every keystroke, per region."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from ecs_keypair.contract.api_requests import CreateKeyPairRequest
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui import PREFERENCES_FILE
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.create_key_pair import CreateKeyPairScreen
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.widgets import Input, Select

from tests.support.pilot import SIZE, pilot_test, type_text


def name_verdict(app: KeyPairApp) -> Verdict:
    return app.screen.query_one("#name-verdict", Verdict)


@pytest.mark.parametrize(
    ("typed", "reason", "code"),
    [
        ("1abc", "must start with a letter, not '1'", "InvalidKeyPairName.Malformed"),
        ("_key", "must start with a letter, not '_'", "InvalidKeyPairName.Malformed"),
        ("a", "must be at least 2 characters long", "InvalidKeyPairName.Malformed"),
        ("web 1", "must not contain a space", "InvalidKeyPairName.Malformed"),
        ("web.1", "must not contain '.'", "InvalidKeyPairName.Malformed"),
        ("https://x", "must not start with http:// or https://", "InvalidKeyPairName.Malformed"),
    ],
)
@pilot_test
async def test_an_invalid_name_shows_the_reason_and_the_code(
    make_app: Callable[..., KeyPairApp], typed: str, reason: str, code: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CreateKeyPairScreen)
        assert app.screen.focused is app.screen.query_one("#name", Input)
        await type_text(pilot, typed)
        verdict = name_verdict(app)
        assert verdict.state == "problem"
        assert verdict.text.startswith(reason)
        assert verdict.text.endswith(f" · {code}")
        assert app.screen.query_one("#name", Input).has_class("-invalid")


@pilot_test
async def test_the_verdict_changes_with_the_value_not_a_message_later(
    make_app: Callable[..., KeyPairApp],
) -> None:
    """The verdict is decided in the same step as the change, so the frame that shows a new
    character shows its verdict too (a handler of the bubbled Input.Changed runs later)."""
    app = make_app()
    async with app.run_test(size=SIZE):
        field = app.screen.query_one("#name", Input)
        verdict = name_verdict(app)
        field.value = "1web"  # no await: nothing else has run yet
        assert verdict.state == "problem"
        assert verdict.text.endswith(" · InvalidKeyPairName.Malformed")
        field.value = "web"
        assert (verdict.state, verdict.text) == ("ok", "✓ free in cn-hangzhou")


@pilot_test
async def test_the_verdict_follows_every_keystroke(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        verdict = name_verdict(app)
        assert verdict.state == "hint"  # nothing typed yet: a hint, not an error
        await pilot.press("w")
        assert verdict.text == "must be at least 2 characters long · InvalidKeyPairName.Malformed"
        await pilot.press("e")
        assert (verdict.state, verdict.text) == ("ok", "✓ free in cn-hangzhou")
        await pilot.press("!")
        assert verdict.text.startswith("must not contain '!'")
        await pilot.press("backspace", "backspace", "backspace")
        assert verdict.text == "is required · MissingParameter"


@pilot_test
async def test_a_chinese_name_is_fine(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "密钥-1")
        assert name_verdict(app).state == "ok"


@pilot_test
async def test_a_taken_name_is_refused_in_its_region_and_fine_in_another(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", "web-1"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "web-1")
        verdict = name_verdict(app)
        assert verdict.text == (
            "a key pair with this name already exists in cn-hangzhou · KeyPair.AlreadyExist"
        )
        # Choose Beijing with the keyboard: the picker, type to search, Enter.
        await pilot.press("tab", "enter")
        await type_text(pilot, "cn-bei")
        await pilot.press("enter")
        assert app.screen.query_one("#region", Select).value == "cn-beijing"
        assert (verdict.state, verdict.text) == ("ok", "✓ free in cn-beijing")
        count = app.screen.query_one("#region-count", Verdict)
        assert count.text == "0 / 500 key pairs in cn-beijing"


@pilot_test
async def test_the_region_shows_its_count_against_the_quota(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    for name in ("a1", "a2", "a3"):
        backend.create_key_pair(CreateKeyPairRequest("cn-hangzhou", name))
    app = make_app()
    async with app.run_test(size=SIZE):
        count = app.screen.query_one("#region-count", Verdict)
        assert count.text == "3 / 500 key pairs in cn-hangzhou"


@pilot_test
async def test_the_region_is_remembered_between_runs(
    make_app: Callable[..., KeyPairApp], home: Path
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        first.screen.query_one("#region", Select).value = "eu-west-1"
        await pilot.pause()
    remembered = home / PREFERENCES_FILE
    assert stat.S_IMODE(remembered.stat().st_mode) == 0o600
    second = make_app()
    async with second.run_test(size=SIZE):
        assert second.screen.query_one("#region", Select).value == "eu-west-1"
        assert second.form.region_id == "eu-west-1"
