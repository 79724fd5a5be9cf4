"""Reading the Footer as the terminal shows it: which key labels are drawn, each one whole."""

from __future__ import annotations

import re
from typing import Any

from textual.app import App
from textual.widgets._footer import FooterKey

PALETTE_EDGE = "▏"  # the left border of the palette key docked at the Footer's right


def footer_line(app: App[Any]) -> str:
    """The bottom line of the screen in front, where every screen docks its Footer."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[-1])


def label_of(key: FooterKey) -> str:
    return f"{key.key_display} {key.description}" if key.description else key.key_display


def drawn_labels(app: App[Any]) -> list[str]:
    """The labels of the keys drawn on the Footer line, left to right, the palette key last.

    Fails on a label cut short, on a character that belongs to no label (a stray one), and on
    a palette key that is not whole or not at the right edge."""
    line = footer_line(app)
    keys = list(app.screen.query(FooterKey))
    palette = [label_of(key) for key in keys if key.has_class("-command-palette")]
    labels = {label_of(key) for key in keys if not key.has_class("-command-palette")}
    row = line
    if palette:
        edge = re.search(re.escape(PALETTE_EDGE) + r" ?" + re.escape(palette[0]) + r" ?$", line)
        assert edge, f"the palette key is not whole at the right edge: {line!r}"
        row = line[: edge.start()]
    found: list[str] = []
    column = 0
    while column < len(row):
        if row[column] == " ":
            column += 1
            continue
        whole = [
            label
            for label in labels
            if row.startswith(label, column) and row[column + len(label) :][:1] in ("", " ")
        ]
        assert whole, f"a cut key or a stray character at column {column}: {line!r}"
        label = max(whole, key=len)
        found.append(label)
        column += len(label)
    return found + palette
