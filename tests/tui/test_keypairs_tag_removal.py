"""ctrl+r in the tags dialog of the key pairs screen (t) removes the focused tag row and moves
the focus to the next row's key: that key must not come out selected, or the next letter typed
replaces it (Textual's Input selects all its text whenever it gets the focus).

The focus is moved by the dialog (app/ecs_keypair/tui/screens/edit_key_pair.py) to the input
TagEditor hands back (app/ecs_keypair/tui/widgets/tag_editor.py); neither file is this branch's to
change, so the test stays marked until one of them is fixed, and fails (strict) the day it is.
"""

from __future__ import annotations

from ecs_keypair.contract.api_requests import ImportKeyPairRequest
from ecs_keypair.contract.rules import Tag
from ecs_keypair.keys.key_formats import generate_private_key, public_key_line
from ecs_keypair.store.local_backend import LocalBackend
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.widgets.tag_editor import TagEditor
from textual.widgets import Input

from screenshots.scenes import settle
from tests.support.pilot import SIZE, MakeApp, open_key_pairs, pilot_test


@pilot_test
async def test_after_ctrl_r_the_next_tag_key_is_not_selected(
    make_app: MakeApp, backend: LocalBackend
) -> None:
    line = public_key_line(generate_private_key("ed25519"))
    tags = (Tag("env", "prod"), Tag("team", "ops"))
    backend.import_key_pair(ImportKeyPairRequest("cn-hangzhou", "tagged", line, tags=tags))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_key_pairs(pilot)
        await pilot.press("slash", *"tagged", "enter", "t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EditKeyPairDialog)
        dialog.query_one(TagEditor).rows[0].key_input.focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        following = dialog.focused
        assert isinstance(following, Input) and following.value == "team"
        await pilot.press("s")
        assert following.value == "teams", f"typing replaced the key: {following.value!r}"
