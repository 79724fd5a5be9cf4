"""The first screen: a CreateKeyPair request, checked at every keystroke with the engine's rules.

The name's verdict comes from ``backend.check_name`` (the rules, then "already exists in this
region"); tags from ``rules.check_tag_key`` / ``check_tag_value`` / ``duplicate_tag_numbers``.
Enter checks every field again (an untouched field is not valid by default), focuses the first
problem, or creates the key pair in a thread with the form disabled, once.

On an endpoint no backend call runs on the event loop (see :mod:`ecs_keypair.tui.backend_calls`):
the
rules' verdict is shown at once, "already exists" when the endpoint has answered, and Enter
leaves that part to CreateKeyPair itself, whose answer is the endpoint's final word.

"Key made" chooses who makes the key: ECS (CreateKeyPair, RSA 2048, the default) or this
machine (``make_key_here``: the key type picked here, then ImportKeyPair into each region
picked, the engine's answer region by region). ImportKeyPair takes no resource group or tags, so
those rows are hidden while "made here" is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, LoadingIndicator, Select

from ecs_keypair.contract import errors
from ecs_keypair.contract.backend import KeySpec
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.contract.regions import DEFAULT_REGION_ID, Region, looks_like_region_id
from ecs_keypair.tui.backend_calls import BackendCalls, Failed, attempt
from ecs_keypair.tui.enter_key import enter_is_the_controls
from ecs_keypair.tui.header_label import header_label, header_room
from ecs_keypair.tui.key_choices import KEY_SPECS, proposed_key_spec, spec_label
from ecs_keypair.tui.preferences import Preferences
from ecs_keypair.tui.textual_compat import ENTER, FittingFooter, StagedScreen
from ecs_keypair.tui.widgets.field_scroll import FieldScroll
from ecs_keypair.tui.widgets.group_select import GroupOptions, group_options, relist
from ecs_keypair.tui.widgets.name_field import NameField
from ecs_keypair.tui.widgets.region_picker import RegionPicker, region_label
from ecs_keypair.tui.widgets.tag_editor import TagEditor, TagRow
from ecs_keypair.tui.widgets.verdict import Verdict, problem_text

if TYPE_CHECKING:  # none of these is needed to paint the first frame
    from ecs_keypair.contract.api_requests import CreateKeyPairRequest
    from ecs_keypair.contract.backend import KeyPairBackend
    from ecs_keypair.contract.records import ResourceGroup
    from ecs_keypair.contract.results import CreatedKeyPair
    from ecs_keypair.workflows.key_workflows import MadeHere

GROUP_HINT = "optional: the default group when none is chosen"
MADE_BY_ECS = "ecs"
MADE_HERE = "here"
SOURCE_OPTIONS = [
    ("made by ECS (CreateKeyPair, RSA 2048)", MADE_BY_ECS),
    ("made here (ImportKeyPair)", MADE_HERE),
]
SOURCE_HINTS = {
    MADE_BY_ECS: "ECS makes the key; its private key is shown once",
    MADE_HERE: "made here, then imported: no group or tags",
}
KEY_TYPE_HINT = "the private key never leaves this machine"
IMPORT_HINT = "space picks a region (several at once)"

# An endpoint's error names no parameter; these codes concern one field of the form.
FIELD_OF_CODE = {
    errors.INVALID_KEY_PAIR_NAME.code: "KeyPairName",
    errors.KEY_PAIR_ALREADY_EXIST.code: "KeyPairName",
    errors.INVALID_REGION_ID.code: "RegionId",
    errors.QUOTA_EXCEED_KEY_PAIR.code: "RegionId",
    errors.INVALID_RESOURCE_GROUP.code: "ResourceGroupId",
}


class CreateKeyPairScreen(StagedScreen[None]):
    """KeyPairName, region, resource group and tags, with the API's verdict under each."""

    AUTO_FOCUS = "#name"
    BINDINGS = [
        # priority: Enter in any text field creates (check_action lets a Select keep its Enter)
        Binding(
            ENTER,
            "create",
            "Create",
            priority=True,
            tooltip="Check every field, then create",
            id="create.create",
        ),
        Binding("ctrl+t", "add_tag", "Add tag", tooltip="Add a tag row (at most 20)",
                id="create.add-tag"),
        Binding("ctrl+r", "remove_tag", "Remove tag", tooltip="Remove the focused tag row",
                id="create.remove-tag"),
        Binding(
            "ctrl+o", "app.show_key_pairs", "Key pairs", tooltip="The key pairs of this region",
            id="create.key-pairs",
        ),
    ]

    busy = reactive(False, bindings=True, toggle_class="-busy")
    """A key is being made: the form is disabled, Enter and the tag keys wait."""
    made_here = reactive(False, bindings=True, toggle_class="-made-here")
    """The key is made on this machine and imported (no tags for ImportKeyPair here)."""

    class Unusable(Message):
        """The backend did not open: the app stops and says why (``problem``, one line)."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    class KeyPairCreated(Message):
        """CreateKeyPair succeeded, or a key made here was imported: the app shows the results."""

        def __init__(self, created: CreatedKeyPair | MadeHere) -> None:
            super().__init__()
            self.created = created

    def __init__(
        self, open_service: Callable[[], KeyPairBackend], preferences: Preferences
    ) -> None:
        super().__init__()
        self._open_backend = open_service
        self.backend: KeyPairBackend  # and self.calls: set once opened, after the first frame
        self.calls: BackendCalls
        self.preferences = preferences
        remembered = preferences.region_id or ""  # judged against the backend's once open
        self.region_id = remembered if looks_like_region_id(remembered) else DEFAULT_REGION_ID
        self.regions: tuple[Region, ...] = ()
        """The regions offered: the backend's (:meth:`KeyPairBackend.regions`)."""
        self.tag_editor = TagEditor(id="tags")
        self.name_field = NameField(lambda: self.region_id, classes="field-body")
        self._group_problem: ApiError | str | None = None
        self._groups_listed: GroupOptions = []

    def compose(self) -> ComposeResult:
        """The first frame: the header, the name field (focused at once) and the footer;
        the backend opens and the rest is mounted right after it is painted
        (:meth:`_after_first_frame`)."""
        yield Header()
        with FieldScroll(id="form"):
            with Horizontal(classes="field"):
                yield Label("KeyPairName", classes="field-label")
                yield self.name_field
        yield FittingFooter(first=("enter", "ctrl+o", "ctrl+t", "ctrl+q"))

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)

    async def _after_first_frame(self) -> None:
        """Open the backend, then mount the rest of the form; keys typed meanwhile wait for it
        (see :class:`StagedScreen`). If the backend does not open, the app stops with the
        problem.

        The backend opens in place, as :class:`BackendCalls` makes the local store's calls: on
        the local store it is the store's imports and two folder checks, under a frame; an
        endpoint was connected before the app started. A thread would take turns with the
        mount at the GIL, and the form would be whole later (the README's Benchmarks say by
        how much).
        """
        backend = attempt(self._open_backend)
        if isinstance(backend, Failed):
            self.post_message(self.Unusable(backend.line))
            return
        self.backend = backend
        self.calls = BackendCalls(self, backend)
        self.name_field.connect(self.calls, backend)
        self.regions = backend.regions(refresh=False)
        offered = [region.region_id for region in self.regions]
        if self.region_id not in offered:
            self.region_id = DEFAULT_REGION_ID if DEFAULT_REGION_ID in offered else offered[0]
        self.fit_header()
        await self._mount_below_the_fold()
        self.mark_whole()
        self._show_region_count()
        self._load_resource_groups()
        self.calls.run("regions", backend.regions, self._regions_listed)

    def fit_header(self, width: int | None = None) -> None:
        """The header names where the key pairs live, and on the cloud the form's region, in
        the room the terminal's width (``width``, else the app's now) leaves."""
        region = self.region_id if self.backend.header_names_region else None
        room = header_room(width or self.app.size.width, self.app.title)
        self.app.sub_title = header_label(self.backend.backend_label, region, room)

    def _region_options(self) -> list[tuple[Text, str]]:
        return [
            (region_label(region.region_id, region.local_name), region.region_id)
            for region in self._offered()
        ]

    def _offered(self) -> tuple[Region, ...]:
        """The backend's regions, and the form's own when they lack it (the endpoint stopped
        listing it): the pick stays, and the name's verdict says the region is not there."""
        if any(region.region_id == self.region_id for region in self.regions):
            return self.regions
        return (*self.regions, Region(self.region_id, ""))

    def _regions_listed(self, regions: tuple[Region, ...] | Failed) -> None:
        """The endpoint's list (asked off the event loop), offered from now on when it differs
        from the one the form opened with; the form's region and the picks are kept."""
        if isinstance(regions, Failed) or regions == self.regions:
            return
        self.regions = regions
        select = self.query_one("#region", Select)
        with select.prevent(Select.Changed):
            select.set_options(self._region_options())
            select.value = self.region_id
        self.query_one("#import-regions", RegionPicker).relist(self._offered())
        self.name_field.check()

    async def _mount_below_the_fold(self) -> None:
        """The pickers, the tags and the button, once the field typed into is on screen."""
        region = Select(
            self._region_options(),
            value=self.region_id,
            allow_blank=False,
            compact=True,
            id="region",
        )
        group = Select[str]([], prompt="Default Resource Group", compact=True, id="resource-group")
        source = Select(
            SOURCE_OPTIONS, value=MADE_BY_ECS, allow_blank=False, compact=True, id="key-source"
        )
        key_type = Select(
            [(spec_label(spec), spec) for spec in KEY_SPECS],
            value=proposed_key_spec(self.backend),
            allow_blank=False,
            compact=True,
            id="key-type",
        )
        picker = RegionPicker(id="import-regions", compact=True)
        self.tag_editor.add_class("by-ecs")
        await self.query_one("#form").mount_all(
            [
                _field("Region", region, Verdict("", id="region-count")),
                _field(
                    "Resource group",
                    group,
                    Verdict(GROUP_HINT, id="group-verdict"),
                    classes="by-ecs",
                ),
                self.tag_editor,
                _field("Key made", source, Verdict(SOURCE_HINTS[MADE_BY_ECS], id="source-hint")),
                _field("Key type", key_type, Verdict(KEY_TYPE_HINT), classes="here"),
                _field(
                    "Import into", picker, Verdict(IMPORT_HINT, id="import-verdict"), classes="here"
                ),
            ]
        )
        picker.add_regions(self._offered(), picked=[self.region_id])
        actions = Horizontal(
            Button("Create key pair", id="create", variant="primary", compact=True),
            LoadingIndicator(id="busy"),
            Verdict("Enter creates the key pair once every field is valid.", id="status"),
            id="actions",
        )
        await self.mount(actions, before=self.query_one(Footer))

    def on_screen_resume(self) -> None:
        """Back from the results or the key pairs list: the region's contents may have changed
        (and on an endpoint, listing its key pairs may have shown more resource groups). The
        verdicts are asked again; the status line's problem may be gone, so it goes too."""
        if not self.is_whole:
            return  # the first resume: the rest of the form is not mounted yet
        chosen = self.preferences.region_id  # the key pairs screen may have switched it
        if chosen in [region.region_id for region in self.regions] and chosen != self.region_id:
            self.query_one("#region", Select).value = chosen  # followed as a pick is
        self._show_region_count()
        self.name_field.check()
        self._load_resource_groups()
        self._edited()

    # -- live checks --

    @property
    def name_input(self) -> Input:
        return self.name_field.input

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RegionPicker.SelectedChanged)
    def _edited(self) -> None:
        """What the last Enter judged has changed (a field, a pick, a tag row added or taken
        away): the verdicts under the fields say how it stands now, and the line by the button
        stops repeating a problem that may be gone (say, "already exists" in another region)."""
        if not self.is_whole:
            return  # no Enter yet: the status line is not even mounted
        status = self.query_one("#status", Verdict)
        if status.state == "problem":
            status.show_hint()

    @on(Select.Changed, "#region")
    def _region_chosen(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value == self.region_id:
            return
        self._follow_region(self.region_id, event.value)
        self.region_id = event.value
        self.fit_header()
        try:
            self.preferences.remember_region(self.region_id)
        except OSError as exc:
            self.notify(
                f"The region could not be remembered for next time: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )
        self._show_region_count()
        if self.name_input.value:
            self.name_field.touched = True
        self.name_field.check()

    def _show_region_count(self) -> None:
        """The chosen region only: counting is one cached read, never a scan of every region
        (on an endpoint, one listing of the region, which also tells later name checks)."""
        self.calls.run(
            "count",
            partial(self.backend.count_key_pairs, self.region_id),
            partial(self._region_counted, self.region_id),
            waiting=partial(
                self.query_one("#region-count", Verdict).show_hint,
                f"counting the key pairs in {self.region_id}…",
            ),
        )

    # -- who makes the key --

    @on(Select.Changed, "#key-source")
    def _source_chosen(self, event: Select.Changed) -> None:
        source = event.value if isinstance(event.value, str) else MADE_BY_ECS
        self.made_here = source == MADE_HERE
        self.query_one("#source-hint", Verdict).show_hint(SOURCE_HINTS[source])
        self.query_one("#create", Button).label = (
            "Make and import" if source == MADE_HERE else "Create key pair"
        )

    @on(RegionPicker.SelectedChanged, "#import-regions")
    def _import_regions_changed(self) -> None:
        self._check_import_regions()

    def _check_import_regions(self) -> str | None:
        """The one rule the picker has: at least one region (each region judges the rest)."""
        verdict = self.query_one("#import-verdict", Verdict)
        picked = self.query_one("#import-regions", RegionPicker).picked
        if not picked:
            problem = "pick at least one region to import into (space)"
            verdict.show_problem(problem)
            return problem
        verdict.show_hint(f"{IMPORT_HINT} · {len(picked)} picked")
        return None

    def _follow_region(self, old: str, new: str) -> None:
        """The regions to import into start as the form's region, and follow it until picked."""
        picker = self.query_one("#import-regions", RegionPicker)
        if picker.picked == [old]:
            picker.deselect(old)
            picker.select(new)
            picker.show_region(new)

    def _key_spec(self) -> KeySpec:
        value = self.query_one("#key-type", Select).value
        return value if isinstance(value, tuple) else KEY_SPECS[0]

    def _region_counted(self, region_id: str, count: int | Failed) -> None:
        if region_id != self.region_id:
            return  # another region was chosen meanwhile; its own count is on the way
        line = self.query_one("#region-count", Verdict)
        if isinstance(count, Failed):
            line.show_problem(count.problem)
            return
        quota = self.backend.quota
        text = f"{count} / {quota} key pairs in {self.region_id}"
        if count >= quota:
            line.show_problem(f"{text}: the region is full · {errors.QUOTA_EXCEED_KEY_PAIR.code}")
        else:
            line.show_hint(text)

    def _load_resource_groups(self) -> None:
        """Off the event loop even locally: the first run creates the default group (a write)."""
        self.calls.run(
            "resource-groups",
            self.backend.resource_groups,
            self._show_resource_groups,
            locally="worker",
        )

    @on(events.DescendantFocus)
    def _group_list_focused(self, event: events.DescendantFocus) -> None:
        """A group made meanwhile (by the command line, in another window) is listed by the
        time the list opens: the groups are read again as it gets the focus."""
        if event.widget.id == "resource-group":
            self._load_resource_groups()

    def _show_resource_groups(self, groups: list[ResourceGroup] | Failed) -> None:
        verdict = self.query_one("#group-verdict", Verdict)
        if isinstance(groups, Failed):
            verdict.show_problem(groups.problem)
            return
        options = group_options(groups)
        if options == self._groups_listed:
            return  # read again as the list got the focus: nothing new
        self._groups_listed = options
        dropped = relist(self.query_one("#resource-group", Select), options)
        if dropped or verdict.state == "problem":
            self._check_group()  # the pick's group is gone, or an older read failed

    @on(Select.Changed, "#resource-group")
    def _group_chosen(self) -> None:
        self._check_group()

    def _check_group(self) -> ApiError | str | None:
        verdict = self.query_one("#group-verdict", Verdict)
        group = self._resource_group_id()
        if group is None:
            verdict.show_hint()
            return None
        self._group_problem = None  # an endpoint's word comes later; CreateKeyPair checks it anyway
        self.calls.check(
            "check-group",
            partial(self.backend.check_resource_group, group),
            partial(self._group_checked, group),
            rules=_no_rule,
            waiting=verdict.show_hint,
        )
        return self._group_problem

    def _group_checked(self, group: str, problem: ApiError | str | None) -> None:
        if group != self._resource_group_id():
            return
        self._group_problem = problem
        verdict = self.query_one("#group-verdict", Verdict)
        if problem is None:
            verdict.show_ok("✓")
        else:
            verdict.show_problem(problem)

    def _resource_group_id(self) -> str | None:
        value = self.query_one("#resource-group", Select).value
        return value if isinstance(value, str) else None

    # -- tags --

    async def action_add_tag(self) -> None:
        """The new row has the focus when this returns: the keys typed next go into its key."""
        row = await self.tag_editor.add_row()
        if row is not None:
            self._edited()
            row.key_input.focus()

    def action_remove_tag(self) -> None:
        row = self.tag_editor.row_of(self.focused)
        if row is not None:
            self._remove_tag_row(row)

    @on(TagRow.RemoveRequested)
    def _remove_clicked(self, event: TagRow.RemoveRequested) -> None:
        self._remove_tag_row(event.row)

    def _remove_tag_row(self, row: TagRow) -> None:
        following = self.tag_editor.remove_row(row)
        self._edited()
        (following or self.name_input).focus()

    # -- create --

    def _problems(self) -> list[tuple[Widget, str, ApiError | str]]:
        """Every field checked again, as the API will: (widget, label, problem), in form order."""
        self.name_field.touched = True
        found: list[tuple[Widget, str, ApiError | str]] = []
        name_problem = self.name_field.check()
        if name_problem:
            found.append((self.name_input, "KeyPairName", name_problem))
        if self.made_here:
            regions_problem = self._check_import_regions()
            if regions_problem:
                found.append((self.query_one("#import-regions"), "Import into", regions_problem))
            return found
        group_problem = self._check_group()
        if group_problem:
            found.append((self.query_one("#resource-group"), "Resource group", group_problem))
        for widget, problem in self.tag_editor.check_all():
            found.append((widget, problem.field or "Tag", problem))
        return found

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter belongs to a picker or a button when they have the focus; ctrl+r to a tag row."""
        focused = self.focused
        if action == "create":
            if self.busy:
                return None  # shown dimmed: one request at a time
            if enter_is_the_controls(focused):
                return False
        if action in ("add_tag", "remove_tag") and self.made_here:
            return None
        if action == "remove_tag" and self.tag_editor.row_of(focused) is None:
            return None  # dimmed until the focus is in a tag row
        return True

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        if self.busy or not self.is_current:
            return  # a second Enter while the key is being made: there is one request, not two
        status = self.query_one("#status", Verdict)
        problems = self._problems()
        if problems:
            widget, field, problem = problems[0]
            widget.focus()
            text = problem_text(problem)
            status.show_problem(f"{field}: {text}")
            return
        if self.made_here:
            self.busy = True
            self._make_here()
            return
        from ecs_keypair.contract.api_requests import (
            CreateKeyPairRequest,  # not needed for the first frame
        )

        request = CreateKeyPairRequest(
            self.region_id,
            self.name_input.value,
            self._resource_group_id(),
            tuple(self.tag_editor.tags),
        )
        self.busy = True
        self._create(request)

    def watch_busy(self, busy: bool) -> None:
        if self.is_whole:
            self.query_one("#form").disabled = busy
            self.query_one("#create", Button).disabled = busy

    def _create(self, request: CreateKeyPairRequest) -> None:
        """Off the event loop: RSA generation takes tens of milliseconds, a slow disk more, an
        endpoint up to its timeouts. Any failure is shown; the form keeps its input."""
        self.calls.run(
            "create",
            partial(self.backend.create_key_pair, request),
            self._create_answered,
            locally="worker",
            every_answer=True,
            waiting=partial(
                self.query_one("#status", Verdict).show_hint,
                f"Creating {request.key_pair_name} ({self.backend.backend_label})…",
            ),
        )

    def _make_here(self) -> None:
        """Off the event loop: an RSA key takes up to seconds, each region's import a request."""
        name = self.name_input.value
        key_type, bits = self._key_spec()
        regions = self.query_one("#import-regions", RegionPicker).picked
        from ecs_keypair.workflows.key_workflows import (
            make_key_here,  # cryptography: not for the first frame
        )

        self.calls.run(
            "create",
            partial(make_key_here, self.backend, name, ",".join(regions), key_type, bits),
            self._create_answered,
            locally="worker",
            every_answer=True,
            waiting=partial(
                self.query_one("#status", Verdict).show_hint,
                f"Making {name} here ({spec_label((key_type, bits))}), "
                f"then importing into {len(regions)} regions…",
            ),
        )

    def _create_answered(self, outcome: CreatedKeyPair | MadeHere | Failed) -> None:
        if isinstance(outcome, Failed):
            self._create_failed(outcome.problem)
        else:
            self._created(outcome)

    def _created(self, created: CreatedKeyPair | MadeHere) -> None:
        from ecs_keypair.contract.results import CreatedKeyPair  # not needed for the first frame

        self.busy = False
        status = self.query_one("#status", Verdict)
        if not isinstance(created, CreatedKeyPair):  # made here
            good = sum(result.ok for result in created.results)
            total = len(created.results)
            status.show_ok(f"Made {created.key_pair_name}: {good} / {total} regions.")
        else:
            status.show_ok(
                f"Created {created.record.key_pair_name} ({created.record.key_pair_id})."
            )
        self.post_message(self.KeyPairCreated(created))

    def _create_failed(self, problem: ApiError | str) -> None:
        self.busy = False
        status = self.query_one("#status", Verdict)
        target: Widget = self.name_input
        if isinstance(problem, ApiError):
            if problem.field is None and problem.code in FIELD_OF_CODE:
                problem = problem.at(FIELD_OF_CODE[problem.code])
            target = self._widget_for(problem)
            if problem.field == "KeyPairName":
                self.name_field.show(problem)
            elif problem.field == "RegionId":
                self.query_one("#region-count", Verdict).show_problem(problem)
            status.show_problem(f"{problem.field or 'CreateKeyPair'}: {problem_text(problem)}")
        else:
            status.show_problem(f"Not created: {problem}")
        target.focus()

    def _widget_for(self, problem: ApiError) -> Widget:
        field = problem.field or ""
        if field == "RegionId":
            return self.query_one("#region")
        if field == "ResourceGroupId":
            return self.query_one("#resource-group")
        if field.startswith("Tag."):
            rows = self.tag_editor.rows
            number_text = field.split(".")[1]
            if number_text.isdigit() and 1 <= int(number_text) <= len(rows):
                row = rows[int(number_text) - 1]
                return row.value_input if field.endswith("Value") else row.key_input
        return self.name_input

    def start_over(self) -> None:
        """A new key pair: an empty name and no tags; region and group stay as they were."""
        self.name_field.clear()
        self.tag_editor.clear()
        self.query_one("#status", Verdict).show_hint()
        self.name_input.focus()


def _field(label: str, picker: Widget, verdict: Verdict, classes: str = "") -> Horizontal:
    """One row of the form: its label, and the field with its verdict under it; ``classes``
    says which kind of key it belongs to (``by-ecs`` or ``here``) when not both."""
    return Horizontal(
        Label(label, classes="field-label"),
        Vertical(picker, verdict, classes="field-body"),
        classes=f"field {classes}".strip(),
    )


def _no_rule() -> None:
    """A resource group has no rule to judge without the backend: only it knows the groups."""
    return None
