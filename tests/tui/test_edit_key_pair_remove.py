"""The tags dialog's ✕ on a tag row removes that row, as ctrl+r does and as on the form."""

from __future__ import annotations

from collections.abc import Callable

from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.rules import Tag
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.widgets.tag_editor import TagEditor

from tests.support.engine import PUBLIC_LINE
from tests.support.pilot import open_row_dialog, pilot_test


@pilot_test
async def test_the_remove_button_of_a_row_removes_it(
    make_app: Callable[..., KeyPairApp], backend: LocalBackend
) -> None:
    tags = (Tag("env", "prod"), Tag("team", "ops"))
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "web-1", PUBLIC_LINE, tags=tags))
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        dialog = await open_row_dialog(pilot, "t", EditKeyPairDialog)
        editor = dialog.query_one(TagEditor)
        first = editor.rows[0]
        await pilot.click(first.query_one(".remove-tag"))
        await pilot.pause()
        assert editor.tags == [Tag("team", "ops")]
        assert dialog.focused is editor.rows[0].key_input
