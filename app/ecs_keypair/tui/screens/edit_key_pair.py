"""The dialog that edits an existing key pair's tags and moves it to another resource group.

The tags are the create form's own editor (each key and value checked as typed, duplicates
marked, at most 20); the group is a pick of the account's groups. Enter sends what changed, as
the cloud's tools do: UntagResources for the keys taken away, TagResources for the tags added or
changed, JoinResourceGroup for a new group; through :class:`BackendCalls`, so an endpoint's wait
never freezes the dialog. A refusal leaves the dialog open with what was typed and the reason.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select

from ecs_keypair.contract.api_requests import (
    JoinResourceGroupRequest,
    TagResourcesRequest,
    UntagResourcesRequest,
)
from ecs_keypair.contract.backend import KeyPairBackend
from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
from ecs_keypair.contract.rules import KEYPAIR_RESOURCE_TYPE, Tag
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.tui.backend_calls import BackendCalls, Failed
from ecs_keypair.tui.enter_key import enter_is_the_controls
from ecs_keypair.tui.outside_text import option
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.widgets.field_scroll import FieldScroll
from ecs_keypair.tui.widgets.tag_editor import TagEditor, TagRow
from ecs_keypair.tui.widgets.verdict import Verdict


def changes(
    record: KeyPairRecord, tags: list[Tag], group_id: str
) -> tuple[tuple[str, ...], tuple[Tag, ...], str | None]:
    """What to send for ``record`` to hold ``tags`` in ``group_id``: the keys to remove, the
    tags to set (new or with another value), and the group to join (None: it stays)."""
    wanted = {tag.key: tag for tag in tags}
    removed = tuple(tag.key for tag in record.tags if tag.key not in wanted)
    kept = set(record.tags)
    to_set = tuple(tag for tag in tags if tag not in kept)
    return removed, to_set, (group_id if group_id != record.resource_group_id else None)


class EditKeyPairDialog(ModalScreen[bool]):
    """Tags and group of one key pair; dismisses with True once the changes are stored."""

    CSS_PATH = stylesheet("edit_key_pair.tcss")
    BINDINGS = [
        Binding("enter", "submit", "Save", priority=True, tooltip="Store the tags and the group",
                id="edit-key-pair.save"),
        Binding("ctrl+t", "add_tag", "Add tag", id="edit-key-pair.add-tag"),
        Binding("ctrl+r", "remove_tag", "Remove tag", id="edit-key-pair.remove-tag"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything",
                id="edit-key-pair.cancel"),
    ]

    def __init__(
        self, backend: KeyPairBackend, record: KeyPairRecord, groups: list[ResourceGroup]
    ) -> None:
        super().__init__()
        self.backend = backend
        self.record = record
        self.groups = groups
        self.calls = BackendCalls(self, backend)

    def _group_options(self) -> list[tuple[Text, str]]:
        """Each group, and the key pair's own even if it is not (yet) among them."""
        options = [(option(f"{group.name} ({group.id})"), group.id) for group in self.groups]
        group_id = self.record.resource_group_id
        if group_id not in {group.id for group in self.groups}:
            options.append((option(group_id), group_id))
        return options

    def compose(self) -> ComposeResult:
        record = self.record
        with FieldScroll(id="dialog"):  # at 60x18 the buttons are below the fold
            yield Label(
                visible(f"Tags and group of {record.key_pair_name} ({record.region_id})"),
                id="title",
                markup=False,
            )
            yield Label("Resource group", classes="dialog-label")
            yield Select(
                self._group_options(),
                value=record.resource_group_id,
                allow_blank=False,
                id="group",
                compact=True,
            )
            with FieldScroll(id="tags"):
                yield TagEditor(id="tag-editor")
            yield Verdict(id="problem")
            with Horizontal(id="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    async def on_mount(self) -> None:
        editor = self.query_one(TagEditor)
        for tag in self.record.tags:
            row = await editor.add_row()
            if row is not None:
                row.key_input.value, row.value_input.value = tag.key, tag.value
                row.key_touched = True
        self.call_after_refresh(self.query_one("#group", Select).focus)

    @on(events.DescendantFocus)
    def _group_list_focused(self, event: events.DescendantFocus) -> None:
        """The groups were read when the key pairs were listed: one made since (by the command
        line, in another window) is listed by the time the list opens, read as it gets the
        focus (off the event loop)."""
        if event.widget.id == "group":
            read = self.backend.resource_groups
            self.calls.run("groups", read, self._groups_read, locally="worker")

    def _groups_read(self, groups: list[ResourceGroup] | Failed) -> None:
        known = [(group.id, group.name) for group in self.groups]
        if isinstance(groups, Failed) or [(group.id, group.name) for group in groups] == known:
            return  # the groups listed are still the ones to pick from (Save says any problem)
        self.groups = groups
        select: Select[str] = self.query_one("#group", Select)
        chosen = select.value
        options = self._group_options()
        if chosen not in {group_id for _label, group_id in options}:
            chosen = self.record.resource_group_id  # always listed
        with select.prevent(Select.Changed):  # the same pick: nothing changed for the user
            select.set_options(options)
            select.value = chosen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "submit" and enter_is_the_controls(self.focused))

    # -- actions --

    async def action_add_tag(self) -> None:
        """The new row has the focus when this returns: the keys typed next go into its key."""
        row = await self.query_one(TagEditor).add_row()
        if row is not None:
            self._edited()
            row.key_input.focus()

    def action_remove_tag(self) -> None:
        row = self.query_one(TagEditor).row_of(self.focused)
        if row is None:
            self.app.bell()
            return
        self._remove_tag_row(row)

    @on(TagRow.RemoveRequested)
    def _remove_clicked(self, event: TagRow.RemoveRequested) -> None:
        self._remove_tag_row(event.row)

    def _remove_tag_row(self, row: TagRow) -> None:
        following = self.query_one(TagEditor).remove_row(row)
        self._edited()
        (following or self.query_one("#group", Select)).focus()

    @on(Input.Changed)
    @on(Select.Changed, "#group")
    def _edited(self) -> None:
        """The problem shown judged the tags and the group as they were at Enter."""
        self.query_one("#problem", Verdict).show_hint("")

    @on(Button.Pressed, "#save")
    def action_submit(self) -> None:
        if self.calls.in_flight("edit") or not self.is_current:
            return  # one save at a time
        problems = self.query_one(TagEditor).check_all()
        if problems:
            widget, problem = problems[0]
            widget.focus()
            self.query_one("#problem", Verdict).show_problem(problem)
            return
        group = self.query_one("#group", Select).value
        assert isinstance(group, str)  # allow_blank=False: always one of the groups
        removed, to_set, joined = changes(self.record, self.query_one(TagEditor).tags, group)
        if not (removed or to_set or joined):
            self.dismiss(False)
            return
        hint = f"saving on the {self.backend.backend_label}…"
        save = partial(self._save, removed, to_set, joined)
        waiting = partial(self.query_one("#problem", Verdict).show_hint, hint)
        self.calls.run("edit", save, self._saved, every_answer=True, waiting=waiting)

    def _save(self, removed: tuple[str, ...], to_set: tuple[Tag, ...], joined: str | None) -> bool:
        """The calls (off the event loop on an endpoint): untag, tag, join; the first refusal
        stops the rest and is raised as the API's error."""
        region, name = self.record.region_id, (self.record.key_pair_name,)
        if removed:
            untag = UntagResourcesRequest(region, KEYPAIR_RESOURCE_TYPE, name, removed)
            self.backend.untag_resources(untag)
        if to_set:
            request = TagResourcesRequest(region, KEYPAIR_RESOURCE_TYPE, name, to_set)
            self.backend.tag_resources(request)
        if joined:
            self.backend.join_resource_group(
                JoinResourceGroupRequest(region, KEYPAIR_RESOURCE_TYPE, name[0], joined)
            )
        return True

    def _saved(self, outcome: bool | Failed) -> None:
        if not isinstance(outcome, Failed):
            self.dismiss(True)
            return
        self.query_one("#problem", Verdict).show_problem(outcome.problem)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
