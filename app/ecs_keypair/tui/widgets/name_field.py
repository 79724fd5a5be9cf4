"""The KeyPairName field with its verdict, as the create form and the import dialog show it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical

from ecs_keypair.contract import rules
from ecs_keypair.contract.errors import ApiError
from ecs_keypair.tui.styles import widget_css
from ecs_keypair.tui.widgets.checked_input import CheckedInput
from ecs_keypair.tui.widgets.verdict import Verdict

if TYPE_CHECKING:
    from ecs_keypair.contract.backend import KeyPairBackend
    from ecs_keypair.tui.backend_calls import BackendCalls

NAME_HINT = "2-128 characters: letters, digits, : _ -; a letter first"


class NameField(Vertical):
    """The name, checked at every keystroke: the rules, then "already exists in the region".

    The verdict comes through :meth:`BackendCalls.check`, at once on the local store, later on
    an endpoint (the rules' own verdict at once). An untouched field shows the hint: a form
    cleared for a new key pair does not start with "is required". The field is on screen before
    its backend is (:meth:`connect`): the form opens its backend after its first frame.
    """

    DEFAULT_CSS = widget_css("name_field.tcss")

    def __init__(
        self,
        region_id: Callable[[], str],
        *,
        placeholder: str = "web-1",
        classes: str | None = None,
    ) -> None:
        super().__init__(classes=classes)
        self._calls: BackendCalls
        self._backend: KeyPairBackend
        self._region_id = region_id
        self.input = CheckedInput(self._typed, id="name", compact=True, placeholder=placeholder)
        self.verdict = Verdict(NAME_HINT, id="name-verdict")
        self.touched = False
        self.problem: ApiError | str | None = None

    def connect(self, calls: BackendCalls, backend: KeyPairBackend) -> None:
        """The backend the name is checked against, and the calls that ask it."""
        self._calls = calls
        self._backend = backend

    def compose(self) -> ComposeResult:
        yield self.input
        yield self.verdict

    @property
    def value(self) -> str:
        return self.input.value

    def _typed(self, value: str) -> None:
        if not value and not self.touched:
            return  # cleared for a new key pair: nothing typed yet
        self.touched = True
        self.check()

    def check(self) -> ApiError | str | None:
        """Show the verdict on the name as it is; return the problem known now (None while an
        endpoint is asked)."""
        if not self.touched:
            self.show_hint()
            return None
        region_id, name = self._region_id(), self.input.value
        self._calls.check(
            "check-name",
            partial(self._backend.check_name, region_id, name),
            partial(self._checked, region_id, name),
            rules=lambda: rules.check_key_pair_name(name) or self._check_region(region_id),
            waiting=partial(self.show_hint, f"checking whether {region_id} has it…"),
        )
        return self.problem

    def _check_region(self, region_id: str) -> ApiError | None:
        """The region against the backend's regions as known now (on the cloud, DescribeRegions'
        list: a region the cloud added is accepted)."""
        known = [region.region_id for region in self._backend.regions(refresh=False)]
        return rules.check_region_id(region_id, known)

    def _checked(self, region_id: str, name: str, problem: ApiError | str | None) -> None:
        """The verdict, if the field and the region still hold what was asked."""
        if self.touched and (region_id, name) == (self._region_id(), self.input.value):
            self.show(problem)

    def show(self, problem: ApiError | str | None) -> None:
        """The verdict on the name: its problem (also the create's own answer), or free."""
        self.problem = problem
        self.input.set_class(problem is not None, "-invalid")
        if problem is None:
            self.verdict.show_ok(f"✓ free in {self._region_id()}")
        else:
            self.verdict.show_problem(problem)

    def show_hint(self, text: str | None = None) -> None:
        self.problem = None
        self.input.remove_class("-invalid")
        self.verdict.show_hint(text)

    def clear(self) -> None:
        """Empty and untouched again, for a new key pair."""
        self.touched = False
        self.input.value = ""
        self.show_hint()
