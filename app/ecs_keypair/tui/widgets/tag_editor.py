"""Rows of tag key and value, at most 20, each checked live with the API's own rules.

Adding and removing rows is driven by the screen's key bindings; this widget keeps the rows, the
``n / 20`` counter and the verdicts, and says which field holds the first problem.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ecs_keypair.contract import errors, rules
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.rules import Tag
from ecs_keypair.tui.styles import widget_css
from ecs_keypair.tui.widgets.checked_input import CheckedInput
from ecs_keypair.tui.widgets.verdict import Verdict

ROW_HINT = "key: 1-128 characters · value: optional, up to 128"


class TagRow(Vertical):
    """One tag: a key input, a value input, a remove button, and the verdict under them."""

    class RemoveRequested(Message):
        """The row's remove button was pressed."""

        def __init__(self, row: TagRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, on_edit: Callable[[], object]) -> None:
        """``on_edit`` runs as either field changes: the editor checks every row again (a key
        typed here may duplicate another row's)."""
        super().__init__(classes="tag-row")
        self._on_edit = on_edit
        self.key_input = CheckedInput(
            self._key_typed, placeholder="key", compact=True, classes="tag-key",
            select_on_focus=False,  # focus lands here after ctrl+r: a letter must not replace it
        )
        self.value_input = CheckedInput(
            lambda _value: on_edit(), placeholder="value", compact=True, classes="tag-value",
            select_on_focus=False,
        )
        self.verdict = Verdict(ROW_HINT, classes="tag-verdict")
        self.number_label = Label("", classes="tag-number")
        self.key_touched = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tag-fields"):
            yield self.number_label
            yield self.key_input
            yield Label("=", classes="tag-equals")
            yield self.value_input
            remove = Button("✕", compact=True, classes="remove-tag", tooltip="Remove this tag")
            remove.can_focus = False  # ctrl+r removes the focused row; the button is for the mouse
            yield remove
        yield self.verdict

    @property
    def tag(self) -> Tag:
        return Tag(self.key_input.value, self.value_input.value)

    def number_as(self, number: int) -> None:
        self.number_label.update(f"{number}.")

    def _key_typed(self, _key: str) -> None:
        self.key_touched = True
        self._on_edit()

    @on(Button.Pressed, ".remove-tag")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RemoveRequested(self))


class TagEditor(Vertical):
    """The tag rows with their counter; a 21st row is refused with ``QuotaExceed.Tags``."""

    DEFAULT_CSS = widget_css("tag_editor.tcss")

    def compose(self) -> ComposeResult:
        with Horizontal(id="tags-header"):
            yield Label("Tags", classes="field-label")
            yield Static(f"0 / {rules.MAX_TAGS}", id="tag-count", markup=False)
            yield Static("ctrl+t add · ctrl+r remove the focused row", id="tags-keys")
        yield Verdict("", id="tag-limit")
        yield Vertical(id="tag-rows")

    @property
    def rows(self) -> list[TagRow]:
        return list(self.query_one("#tag-rows").query_children(TagRow))

    @property
    def tags(self) -> list[Tag]:
        return [row.tag for row in self.rows]

    async def add_row(self) -> TagRow | None:
        """Add an empty row, mounted when this returns; at the limit, say why not, return None."""
        rows = self.rows
        limit = self.query_one("#tag-limit", Verdict)
        refused = rules.check_tag_count(len(rows) + 1)
        if refused:
            limit.show_problem(
                refused.at("Tag", f"{refused.message} A key pair takes at most {rules.MAX_TAGS}.")
            )
            self.app.bell()
            return None
        limit.show_hint("")
        row = TagRow(self.refresh_verdicts)
        self._renumber([*rows, row])
        await self.query_one("#tag-rows").mount(row)
        return row

    def remove_row(self, row: TagRow) -> Widget | None:
        """Remove a row; returns the input that should get the focus next (None: none left)."""
        rows = self.rows
        index = rows.index(row)
        rows.remove(row)
        row.remove()
        self.query_one("#tag-limit", Verdict).show_hint("")
        self._renumber(rows)
        self.refresh_verdicts(rows)  # the removed row leaves the DOM later: count it out now
        if not rows:
            return None
        return rows[min(index, len(rows) - 1)].key_input

    def clear(self) -> None:
        for row in self.rows:
            row.remove()
        self.query_one("#tag-limit", Verdict).show_hint("")
        self._renumber([])

    def row_of(self, widget: Widget | None) -> TagRow | None:
        """The row that holds ``widget`` (the focused input, usually), if any."""
        while widget is not None and not isinstance(widget, TagRow):
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return widget

    def _renumber(self, rows: list[TagRow]) -> None:
        for number, row in enumerate(rows, start=1):
            row.number_as(number)
        self.query_one("#tag-count", Static).update(f"{len(rows)} / {rules.MAX_TAGS}")

    def refresh_verdicts(self, rows: list[TagRow] | None = None) -> list[tuple[Input, ApiError]]:
        """Show each row's verdict; return every (input, problem), in the order of the form.

        A key nobody has typed into yet shows the hint, not "must not be empty": the row is new.
        """
        rows = self.rows if rows is None else rows
        tags = [row.tag for row in rows]
        sharing: dict[str, list[int]] = {}
        for number in rules.duplicate_tag_numbers(tags):
            sharing.setdefault(tags[number - 1].key, []).append(number)
        problems: list[tuple[Input, ApiError]] = []
        for number, (row, tag) in enumerate(zip(rows, tags, strict=True), start=1):
            key_problem = rules.check_tag_key(tag.key, number) if row.key_touched else None
            value_problem = rules.check_tag_value(tag.value, number)
            duplicate = None
            if number in sharing.get(tag.key, ()):
                others = ", ".join(str(n) for n in sharing[tag.key] if n != number)
                duplicate = errors.DUPLICATE_TAG_KEY.at(
                    f"Tag.{number}.Key", f"the key {tag.key!r} is also on tag {others}"
                )
            row.key_input.set_class(bool(key_problem or duplicate), "-invalid")
            row.value_input.set_class(bool(value_problem), "-invalid")
            row.set_class(duplicate is not None, "-duplicate")
            shown = key_problem or value_problem or duplicate
            if shown:
                row.verdict.show_problem(shown)
            elif row.key_touched:
                row.verdict.show_ok("✓")
            else:
                row.verdict.show_hint()
            key_verdict = key_problem or duplicate
            if key_verdict:
                problems.append((row.key_input, key_verdict))
            if value_problem:
                problems.append((row.value_input, value_problem))
        return problems

    def check_all(self) -> list[tuple[Input, ApiError]]:
        """Check every row as the API would (untouched keys included); problems in form order."""
        rows = self.rows
        for row in rows:
            row.key_touched = True
        return self.refresh_verdicts(rows)
