"""A region's key pairs: a table filtered as you type, delete after a yes, import a public key,
edit a key pair's tags and group, rotate a key pair across its instances, show another
region's.

The screen talks to a :class:`KeyPairBackend` with typed requests, so either backend (the local
store, an endpoint) fills the same table; every call goes through BackendCalls, so an endpoint's
wait never freezes the screen. Reading a public key file happens here, in the import call this
screen hands to the dialog; the dialog itself touches no file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from ecs_keypair.contract import errors
from ecs_keypair.contract.api_requests import DeleteKeyPairsRequest, ImportKeyPairRequest
from ecs_keypair.contract.backend import KeyPairBackend, MirrorStatus
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.records import KeyPairRecord, ResourceGroup
from ecs_keypair.contract.regions import REGIONS_BY_ID
from ecs_keypair.contract.results import ImportedKeyPair
from ecs_keypair.contract.text_safety import visible
from ecs_keypair.keys.key_scan import UnreadableFile, read_named_file
from ecs_keypair.store.saved_keys import SavedKeys
from ecs_keypair.tui.backend_calls import BackendCalls, Failed, attempt
from ecs_keypair.tui.key_pair_columns import Column, plan_columns, row_cells
from ecs_keypair.tui.key_pair_instances import (
    RegionInstances,
    instances_lines,
    not_shown_line,
    read_region_instances,
)
from ecs_keypair.tui.key_rotation import rotate
from ecs_keypair.tui.local_keys import LocalKeys, find_local_keys, local_key_text, no_local_keys
from ecs_keypair.tui.outside_text import STAND_INS
from ecs_keypair.tui.preferences import Preferences
from ecs_keypair.tui.screens.choose_region import ChooseRegionDialog
from ecs_keypair.tui.screens.confirm import ConfirmDialog
from ecs_keypair.tui.screens.copy_key_pair import CopyKeyPairDialog
from ecs_keypair.tui.screens.edit_key_pair import EditKeyPairDialog
from ecs_keypair.tui.screens.import_key_pair import (
    Imported,
    ImportKeyPairDialog,
    public_key_path,
)
from ecs_keypair.tui.screens.key_pair_everywhere import KeyPairEverywhereDialog
from ecs_keypair.tui.screens.rotate_key_pair import RotateKeyPairDialog
from ecs_keypair.tui.styles import stylesheet
from ecs_keypair.tui.textual_compat import FittingFooter, HoldingScreen
from ecs_keypair.tui.widgets.verdict import problem_text
from ecs_keypair.workflows.multi_region import RegionResult, copy_key_pair
from ecs_keypair.workflows.rotation import Rotation

# About 12 ms of DataTable work per 500 rows here: one batch fits in a frame.
ROWS_PER_BATCH = 500

FILTER_PLACEHOLDER = "Filter: web finds names containing web; web* and *-prod are patterns"

REGION_HINT = "g: another region"

DETAILS_LEAST = 4  # lines of the details under the table, on a terminal of 18 lines
DETAILS_MORE = 6  # and from 24 lines: long tags and a private key's path both fit
DETAILS_MORE_FROM = 24
DETAILS_MOST = 9  # and from 36 lines: a few more of the key pair's instances
DETAILS_MOST_FROM = 36
DETAILS_FIXED = 3  # the details' lines besides the instances: about, tags, private key


def details_height(terminal_height: int) -> int:
    """The most lines the details under the table take on a terminal this tall."""
    if terminal_height >= DETAILS_MOST_FROM:
        return DETAILS_MOST
    return DETAILS_MORE if terminal_height >= DETAILS_MORE_FROM else DETAILS_LEAST


def name_filter(typed: str) -> str | None:
    """The DescribeKeyPairs ``KeyPairName`` for what the user typed in the filter.

    With a ``*`` the text is the API's own pattern (``web*``, ``*-prod``, ``*db*``): anchored at
    both ends, ``*`` for any run of characters. Without one, the user is searching, not naming
    exactly: ``web`` finds every name that contains ``web`` (sent as ``*web*``). Case matters, as
    it does for the API.
    """
    text = typed.strip()
    if not text:
        return None
    return text if "*" in text else f"*{text}*"


def tags_text(record: KeyPairRecord) -> str:
    return ", ".join(f"{tag.key}={tag.value}" for tag in record.tags)


def read_public_key(source: str) -> str | ApiError:
    """The PublicKeyBody for what was typed: the line itself, or the content of the file it names.

    A file that cannot be read gives ``InvalidPublicKeyBody.Malformed`` naming the path and the
    reason: the request would carry no usable public key body.
    """
    path = public_key_path(source)
    if path is None:
        return source.strip()
    bad = errors.INVALID_PUBLIC_KEY_BODY
    shown = source.strip()
    try:  # looked at before it is opened: a FIFO or a device is refused, never opened
        raw = read_named_file(path)
    except UnreadableFile as exc:
        return bad.at("PublicKeyBody", f"cannot read {shown}: {exc.reason}")
    text = raw.decode("utf-8", errors="replace")
    if "PRIVATE KEY" in text:
        return bad.at("PublicKeyBody", f"{shown} is a private key: choose its .pub file")
    return text


def summary_text(
    width: int,
    region_id: str,
    counts: str,
    local_name: str | None = None,
    offline: str | None = None,
) -> Text:
    """``Key pairs · cn-hangzhou China (Hangzhou) · 5 / 500 used · g: another region`` in
    ``width`` cells: the region's local name (the backend's, else the built-in list's), then
    the hint, give way when it is too long.

    ``offline`` (``as of 14:02, cn-hangzhou unreachable``: the rows are the mirror's) comes
    after the counts, and stays when nothing else fits: it names the region itself."""
    if local_name is None:
        known = REGIONS_BY_ID.get(region_id)
        local_name = known.local_name if known else ""
    places = [f"{region_id} {local_name}", region_id] if local_name else [region_id]
    hints = (f" · {REGION_HINT}", "")
    age = f" · {visible(offline)}" if offline else ""
    lines = [f" · {visible(place)} · {counts}{age}{hint}" for hint in hints for place in places]
    if offline:
        lines.append(age)
    line = next((each for each in lines if cell_len("Key pairs" + each) <= width), lines[-1])
    return Text.assemble(("Key pairs", "bold"), line)


def empty_text(region_id: str, typed: str, total: int) -> str:
    """What an empty table means, and the keys that fill it."""
    if total:
        return f"No key pair matches '{visible(typed.strip())}' — esc clears the filter"
    return (
        f"{region_id} has no key pairs yet.\n"
        "Press i to import a public key, g to look in another region, or escape to create one."
    )


_NOT_LOADED = object()  # no rows on screen yet, or rows of a region or filter since changed


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What one load of the table brought back from the backend."""

    rows: list[KeyPairRecord]
    total: int
    groups: dict[str, str]
    offline: str | None  # the rows are the mirror's, the endpoint unreachable: how old they are
    instances: RegionInstances | Failed | None  # None: not asked for (those shown are current)


class KeyPairsScreen(HoldingScreen[None]):
    """A region's key pairs; dismissed (with None) on escape so the caller can refresh counts.

    An action on the highlighted row (delete, edit, copy, where) pressed while the table is
    still being read for the filter as typed (or the region just picked) waits for that table,
    and the keys after it wait too: ``/db`` Enter ``d`` ``y`` typed together deletes ``db-1``,
    not the row that was highlighted before the filter had been applied.
    """

    CSS_PATH = stylesheet("key_pairs.tcss")
    AUTO_FOCUS = "#key-pairs"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by name (* is a wildcard)",
                id="key-pairs.filter"),
        # the filter binds no down: from there it goes to the table, as Enter does
        Binding("down", "focus_table", "Table", show=False, id="key-pairs.focus-table"),
        Binding("d", "delete", "Delete", tooltip="Delete the highlighted key pair",
                id="key-pairs.delete"),
        Binding("i", "import_key", "Import", tooltip="Import an OpenSSH public key",
                id="key-pairs.import"),
        Binding("t", "edit", "Edit", tooltip="Edit the highlighted key pair's tags and group",
                id="key-pairs.edit"),
        # not in the Footer (every key there fits at 80 columns), still in the palette
        Binding("r", "refresh", "Refresh", tooltip="Read the region's key pairs again", show=False,
                id="key-pairs.refresh"),
        Binding("c", "copy_key_pair", "Copy", tooltip="Copy the key pair into other regions",
                id="key-pairs.copy"),
        Binding("w", "everywhere", "Where", tooltip="Which regions hold this name or key",
                id="key-pairs.where"),
        Binding("R", "rotate", "Rotate",
                tooltip="Move the highlighted key pair's instances to a new key pair",
                id="key-pairs.rotate"),
        Binding("escape", "back", "Back", tooltip="Back to the form (in the filter: clear it)",
                id="key-pairs.back"),
        # not in the Footer either (no room at 80 columns): the summary line names it when
        # there is room for it, the palette and F1 always
        Binding(
            "g", "choose_region", "Region", show=False, id="key-pairs.region",
            tooltip="Show the key pairs of another region",
        ),
    ]

    def __init__(
        self, backend: KeyPairBackend, region_id: str, data_home: Path | None = None
    ) -> None:
        super().__init__()
        self.backend = backend
        self.region_id = region_id
        self.saved_keys = SavedKeys(data_home) if data_home is not None else None
        """Where this machine saved private keys (None: not known here)."""
        self.calls = BackendCalls(self, backend)
        self._records: dict[str, KeyPairRecord] = {}
        self._groups: dict[str, str] = {}
        self._total = 0  # key pairs in the region, whatever the filter
        self._offline: str | None = None  # the rows are the mirror's: how old they are
        self._columns: tuple[Column, ...] = ()
        self._instances: RegionInstances | Failed | None = None  # the region's, once read
        self._instances_of: str | None = None  # the region they were read for (None: read again)
        self._details_height = DETAILS_LEAST
        self._select_after_load: str | None = None
        self._generation = 0
        self._asked: tuple[str, str | None] = (region_id, None)  # the newest load asked for
        self._shown: object = _NOT_LOADED  # what the rows on screen were read for
        self._after_load: list[Callable[[], None]] = []
        self._local_keys: LocalKeys | None = None  # ~/.ssh and beside imported files, once read
        self._imported_from: set[Path] = set()  # public key files imported from on this screen

    # -- layout --

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Input(
            placeholder=FILTER_PLACEHOLDER, id="filter", compact=True, highlighter=STAND_INS
        )
        table: DataTable[Text] = DataTable(id="key-pairs", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="empty")
        yield Static(id="details")
        yield FittingFooter(first=("escape", "slash", "d", "i", "ctrl+q"))

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self._lay_out_columns()
        self._load()
        self._scan_local_keys()

    def on_resize(self, event: events.Resize) -> None:
        """Columns that fit the new width (a whole column more or less), and the summary."""
        wanted, line = self._highlighted_name(), self.query_one(DataTable).cursor_row
        if self._lay_out_columns():
            self._fill_table(wanted, line)
        # the details may take more lines when the table keeps a dozen rows all the same
        self._details_height = details_height(event.size.height)
        self.query_one("#details").styles.max_height = self._details_height
        if self._shown is not _NOT_LOADED:
            self._show_summary(len(self._records), self._total)
            self._show_details()

    def _lay_out_columns(self) -> bool:
        """Plan the table's columns for its width and the rows it holds; True if they changed."""
        table = self.query_one("#key-pairs", DataTable)
        room = self.size.width - table.styles.gutter.width - table.styles.scrollbar_size_vertical
        records = self._records.values()
        columns = plan_columns(
            room,
            (visible(record.key_pair_name) for record in records),
            (visible(self._group_of(record)) for record in records),
            (visible(tags_text(record)) for record in records),
            instances=self._counts() is not None,
        )
        if columns == self._columns:
            return False
        self._columns = columns
        table.clear(columns=True)
        for column in columns:
            table.add_column(column.label, width=column.width, key=column.key)
        return True

    # -- loading (off the event loop: a big region, or an endpoint, never freezes the screen) --

    def _load(self) -> None:
        """Read the region's key pairs that pass the filter as it is now, and its instances
        unless those of this region are on screen already: a filter typed over an endpoint
        lists no instances again."""
        asked = (self.region_id, name_filter(self.query_one("#filter", Input).value))
        self._asked = asked
        self._shown = _NOT_LOADED
        loaded = partial(self._loaded, asked)
        with_instances = self._instances_of != self.region_id
        read = partial(self._read, *asked, with_instances)
        self.calls.run("load", read, loaded, locally="worker")

    def _read(self, region_id: str, pattern: str | None, with_instances: bool) -> _Loaded:
        """The backend calls behind one load (in a thread). The instances are asked for last,
        and a failure there (an endpoint without them, a user not allowed them) is kept as a
        value: the key pairs are shown either way."""
        rows = self.backend.find_key_pairs(region_id, key_pair_name=pattern)
        total = self.backend.count_key_pairs(region_id)
        groups = {group.id: group.name for group in self.backend.resource_groups()}
        mirror = self.backend if isinstance(self.backend, MirrorStatus) else None
        offline = mirror.offline_note(region_id) if mirror else None
        instances: RegionInstances | Failed | None = None
        if with_instances:  # not while the endpoint is unreachable: that is a second timeout
            instances = Failed(offline) if offline else attempt(
                partial(read_region_instances, self.backend, region_id)
            )
        return _Loaded(rows, total, groups, offline, instances)

    def _loaded(self, asked: tuple[str, str | None], outcome: _Loaded | Failed) -> None:
        if asked[0] != self.region_id:
            return  # the region shown before another was picked: its own load is on the way
        if isinstance(outcome, Failed):
            self._show_problem(outcome.problem)
        else:
            self._show_rows(outcome)
        if asked != self._asked:
            return  # an older filter's answer: a newer load is on its way
        self._shown = self._asked
        waiting, self._after_load = self._after_load, []
        for action in waiting:
            if not isinstance(outcome, Failed):  # no rows to act on: the problem is on screen
                action()
            self.release_input()

    def _on_loaded_rows(self, action: Callable[[], None]) -> None:
        """Run a row action on the table the filter as typed asks for: now, or once it is read
        (holding the keys typed after it until then)."""
        if self._shown == self._asked:
            action()
            return
        self._after_load.append(action)
        self.hold_input()

    def _show_rows(self, loaded: _Loaded) -> None:
        """Show the rows, keeping the cursor on the same key pair (or the same line, if it went)."""
        wanted = self._select_after_load or self._highlighted_name()
        line = self.query_one("#key-pairs", DataTable).cursor_row
        self._select_after_load = None
        self._records = {record.key_pair_name: record for record in loaded.rows}
        self._groups = loaded.groups
        self._total = loaded.total
        self._offline = loaded.offline
        if loaded.instances is not None:
            self._instances, self._instances_of = loaded.instances, self.region_id
        if loaded.rows:  # a filter that matches nothing keeps the columns as they were
            self._lay_out_columns()
        self._fill_table(wanted, line)
        self._show_summary(len(loaded.rows), loaded.total)
        self._show_empty(len(loaded.rows), loaded.total)
        self._show_details()

    def _fill_table(self, wanted: str | None, line: int) -> None:
        """The rows of ``_records`` in the table, the cursor on ``wanted`` or else on ``line``."""
        table = self.query_one("#key-pairs", DataTable)
        self._generation += 1
        table.clear()
        names = list(self._records)
        cursor = names.index(wanted) if wanted in self._records else min(line, len(names) - 1)
        rows = list(self._records.values())
        self._add_rows(self._generation, rows, 0, max(cursor, 0))

    def _add_rows(
        self, generation: int, rows: list[KeyPairRecord], start: int, cursor: int | None
    ) -> None:
        """Fill the table a batch at a time, so keys and repaints get in between batches."""
        if generation != self._generation:
            return  # a newer load replaced these rows
        table = self.query_one("#key-pairs", DataTable)
        end = start + ROWS_PER_BATCH
        for record in rows[start:end]:
            table.add_row(*self._cells(record), key=record.key_pair_name)
        if cursor is not None and cursor < table.row_count:
            table.move_cursor(row=cursor, animate=False)
            cursor = None
        if end < len(rows):
            self.call_later(self._add_rows, generation, rows, end, cursor)

    def _group_of(self, record: KeyPairRecord) -> str:
        """The name of the key pair's resource group (its id, if the group is not listed)."""
        return self._groups.get(record.resource_group_id, record.resource_group_id)

    def _counts(self) -> RegionInstances | None:
        """The instances to count in the table: read, and the region has some."""
        instances = self._instances
        return instances if isinstance(instances, RegionInstances) and instances.records else None

    def _cells(self, record: KeyPairRecord) -> tuple[Text, ...]:
        counts = self._counts()
        count = counts.count(record.key_pair_name) if counts else 0
        return row_cells(self._columns, record, self._group_of(record), tags_text(record), count)

    def _show_summary(self, shown: int, total: int) -> None:
        """Which region, how full it is, and how many rows the filter lets through."""
        counts = f"{total} / {self.backend.quota} used"
        if self.query_one("#filter", Input).value.strip():
            counts += f" · {shown} match"
        summary = self.query_one("#summary", Static)
        width = self.size.width - summary.styles.gutter.width
        names = {region.region_id: region.local_name for region in self.backend.regions(False)}
        summary.update(
            summary_text(width, self.region_id, counts, names.get(self.region_id), self._offline)
        )

    def _show_empty(self, shown: int, total: int) -> None:
        """Say why the table is empty; the table stays (header only) so it keeps the focus."""
        empty = self.query_one("#empty", Static)
        table = self.query_one("#key-pairs", DataTable)
        table.set_class(shown == 0, "-empty")
        empty.display = shown == 0
        self.query_one("#details").display = shown > 0
        if not shown:
            typed = self.query_one("#filter", Input).value
            empty.update(Text(empty_text(self.region_id, typed, total)))

    def _show_problem(self, problem: ApiError | str) -> None:
        self._records = {}
        table = self.query_one("#key-pairs", DataTable)
        table.clear()
        table.add_class("-empty")
        empty = self.query_one("#empty", Static)
        empty.update(Text(f"The key pairs could not be read: {problem_text(problem)}"))
        empty.display = True
        self.query_one("#details").display = False

    def _highlighted_name(self) -> str | None:
        table = self.query_one("#key-pairs", DataTable)
        if not self._records or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    @on(DataTable.RowHighlighted, "#key-pairs")
    def _show_details(self) -> None:
        details = self.query_one("#details", Static)
        name = self._highlighted_name()
        record = self._records.get(name) if name else None
        if record is None:
            details.update("")
            return
        group = self._groups.get(record.resource_group_id, "")
        created = record.creation_time
        about = Text.assemble(
            (visible(record.key_pair_name), "bold"),
            visible(f" · group {group} ({record.resource_group_id}) · created {created}"),
        )
        # one line (cut with … on a narrow terminal): the tags and the private key's path
        # keep the room
        width = self.size.width - details.styles.gutter.width
        about.truncate(width, overflow="ellipsis")
        tags = Text(visible(f"tags {tags_text(record) or 'none'}"))
        saved = self.saved_keys.places(record.fingerprint) if self.saved_keys else []
        local = Text(visible(local_key_text(record, self._local_keys, saved)))
        instances = self._instances_lines(record.key_pair_name, width)
        details.update(Text("\n").join((about, tags, *instances, local)))

    def _instances_lines(self, name: str, width: int) -> list[Text]:
        """The details' lines on the key pair's instances, or why they are not shown."""
        if isinstance(self._instances, Failed):
            return [not_shown_line(problem_text(self._instances.problem), width)]
        if self._instances is None:
            return []
        room = self._details_height - DETAILS_FIXED
        return instances_lines(name, self._instances, width, room)

    # -- the private keys on this machine --

    def _scan_local_keys(self) -> None:
        """Read ~/.ssh (and beside the files imported from) again, in a thread: the details
        say "looking" until it is done."""
        self._local_keys = None
        self._show_details()
        scan = partial(find_local_keys, tuple(self._imported_from))
        self.calls.run("scan", scan, self._scanned, locally="thread")

    def _scanned(self, outcome: LocalKeys | Failed) -> None:
        self._local_keys = no_local_keys() if isinstance(outcome, Failed) else outcome
        self._show_details()

    # -- filtering --

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._load()

    @on(Input.Submitted, "#filter")
    def action_focus_table(self) -> None:
        self.query_one("#key-pairs", DataTable).focus()

    # -- actions --

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_refresh(self) -> None:
        """The region's key pairs and instances and the private key files on this machine,
        read again."""
        self._instances_of = None
        self._load()
        self._scan_local_keys()

    def action_back(self) -> None:
        """Escape in a filter that holds text clears it (the table shows every key pair again),
        and so it does anywhere while the filter hides every row (the empty table says so);
        otherwise, back to the form."""
        search = self.query_one("#filter", Input)
        hides_all = not self._records and self._total > 0
        if search.value and (self.focused is search or hides_all):
            search.value = ""
            return
        self.dismiss(None)

    def action_choose_region(self) -> None:
        regions = self.backend.regions(refresh=False)  # the form has asked the endpoint
        self.app.push_screen(ChooseRegionDialog(self.region_id, regions), self._region_chosen)

    def _region_chosen(self, region_id: str | None) -> None:
        """The picked region's key pairs (the filter kept), remembered as the form's region
        is: the next run starts there."""
        if region_id is None or region_id == self.region_id:
            return
        self.region_id = region_id
        self._load()
        preferences = getattr(self.app, "preferences", None)
        if not isinstance(preferences, Preferences):
            return
        try:
            preferences.remember_region(region_id)
        except OSError as exc:  # a preference: the screen goes on without it
            self.notify(
                f"The region could not be remembered for next time: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )

    def action_delete(self) -> None:
        self._on_loaded_rows(self._delete)

    def _delete(self) -> None:
        name = self._highlighted_name()
        if name is None:
            self.notify("There is no key pair to delete here.", severity="warning")
            return
        question = f"{name} will be removed from {self.region_id}. This cannot be undone."
        self.app.push_screen(
            ConfirmDialog("Delete this key pair?", question, yes="Delete", no="Keep"),
            partial(self._delete_answered, name),
        )

    def _delete_answered(self, name: str, yes: bool | None) -> None:
        if yes:
            request = DeleteKeyPairsRequest(self.region_id, (name,))
            delete = partial(self.backend.delete_key_pairs, request)
            self.calls.run("delete", delete, partial(self._deleted, name), every_answer=True)

    def _deleted(self, name: str, outcome: object) -> None:
        if isinstance(outcome, Failed):
            problem = problem_text(outcome.problem)
            self.notify(problem, title="Not deleted", severity="error", markup=False)
            return
        self.notify(f"Deleted {name} from {self.region_id}.", markup=False)
        self._load()

    def action_edit(self) -> None:
        self._on_loaded_rows(self._edit)

    def _edit(self) -> None:
        """The tags and group of the highlighted key pair, in a dialog (the groups known now)."""
        name = self._highlighted_name()
        record = self._records.get(name) if name else None
        if record is None:
            self.notify("There is no key pair to edit here.", severity="warning")
            return
        groups = [ResourceGroup(gid, gname, gname, "") for gid, gname in self._groups.items()]
        dialog = EditKeyPairDialog(self.backend, record, groups)
        self.app.push_screen(dialog, partial(self._edited, record.key_pair_name))

    def _edited(self, name: str, saved: bool | None) -> None:
        if saved:
            self.notify(f"Saved the tags and group of {name}.", markup=False)
            self._select_after_load = name
            self._load()

    def action_import_key(self) -> None:
        dialog = ImportKeyPairDialog(self.backend, self.region_id, self._import_key)
        self.app.push_screen(dialog, self._imported)

    def _import_key(self, name: str, source: str) -> ImportedKeyPair:
        """The import as the dialog runs it (off the event loop on an endpoint).

        The name first, as the API checks it first; then the key, read here from the file when
        a path was given; then ImportKeyPair. A problem is raised as the API's error.
        """
        problem = self.backend.check_name(self.region_id, name)
        if problem is not None:
            raise ApiException(problem)
        body = read_public_key(source)
        if isinstance(body, ApiError):
            raise ApiException(body)
        return self.backend.import_key_pair(ImportKeyPairRequest(self.region_id, name, body))

    def _imported(self, imported: Imported | None) -> None:
        """The new key pair highlighted, and its private key looked for again: in ~/.ssh (made
        since the screen opened, perhaps) and beside the public key file it came from."""
        if imported is None:
            return
        answer = imported.answer
        name = answer.key_pair_name
        self.notify(
            f"Imported {name} into {self.region_id} (MD5 {answer.fingerprint}).", markup=False
        )
        if imported.key_file is not None:
            self._imported_from.add(imported.key_file)
        self._select_after_load = name
        self._load()
        self._scan_local_keys()

    # -- many regions --

    def _highlighted_record(self) -> KeyPairRecord | None:
        name = self._highlighted_name()
        record = self._records.get(name) if name else None
        if record is None:
            self.notify("There is no key pair here.", severity="warning")
        return record

    def action_copy_key_pair(self) -> None:
        self._on_loaded_rows(self._copy_key_pair)

    def _copy_key_pair(self) -> None:
        if (record := self._highlighted_record()) is not None:
            copy = partial(copy_key_pair, self.backend, record.key_pair_name, self.region_id)
            dialog = CopyKeyPairDialog(self.backend, self.region_id, record.key_pair_name, copy)
            self.app.push_screen(dialog, self._copied)

    def _copied(self, results: list[RegionResult] | None) -> None:
        if results:
            done = ", ".join(f"{result.region_id} {result.outcome}" for result in results)
            self.notify(f"Copied: {done}.", markup=False)

    def action_everywhere(self) -> None:
        self._on_loaded_rows(self._everywhere)

    def _everywhere(self) -> None:
        if (record := self._highlighted_record()) is not None:
            self.app.push_screen(KeyPairEverywhereDialog(self.backend, record))

    # -- its instances --

    def action_rotate(self) -> None:
        self._on_loaded_rows(self._rotate)

    def _rotate(self) -> None:
        if (record := self._highlighted_record()) is not None:
            name = record.key_pair_name
            run = partial(rotate, self.backend, self.region_id, name, saved_keys=self.saved_keys)
            dialog = RotateKeyPairDialog(self.backend, self.region_id, name, run)
            self.app.push_screen(dialog, self._rotated)

    def _rotated(self, rotation: Rotation | None) -> None:
        """The table, the instances and the private keys read again: the new key pair is in
        the table and highlighted, the counts moved, the old one perhaps gone."""
        if rotation is None:
            return
        self._select_after_load = rotation.new.key_pair_name
        self.action_refresh()
