"""How often the screen is laid out while a field is typed into (QuietInput and its canary)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import Input

from tests.support.pilot import SIZE


class OneField(App[None]):
    """One field, as narrow as the form's name field can get."""

    CSS = "Input { width: 12; }"

    def __init__(self, field: Input) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field


async def layouts_while_typing(field: Input, text: str) -> tuple[int, int]:
    """How often the screen was laid out while ``text`` was typed one key at a time into
    ``field``, and how far the field scrolled to keep its cursor in view."""
    app = OneField(field)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        layouts = 0
        lay_out = screen._refresh_layout

        def counted(size: Size | None = None, scroll: bool = False) -> None:
            nonlocal layouts
            layouts += 1
            lay_out(size, scroll)

        screen._refresh_layout = counted  # type: ignore[method-assign]
        for key in text:
            await pilot.press(key)
        await pilot.pause()
        return layouts, round(field.scroll_x)

