"""The first screen: a CreateKeyPair request, checked at every keystroke with the engine's rules.

The name's verdict comes from ``service.check_name`` (the rules, then "already exists in this
region"); tags from ``rules.check_tag_key`` / ``check_tag_value`` / ``duplicate_tag_numbers``.
Enter checks every field again (an untouched field is not valid by default), focuses the first
problem, or creates the key pair in a thread with the form disabled, once.

On an endpoint no service call runs on the event loop (see :mod:`app.tui.service_calls`): the
rules' verdict is shown at once, "already exists" when the endpoint has answered, and Enter
leaves that part to CreateKeyPair itself, whose answer is the endpoint's final word.
"""

from __future__ import annotations

from functools import partial

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, LoadingIndicator, Select

from app.engine import errors, rules
from app.engine.backend import KeyPairBackend
from app.engine.errors import ApiError
from app.engine.records import ResourceGroup
from app.engine.regions import DEFAULT_REGION_ID, REGIONS, REGIONS_BY_ID
from app.engine.requests import CreateKeyPairRequest
from app.engine.results import CreatedKeyPair
from app.tui.preferences import Preferences
from app.tui.service_calls import Failed, ServiceCalls, attempt
from app.tui.widgets.checked_input import CheckedInput
from app.tui.widgets.tag_editor import TagEditor, TagRow
from app.tui.widgets.text_input import after_typed_keys
from app.tui.widgets.verdict import Verdict, problem_text

NAME_HINT = "2-128 characters: letters, digits, : _ -; a letter first"
GROUP_HINT = "optional: the default group when none is chosen"
REGION_OPTIONS = [
    (f"{region.region_id}  {region.local_name}", region.region_id) for region in REGIONS
]

# An endpoint's error names no parameter; these codes concern one field of the form.
FIELD_OF_CODE = {
    errors.INVALID_KEY_PAIR_NAME.code: "KeyPairName",
    errors.KEY_PAIR_ALREADY_EXIST.code: "KeyPairName",
    errors.INVALID_REGION_ID.code: "RegionId",
    errors.QUOTA_EXCEED_KEY_PAIR.code: "RegionId",
    errors.INVALID_RESOURCE_GROUP.code: "ResourceGroupId",
}


class CreateKeyPairScreen(Screen[None]):
    """KeyPairName, region, resource group and tags, with the API's verdict under each."""

    AUTO_FOCUS = "#name"
    BINDINGS = [
        # priority: Enter in any text field creates (check_action lets a Select keep its Enter);
        # ctrl+j is the Enter a terminal delivers when it was typed ahead, before the app started
        Binding(
            "enter,ctrl+j",
            "create",
            "Create",
            priority=True,
            tooltip="Check every field, then create",
        ),
        Binding("ctrl+t", "add_tag", "Add tag", tooltip="Add a tag row (at most 20)"),
        Binding("ctrl+r", "remove_tag", "Remove tag", tooltip="Remove the focused tag row"),
        Binding(
            "ctrl+o", "app.show_key_pairs", "Key pairs", tooltip="The key pairs of this region"
        ),
    ]

    class KeyPairCreated(Message):
        """CreateKeyPair succeeded: the app shows the results."""

        def __init__(self, created: CreatedKeyPair) -> None:
            super().__init__()
            self.created = created

    def __init__(self, service: KeyPairBackend, preferences: Preferences) -> None:
        super().__init__()
        self.service = service
        self.preferences = preferences
        remembered = preferences.region_id
        self.region_id = remembered if remembered in REGIONS_BY_ID else DEFAULT_REGION_ID
        self.name_touched = False
        self.busy = False
        self.tag_editor = TagEditor(id="tags")
        self.calls = ServiceCalls(self, service)
        self._typed_ahead = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            with Horizontal(classes="field"):
                yield Label("KeyPairName", classes="field-label")
                with Vertical(classes="field-body"):
                    yield CheckedInput(
                        self._name_typed, id="name", compact=True, placeholder="web-1"
                    )
                    yield Verdict(NAME_HINT, id="name-verdict")
            with Horizontal(classes="field"):
                yield Label("Region", classes="field-label")
                with Vertical(classes="field-body"):
                    yield Select(
                        REGION_OPTIONS,
                        value=self.region_id,
                        allow_blank=False,
                        compact=True,
                        id="region",
                    )
                    yield Verdict("", id="region-count")
            with Horizontal(classes="field"):
                yield Label("Resource group", classes="field-label")
                with Vertical(classes="field-body"):
                    yield Select[str](
                        [], prompt="Default Resource Group", compact=True, id="resource-group"
                    )
                    yield Verdict(GROUP_HINT, id="group-verdict")
            yield self.tag_editor
        with Horizontal(id="actions"):
            yield Button("Create key pair", id="create", variant="primary", compact=True)
            yield LoadingIndicator(id="busy")
            yield Verdict("Enter creates the key pair once every field is valid.", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._show_region_count()
        self._load_resource_groups()

    def on_screen_resume(self) -> None:
        """Back from the results or the key pairs list: the region's contents may have changed
        (and on an endpoint, listing its key pairs may have shown more resource groups)."""
        self._show_region_count()
        if self.name_touched:
            self._check_name()
        self._load_resource_groups()

    # -- typed ahead --

    def on_key(self, event: events.Key) -> None:
        """Characters typed ahead, before the name field had the focus, belong to the name.

        The app reads the terminal before the form is mounted and focused, and sends those keys
        here instead of to a field (by the time they are handled here, the name field may have
        the focus: a field never lets a character it got go further). Without this, a name
        typed right after ``ecs-keypair`` would be lost.
        """
        if self.busy or not (event.is_printable and event.character):
            return  # while the key pair is being made, the form takes no typing
        if self.focused is None or isinstance(self.focused, Input):
            event.stop()
            self._typed_ahead += event.character
            self._type_ahead_into_name()
            if self._typed_ahead:  # the field is not mounted yet
                self.call_after_refresh(self._type_ahead_into_name)

    def _type_ahead_into_name(self) -> None:
        found = self.query("#name").results(Input)
        name = next(found, None)
        if self._typed_ahead and name is not None and name.is_mounted:
            text, self._typed_ahead = self._typed_ahead, ""
            name.insert_text_at_cursor(text)

    # -- live checks --

    @property
    def name_input(self) -> Input:
        return self.query_one("#name", Input)

    def _name_typed(self, value: str) -> None:
        if not value and not self.name_touched:
            return  # the form was cleared for a new key pair: nothing typed yet
        self.name_touched = True
        self._check_name()

    def _check_name(self) -> ApiError | str | None:
        """Show the verdict on the name as typed; return the problem, if any."""
        verdict = self.query_one("#name-verdict", Verdict)
        name = self.name_input.value
        if not self.name_touched:
            verdict.show_hint()
            self.name_input.remove_class("-invalid")
            return None
        problem: ApiError | str | None
        if self.calls.remote:
            problem = rules.check_key_pair_name(name) or rules.check_region_id(self.region_id)
            if problem is None:
                verdict.show_hint(f"checking whether {self.region_id} has it…")
                self.name_input.remove_class("-invalid")
                self.calls.run(
                    "check-name",
                    partial(self.service.check_name, self.region_id, name),
                    partial(self._name_checked, self.region_id, name),
                )
                return None
        else:
            problem = _problem(attempt(partial(self.service.check_name, self.region_id, name)))
        self._show_name_verdict(problem)
        return problem

    def _name_checked(self, region_id: str, name: str, outcome: ApiError | Failed | None) -> None:
        """The endpoint's verdict, if the field and the region still hold what it was asked."""
        still_asked = (region_id, name) == (self.region_id, self.name_input.value)
        if self.name_touched and still_asked:
            self._show_name_verdict(_problem(outcome))

    def _show_name_verdict(self, problem: ApiError | str | None) -> None:
        verdict = self.query_one("#name-verdict", Verdict)
        self.name_input.set_class(problem is not None, "-invalid")
        if problem is None:
            verdict.show_ok(f"✓ free in {self.region_id}")
        else:
            verdict.show_problem(problem)

    @on(Input.Changed)
    def _edited(self) -> None:
        """Whatever was wrong at the last Enter is being fixed: the verdicts under the fields say
        how it stands now, and the line by the button stops repeating the old problem."""
        status = self.query_one("#status", Verdict)
        if status.state == "problem":
            status.show_hint()

    @on(Select.Changed, "#region")
    def _region_chosen(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value == self.region_id:
            return
        self.region_id = event.value
        try:
            self.preferences.remember_region(self.region_id)
        except OSError as exc:
            self.notify(
                f"The region could not be remembered for next time: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )
        self._show_region_count()
        if self.name_touched or self.name_input.value:
            self.name_touched = True
            self._check_name()

    def _show_region_count(self) -> None:
        """The chosen region only: counting is one cached read, never a scan of every region
        (on an endpoint, one listing of the region, which also tells later name checks)."""
        if self.calls.remote:
            self.query_one("#region-count", Verdict).show_hint(
                f"counting the key pairs in {self.region_id}…"
            )
        self.calls.run(
            "count",
            partial(self.service.count_key_pairs, self.region_id),
            partial(self._region_counted, self.region_id),
        )

    def _region_counted(self, region_id: str, count: int | Failed) -> None:
        if region_id != self.region_id:
            return  # another region was chosen meanwhile; its own count is on the way
        line = self.query_one("#region-count", Verdict)
        if isinstance(count, Failed):
            line.show_problem(count.problem)
            return
        quota = self.service.quota
        text = f"{count} / {quota} key pairs in {self.region_id}"
        if count >= quota:
            line.show_problem(f"{text}: the region is full · {errors.QUOTA_EXCEED_KEY_PAIR.code}")
        else:
            line.show_hint(text)

    def _load_resource_groups(self) -> None:
        """Off the event loop even locally: the first run creates the default group (a write)."""
        self.calls.run(
            "resource-groups",
            self.service.resource_groups,
            self._show_resource_groups,
            locally="worker",
        )

    def _show_resource_groups(self, groups: list[ResourceGroup] | Failed) -> None:
        if isinstance(groups, Failed):
            self.query_one("#group-verdict", Verdict).show_problem(groups.problem)
            return
        select: Select[str] = self.query_one("#resource-group", Select)
        chosen = select.value
        select.set_options([(f"{group.display_name}  {group.id}", group.id) for group in groups])
        if isinstance(chosen, str) and any(group.id == chosen for group in groups):
            select.value = chosen

    @on(Select.Changed, "#resource-group")
    def _group_chosen(self) -> None:
        self._check_group()

    def _check_group(self) -> ApiError | str | None:
        verdict = self.query_one("#group-verdict", Verdict)
        group = self._resource_group_id()
        if group is None:
            verdict.show_hint()
            return None
        if self.calls.remote:  # the endpoint's word comes later; CreateKeyPair checks it anyway
            self.calls.run(
                "check-group",
                partial(self.service.check_resource_group, group),
                partial(self._group_checked, group),
            )
            return None
        problem = _problem(attempt(partial(self.service.check_resource_group, group)))
        self._show_group_verdict(problem)
        return problem

    def _group_checked(self, group: str, outcome: ApiError | Failed | None) -> None:
        if group == self._resource_group_id():
            self._show_group_verdict(_problem(outcome))

    def _show_group_verdict(self, problem: ApiError | str | None) -> None:
        verdict = self.query_one("#group-verdict", Verdict)
        if problem is None:
            verdict.show_ok("✓")
        else:
            verdict.show_problem(problem)

    def _resource_group_id(self) -> str | None:
        value = self.query_one("#resource-group", Select).value
        return value if isinstance(value, str) else None

    # -- tags --

    def action_add_tag(self) -> None:
        self.tag_editor.add_row()

    def action_remove_tag(self) -> None:
        editor = self.tag_editor
        row = editor.row_of(self.focused)
        if row is None:
            return
        following = editor.remove_row(row)
        (following or self.name_input).focus()

    @on(TagRow.RemoveRequested)
    def _remove_clicked(self, event: TagRow.RemoveRequested) -> None:
        following = self.tag_editor.remove_row(event.row)
        (following or self.name_input).focus()

    # -- create --

    def _problems(self) -> list[tuple[Widget, str, ApiError | str]]:
        """Every field checked again, as the API will: (widget, label, problem), in form order."""
        self.name_touched = True
        found: list[tuple[Widget, str, ApiError | str]] = []
        name_problem = self._check_name()
        if name_problem:
            found.append((self.name_input, "KeyPairName", name_problem))
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
            if focused is not None and (
                isinstance(focused, Button)
                or any(isinstance(node, Select) for node in focused.ancestors_with_self)
            ):
                return False
        if action == "remove_tag" and self.tag_editor.row_of(focused) is None:
            return None  # dimmed until the focus is in a tag row
        return True

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        after_typed_keys(self, self._check_and_create)

    def _check_and_create(self) -> None:
        if self.busy or not self.is_current:
            return  # a second Enter while the key is being made: there is one request, not two
        self._type_ahead_into_name()  # a name and Enter typed before the form had the focus
        status = self.query_one("#status", Verdict)
        problems = self._problems()
        if problems:
            widget, field, problem = problems[0]
            widget.focus()
            text = problem if isinstance(problem, str) else problem_text(problem)
            status.show_problem(f"{field}: {text}")
            return
        request = CreateKeyPairRequest(
            self.region_id,
            self.name_input.value,
            self._resource_group_id(),
            tuple(self.tag_editor.tags),
        )
        self._set_busy(True)
        if self.calls.remote:
            status.show_hint(
                f"Asking the {self.service.backend_label} to create {request.key_pair_name}…"
            )
        else:
            status.show_hint(f"Generating a 2048-bit RSA key for {request.key_pair_name}…")
        self._create(request)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.set_class(busy, "-busy")
        self.query_one("#form").disabled = busy
        self.query_one("#create", Button).disabled = busy
        self.refresh_bindings()

    def _create(self, request: CreateKeyPairRequest) -> None:
        """Off the event loop: RSA generation takes tens of milliseconds, a slow disk more, an
        endpoint up to its timeouts. Any failure is shown; the form keeps its input."""
        self.calls.run(
            "create",
            partial(self.service.create_key_pair, request),
            self._create_answered,
            locally="worker",
            every_answer=True,
        )

    def _create_answered(self, outcome: CreatedKeyPair | Failed) -> None:
        if isinstance(outcome, Failed):
            self._create_failed(outcome.problem)
        else:
            self._created(outcome)

    def _created(self, created: CreatedKeyPair) -> None:
        self._set_busy(False)
        self.query_one("#status", Verdict).show_ok(
            f"Created {created.record.key_pair_name} ({created.record.key_pair_id})."
        )
        self.post_message(self.KeyPairCreated(created))

    def _create_failed(self, problem: ApiError | str) -> None:
        self._set_busy(False)
        status = self.query_one("#status", Verdict)
        target: Widget = self.name_input
        if isinstance(problem, ApiError):
            if problem.field is None and problem.code in FIELD_OF_CODE:
                problem = problem.at(FIELD_OF_CODE[problem.code])
            target = self._widget_for(problem)
            if problem.field == "KeyPairName":
                self._show_name_verdict(problem)
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
        self.name_touched = False
        self.name_input.value = ""
        self._check_name()  # untouched: back to the hint
        self.tag_editor.clear()
        self.query_one("#status", Verdict).show_hint()
        self.name_input.focus()


def _problem(outcome: ApiError | Failed | None) -> ApiError | str | None:
    """A check's verdict: its problem, or what kept it from answering."""
    return outcome.problem if isinstance(outcome, Failed) else outcome
