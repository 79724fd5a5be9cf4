"""The app remembers where its save put a private key, and the key pairs screen says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ecs_keypair.tui.app import KeyPairApp
from ecs_keypair.tui.screens.key_pairs import KeyPairsScreen
from ecs_keypair.tui.screens.save_key import SaveKeyDialog
from rich.text import Text
from textual.widgets import Input, Static

from tests.support.pilot import create, pilot_test, press_and_settle, until


def details(app: KeyPairApp) -> str:
    rendered = app.screen.query_one("#details", Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


@pilot_test
async def test_a_key_saved_outside_the_ssh_folder_is_found_and_a_moved_one_reported(
    make_app: Callable[..., KeyPairApp], tmp_path: Path
) -> None:
    target = tmp_path / "keys" / "web-1.pem"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await create(app, pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SaveKeyDialog)
        app.screen.query_one("#path", Input).value = str(target)
        await press_and_settle(app, pilot, "enter")
        assert target.exists()

        await press_and_settle(app, pilot, "k")
        assert isinstance(app.screen, KeyPairsScreen)
        await until(pilot, lambda: "looking in" not in details(app), "the private keys looked for")
        assert details(app).endswith(f"private key on this machine: {target} (pem, saved here)")

        target.rename(tmp_path / "elsewhere.pem")
        await press_and_settle(app, pilot, "r")
        await until(pilot, lambda: "looking in" not in details(app), "looked for again")
        assert details(app).endswith(
            f"no private key for it in ~/.ssh; saved to {target} (pem), moved or deleted since"
        )
