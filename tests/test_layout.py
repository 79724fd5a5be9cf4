"""The layout in the README, enforced: each room imports only the rooms below it, the doors do
not import one another (the command line, which starts the others, excepted), and no module
joins an import circle. Read from the modules' own import statements with ``ast``, function-level
and ``TYPE_CHECKING`` imports included: a late import is still a dependency."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "app" / "ecs_keypair"
NAME = "ecs_keypair"

# Each part of the package and the parts it may import (its own always allowed).
MAY_IMPORT: dict[str, set[str]] = {
    "contract": set(),
    "keys": {"contract"},
    "store": {"contract", "keys"},
    "remote": {"contract", "keys"},
    "workflows": {"contract", "keys"},
    "mirrored": {"contract", "store", "remote"},
    "backends": {"contract", "store", "remote", "mirrored"},
    "exit_codes": set(),
    "server": {"contract", "keys", "store", "workflows", "backends", "exit_codes"},
    "tui": {"contract", "keys", "store", "workflows", "backends", "exit_codes"},
    "cli": {"contract", "keys", "store", "remote", "workflows", "mirrored", "backends",
            "exit_codes", "tui", "server"},
    "__main__": {"cli"},
    "__init__": set(),
}
UI_LIBRARIES = {"textual", "rich", "argparse", "aiohttp", "http"}
CORE = {"contract", "keys", "store", "workflows"}
# The store's bottom: its files and locks. It raises the store's own exceptions; what turns them
# into the API's answers sits above it.
STORE_BOTTOM = {f"{NAME}.store.storage", f"{NAME}.store.store_paths"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: Iterable[str] = ()) -> set[str]:
    """Every module ``path`` imports, by absolute name (relative imports resolved); ``from
    package import module`` counts as the module alone when ``module`` is one of ``known``."""
    known = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                module = f"{base}.{alias.name}"
                found.add(module if module in known else base)
    return found


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def our_imports() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {
            module for module in imports_of(name, path, known) if module in known and module != name
        }
        for name, path in known.items()
    }


def test_each_part_imports_only_the_parts_below_it() -> None:
    wrong = sorted(
        f"{name} imports {module}"
        for name, imported in our_imports().items()
        for module in imported
        if part_of(module) != part_of(name)
        and part_of(module) not in MAY_IMPORT[part_of(name)]
        and module != NAME
    )
    assert wrong == []


def test_every_part_is_declared() -> None:
    assert {part_of(name) for name in modules()} <= set(MAY_IMPORT)


def test_the_core_knows_no_user_interface_or_network_library() -> None:
    wrong = sorted(
        f"{name} imports {module}"
        for name, path in modules().items()
        if part_of(name) in CORE
        for module in imports_of(name, path)
        if module.split(".")[0] in UI_LIBRARIES
    )
    assert wrong == []


def test_the_stores_bottom_speaks_no_api() -> None:
    imports = our_imports()
    wrong = sorted(
        f"{name} imports {module}"
        for name in STORE_BOTTOM
        for module in imports[name]
        if part_of(module) == "contract"
    )
    assert wrong == []


def test_no_module_joins_an_import_circle() -> None:
    graph = our_imports()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == []
