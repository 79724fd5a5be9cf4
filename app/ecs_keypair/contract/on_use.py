"""A module imported when one of its names is first looked up, not when its importer loads.

The action table names every action's request type, and building the dataclasses of every
request module costs each command-line process milliseconds (bench/bench_cli.py) that help,
usage errors and a single action do not need. The importer binds the real module under
``TYPE_CHECKING`` and a :class:`ModuleOnUse` otherwise, so the type checker sees the module's
names and a run imports it on first use (through the import system, safe across threads).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any


class ModuleOnUse:
    """Stands for the module ``name`` until a name of it is looked up."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(import_module(self._name), attribute)
