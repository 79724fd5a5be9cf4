"""The user's keymap from the settings file: binding id -> keys, checked before Textual sees it.

Textual's ``App.set_keymap`` takes any string as keys and draws it in the Footer as it is; a
file is not to be trusted that far. A keymap entry is used only if its id is one the app
declares (:data:`BINDING_IDS`) and its keys are names Textual reads (``f2``, ``ctrl+x``,
``question_mark``, ``?``, several separated by commas); every other entry is left out and named.

:data:`BINDING_IDS` is a plain list, so reading the settings does not import every screen before
the first frame; ``tests/tui/test_keymap.py`` holds it equal to the ids the screens declare.
"""

from __future__ import annotations

from textual.keys import Keys, key_to_character

BINDING_IDS = frozenset(
    {
        "app.command-palette",
        "app.help",
        "app.help-question-mark",
        "app.help-quit",
        "app.quit",
        "app.suspend",
        "confirm.no",
        "confirm.switch",
        "confirm.yes",
        "choose-region.cancel",
        "choose-region.next",
        "choose-region.previous",
        "copy-key-pair.close-answered",
        "copy-key-pair.close",
        "copy-key-pair.copy",
        "create.add-tag",
        "create.create",
        "create.key-pairs",
        "create.remove-tag",
        "edit-key-pair.add-tag",
        "edit-key-pair.cancel",
        "edit-key-pair.remove-tag",
        "edit-key-pair.save",
        "help.close",
        "import-key-pair.cancel",
        "import-key-pair.import",
        "key-pair-everywhere.close",
        "key-pairs.back",
        "key-pairs.copy",
        "key-pairs.delete",
        "key-pairs.edit",
        "key-pairs.filter",
        "key-pairs.focus-table",
        "key-pairs.import",
        "key-pairs.refresh",
        "key-pairs.region",
        "key-pairs.rotate",
        "key-pairs.where",
        "results.add-to-agent",
        "results.back",
        "results.copy-fingerprint",
        "results.copy-key",
        "results.copy-public-key",
        "results.key-pairs",
        "results.new",
        "results.save",
        "rotate-key-pair.close",
        "rotate-key-pair.close-answered",
        "rotate-key-pair.rotate",
        "save-key.cancel",
        "save-key.save",
    }
)
"""Every binding id the app declares: the ids a keymap may name."""

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    value.rsplit("+", 1)[-1] for value in (key.value for key in Keys) if not value.startswith("<")
)
"""Keys Textual names (``f2``, ``escape``, ``pageup``, ``space``), modifiers left off."""

MAX_KEYS_LENGTH = 100
MAX_KEYS = 8


def keys_problem(keys: str) -> str | None:
    """Why Textual could not bind ``keys`` (one key, or several separated by commas), if so."""
    if not keys.strip():
        return "no key given"
    if len(keys) > MAX_KEYS_LENGTH:
        return f"longer than {MAX_KEYS_LENGTH} characters"
    each = [key.strip() for key in keys.split(",")]
    if len(each) > MAX_KEYS:
        return f"more than {MAX_KEYS} keys"
    for key in each:
        problem = _key_problem(key)
        if problem is not None:
            return problem
    return None


def _key_problem(key: str) -> str | None:
    if len(key) == 1:  # a character as typed: "?" or "x"
        return None if _character(key) else f"{key!r} is not a key name"
    *modifiers, name = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown or len(set(modifiers)) != len(modifiers):
        return f"{key!r} is not a key name (modifiers: {', '.join(sorted(MODIFIERS))})"
    known = name in NAMED_KEYS or key_to_character(name) is not None
    if not known and not (len(name) == 1 and _character(name)):
        return f"{key!r} is not a key name"
    return None


def _character(key: str) -> bool:
    """A character typed as itself (``isprintable`` is False for controls and bidi marks)."""
    return key.isprintable() and not key.isspace()


def read_keymap(value: object) -> tuple[dict[str, str], list[str]]:
    """The usable entries of a settings file's ``keymap``, and what is wrong with the others."""
    if not isinstance(value, dict):
        return {}, ["keymap must be an object of binding id -> keys"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in value.items():
        if binding_id not in BINDING_IDS:
            problems.append(f"keymap: no binding has the id {_quoted(binding_id)}")
        elif not isinstance(keys, str):
            problems.append(f"keymap: {binding_id} must be a string of keys")
        elif (problem := keys_problem(keys)) is not None:
            problems.append(f"keymap: {binding_id}: {problem}")
        else:
            keymap[binding_id] = keys
    return keymap, problems


def _quoted(text: str, limit: int = 40) -> str:
    """Text from the file, short and quoted (``repr`` writes control characters as escapes)."""
    return repr(text if len(text) <= limit else text[:limit] + "…")
