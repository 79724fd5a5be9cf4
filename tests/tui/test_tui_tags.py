"""Tags on the form: rows added and removed with the keyboard, at most 20, checked live."""

from __future__ import annotations

from collections.abc import Callable

from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from ecs_keypair.tui.widgets.verdict import Verdict
from textual.widgets import Input, Static

from tests.support.pilot import SIZE, pilot_test, type_text


def editor(app: KeyPairApp) -> TagEditor:
    return app.screen.query_one(TagEditor)


def counter(app: KeyPairApp) -> str:
    return str(app.screen.query_one("#tag-count", Static).content)


@pilot_test
async def test_ctrl_t_adds_a_row_and_ctrl_r_removes_the_focused_one(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert counter(app) == "0 / 20"
        await pilot.press("ctrl+t")
        await type_text(pilot, "env")
        await pilot.press("tab")
        await type_text(pilot, "prod")
        await pilot.press("ctrl+t")
        await type_text(pilot, "team")
        assert counter(app) == "2 / 20"
        assert [(t.key, t.value) for t in editor(app).tags] == [("env", "prod"), ("team", "")]
        await pilot.press("ctrl+r")  # the focused row: "team"
        assert counter(app) == "1 / 20"
        assert [t.key for t in editor(app).tags] == ["env"]
        assert app.screen.focused is editor(app).rows[0].key_input
        await pilot.press("ctrl+r")
        assert counter(app) == "0 / 20"
        assert app.screen.focused is app.screen.query_one("#name", Input)


@pilot_test
async def test_the_21st_tag_is_refused_with_the_api_code(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(18):
            await editor(app).add_row()  # what ctrl+t does, without a repaint per row
        await pilot.press("ctrl+t", "ctrl+t")
        assert counter(app) == "20 / 20"
        limit = app.screen.query_one("#tag-limit", Verdict)
        assert limit.state == "hint"
        await pilot.press("ctrl+t")
        assert counter(app) == "20 / 20"
        assert len(editor(app).rows) == 20
        assert limit.state == "problem"
        assert "exceeds the upper limit 20" in limit.text
        assert limit.text.endswith("· QuotaExceed.Tags")
        await pilot.press("ctrl+r")  # one fewer: the refusal goes away, a row can be added again
        assert limit.state == "hint"
        await pilot.press("ctrl+t")
        assert counter(app) == "20 / 20"


@pilot_test
async def test_duplicate_keys_are_marked_on_every_row_that_has_them(
    make_app: Callable[..., KeyPairApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("env", "team", "env", "env"):
            await pilot.press("ctrl+t")
            await type_text(pilot, key)
        rows = editor(app).rows
        marked = [row.has_class("-duplicate") for row in rows]
        assert marked == [True, False, True, True]
        assert rows[0].verdict.text == "the key 'env' is also on tag 3, 4 · Duplicate.TagKey"
        assert rows[2].verdict.text == "the key 'env' is also on tag 1, 4 · Duplicate.TagKey"
        assert rows[3].verdict.text == "the key 'env' is also on tag 1, 3 · Duplicate.TagKey"
        assert rows[1].verdict.state == "ok"
        await pilot.press("ctrl+r")  # removes tag 4: tags 1 and 3 still share "env"
        assert [row.has_class("-duplicate") for row in editor(app).rows] == [True, False, True]
        await pilot.press("ctrl+r")  # removes tag 3: nothing is shared any more
        assert not any(row.has_class("-duplicate") for row in editor(app).rows)
        assert editor(app).rows[0].verdict.state == "ok"


@pilot_test
async def test_each_key_and_value_is_checked_live(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        row = editor(app).rows[0]
        assert row.verdict.state == "hint"  # a new row is not an error yet
        await type_text(pilot, "aliyun")
        assert row.verdict.text == "must not start with aliyun or acs: · InvalidTagKey.Malformed"
        await pilot.press("ctrl+u")  # the key emptied
        assert row.verdict.text == "must not be empty · InvalidTagKey.Malformed"
        await type_text(pilot, "site")
        await pilot.press("tab")
        await type_text(pilot, "http://x")
        assert row.verdict.text == (
            "must not contain http:// or https:// · InvalidTagValue.Malformed"
        )
        assert row.value_input.has_class("-invalid")
        assert not row.key_input.has_class("-invalid")


@pilot_test
async def test_a_row_is_checked_as_its_fields_change(make_app: Callable[..., KeyPairApp]) -> None:
    """Decided in the same step as the change, not when Input.Changed has bubbled up: the frame
    that shows the new text shows its verdict."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t", "ctrl+t")
        first, second = editor(app).rows
        first.key_input.value = "acs:x"  # no await: nothing else has run yet
        assert first.verdict.text == "must not start with aliyun or acs: · InvalidTagKey.Malformed"
        first.key_input.value = "env"
        second.key_input.value = "env"
        assert first.verdict.text == "the key 'env' is also on tag 2 · Duplicate.TagKey"
        second.value_input.value = "https://x"
        assert second.value_input.has_class("-invalid")


@pilot_test
async def test_a_row_can_be_removed_with_its_button(make_app: Callable[..., KeyPairApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await type_text(pilot, "env")
        await pilot.click(".remove-tag")
        assert editor(app).rows == []
        assert counter(app) == "0 / 20"
