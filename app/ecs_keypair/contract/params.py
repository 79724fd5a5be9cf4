"""The parameters of an action as the API spells them, and the one reader of a flat request.

A request arrives flat, as the RPC style sends it and as the command line spells it: ``RegionId``,
``PageSize``, ``Tag.1.Key``, ``ResourceId.2``. :func:`read_params` turns such a map into the
values of a typed request, or raises the API's error:

* first the gateway's checks, a :class:`ShapeProblem` (the command line's usage errors, exit 2):
  a required parameter that is absent (``MissingParameter``), an integer or a boolean that is not
  one, a list number that is not written ``1``, ``2``… (``Tag.01.Key``, ``Tag.0.Key``:
  ``InvalidParameter``);
* then the values the table itself judges, an :class:`ApiException`: a list number over its
  limit (``Tag.21.Key``: ``QuotaExceed.Tags`` in CreateKeyPair), a tag filter's value without its
  key (``MissingParameter``), a JSON array that does not parse, an integer too long to be one.

Everything else (names, tag rules, regions, ranges) is the action's to judge. A name that starts
as a declared list's entries do (``Tag.``, ``ResourceId.``) is that list's, and one not written as
its entries are (``Tag.x.Key``, ``Tag.1.Name``, ``ResourceId.a``) is ``InvalidParameter``: a tag
or an id written wrong, not a name to ignore. Any other name no declaration claims is left alone
here: ``serve`` ignores it, as the cloud ignores parameters an action does not take (the SDKs
send ``OwnerId`` and more); the command line refuses it first, as the aliyun CLI refuses a flag
it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from ecs_keypair.contract import errors
from ecs_keypair.contract.api_requests import TagFilter
from ecs_keypair.contract.errors import ApiError, ApiException
from ecs_keypair.contract.rules import Tag

MAX_INTEGER_DIGITS = 18  # more cannot be a page number or a size; refused without int()
MAX_LIST_DIGITS = 6  # a list number with more digits is over every limit: not converted
BOOLEANS = {"true": True, "false": False}
_INTEGER = re.compile(r"-?[0-9]+")
_CANONICAL_NUMBER = re.compile(r"[1-9][0-9]*")
_TAG_SUFFIX = re.compile(r"([0-9]+)\.(Key|Value)")
_ITEM_SUFFIX = re.compile(r"[0-9]+")


class Kind(Enum):
    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    JSON_ARRAY = "JSON array"
    TAGS = "Tag.N.Key / Tag.N.Value"  # a numbered list of key/value pairs
    LIST = "Name.N"  # a numbered list of texts


CountCheck = Callable[[int], ApiError | None]
JsonParse = Callable[[str], list[str] | ApiError]


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of an action: its API name, the request field it fills, how it is read.

    ``count_check`` (lists) judges the highest N given, which is at least the number of entries:
    one check refuses both ``Tag.21.Key`` alone and a 21st tag. ``filters`` (tags): the entries
    are filters, a value alone is ``MissingParameter`` for its key. ``parse`` (JSON arrays):
    the text to a list, or the action's error.
    """

    name: str
    field: str
    help: str
    kind: Kind = Kind.TEXT
    required: bool = False
    metavar: str = "VALUE"
    count_check: CountCheck | None = None
    filters: bool = False
    parse: JsonParse | None = None

    @property
    def is_list(self) -> bool:
        return self.kind in (Kind.TAGS, Kind.LIST)

    @property
    def spellings(self) -> tuple[str, ...]:
        """The names as ``--help`` shows them: ``Tag.N.Key``, ``ResourceId.N``, ``RegionId``."""
        if self.kind is Kind.TAGS:
            return (f"{self.name}.N.Key", f"{self.name}.N.Value")
        if self.kind is Kind.LIST:
            return (f"{self.name}.N",)
        return (self.name,)

    def claims(self, key: str) -> tuple[str, str] | None:
        """For a name this parameter takes, its list number as written and its part (``Key``,
        ``Value``, or ``""``); None for a name that is not this parameter's."""
        if not self.is_list:
            return ("", "") if key == self.name else None
        head, dot, rest = key.partition(".")
        if head != self.name or not dot:
            return None
        if self.kind is Kind.TAGS:
            match = _TAG_SUFFIX.fullmatch(rest)
            return (match[1], match[2]) if match else None
        return (rest, "") if _ITEM_SUFFIX.fullmatch(rest) else None

    def first_name(self) -> str:
        """The name ``MissingParameter`` gives for an absent list: its first entry."""
        if self.kind is Kind.TAGS:
            return f"{self.name}.1.Key"
        return f"{self.name}.1" if self.kind is Kind.LIST else self.name


class ShapeProblem(ApiException):
    """A request the gateway refuses before the action sees it; ``usage`` says it the way the
    command line does (exit 2, nothing called)."""

    def __init__(self, error: ApiError, usage: str) -> None:
        super().__init__(error)
        self.usage = usage


def claimed(params: Sequence[Param], key: str) -> Param | None:
    """The parameter that takes the name ``key``, if any."""
    return next((param for param in params if param.claims(key) is not None), None)


def _in_list(param: Param, key: str) -> bool:
    return param.is_list and key.startswith(f"{param.name}.")


def list_named(params: Sequence[Param], key: str) -> Param | None:
    """The list whose entries ``key`` is named as (``Tag.x.Key``: Tag), written well or not."""
    return next((param for param in params if _in_list(param, key)), None)


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str  # as sent: "Tag.3.Key"
    digits: str  # "3"
    part: str  # "Key", "Value" or ""
    value: str


def _entries(param: Param, flat: Mapping[str, str]) -> list[_Entry]:
    found = []
    for key in sorted(flat):
        claim = param.claims(key)
        if claim is not None:
            found.append(_Entry(key, claim[0], claim[1], flat[key]))
    return found


def _given(param: Param, flat: Mapping[str, str]) -> bool:
    return param.name in flat if not param.is_list else bool(_entries(param, flat))


def _check_shape(param: Param, flat: Mapping[str, str]) -> None:
    value = flat.get(param.name)
    if param.kind is Kind.INTEGER and value is not None and not _INTEGER.fullmatch(value):
        raise ShapeProblem(
            errors.invalid_parameter(param.name, "must be a whole number"),
            f"--{param.name} must be a whole number, not {value!r}",
        )
    if param.kind is Kind.BOOLEAN and value is not None and value.lower() not in BOOLEANS:
        raise ShapeProblem(
            errors.invalid_parameter(param.name, "must be true or false"),
            f"--{param.name} must be true or false, not {value!r}",
        )
    for key in sorted(flat) if param.is_list else ():
        if _in_list(param, key):
            _check_entry_name(param, key)


def _check_entry_name(param: Param, key: str) -> None:
    """A name of the list ``param`` written as its entries are: ``Tag.3.Key``, ``ResourceId.2``."""
    claim = param.claims(key)
    if claim is None:
        written = " or ".join(f"--{spelling}" for spelling in param.spellings)
        raise ShapeProblem(
            errors.invalid_parameter(key, f"is not written {' or '.join(param.spellings)}"),
            f"--{key}: not an entry of {param.name}, which are written {written}",
        )
    digits, part = claim
    if not _CANONICAL_NUMBER.fullmatch(digits):
        spelling = param.spellings[0] if not part else f"{param.name}.N.{part}"
        raise ShapeProblem(
            errors.invalid_parameter(key, "N is a whole number from 1"),
            f"--{key}: N in {spelling} is a whole number from 1, without leading zeros",
        )


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= MAX_LIST_DIGITS else 10**MAX_LIST_DIGITS


def _read_list(param: Param, flat: Mapping[str, str]) -> tuple[object, ...]:
    entries = _entries(param, flat)
    by_number: dict[int, dict[str, str]] = {}
    for entry in entries:
        by_number.setdefault(_number(entry.digits), {})[entry.part] = entry.value
    if param.count_check is not None:
        problem = param.count_check(max(by_number, default=0))
        if problem:
            raise ApiException(problem)
    ordered = sorted(by_number.items())
    if param.kind is Kind.LIST:
        return tuple(parts[""] for _, parts in ordered)
    if not param.filters:
        return tuple(Tag(parts.get("Key", ""), parts.get("Value", "")) for _, parts in ordered)
    filters = []
    for number, parts in ordered:
        if "Key" not in parts:
            raise ApiException(errors.missing_parameter(f"{param.name}.{number}.Key"))
        filters.append(TagFilter(parts["Key"], parts.get("Value")))
    return tuple(filters)


def _read_value(param: Param, flat: Mapping[str, str]) -> object:
    if param.is_list:
        return _read_list(param, flat)
    value = flat.get(param.name)
    if param.kind is Kind.BOOLEAN:
        return value is not None and BOOLEANS[value.lower()]
    if value is None:
        return None
    if param.kind is Kind.INTEGER:
        if len(value.lstrip("-")) > MAX_INTEGER_DIGITS:
            raise ApiException(errors.invalid_parameter(param.name, "is out of range"))
        return int(value)
    if param.kind is Kind.JSON_ARRAY and param.parse is not None:
        parsed = param.parse(value)
        if isinstance(parsed, ApiError):
            raise ApiException(parsed)
        return tuple(parsed)
    return value


def read_params(params: Sequence[Param], flat: Mapping[str, str]) -> dict[str, object]:
    """The request fields for ``flat``, by field name; see the module docstring for the errors."""
    missing = [param for param in params if param.required and not _given(param, flat)]
    if missing:
        names = ", ".join(f"--{param.spellings[0]}" for param in missing)
        plural = "s" if len(missing) > 1 else ""
        raise ShapeProblem(
            errors.missing_parameter(missing[0].first_name()),
            f"missing required parameter{plural} {names}",
        )
    for param in params:
        _check_shape(param, flat)
    return {param.field: _read_value(param, flat) for param in params}
