"""Where the Textual stylesheets are, in a checkout and in an installed wheel.

The stylesheets live in the checkout's top-level ``styles/`` (the project's layout); the wheel
carries them as ``ecs_keypair/styles/`` (pyproject force-includes them), so an installed app finds
them
beside its own package instead.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # ecs_keypair/
_INSTALLED = _PACKAGE / "styles"
_CHECKOUT = _PACKAGE.parents[1] / "styles"

STYLES_DIR = _INSTALLED if (_INSTALLED / "app.tcss").is_file() else _CHECKOUT


def stylesheet(name: str) -> Path:
    """The path of one of our stylesheets (``app.tcss``, ``create_key_pair.tcss``...)."""
    return STYLES_DIR / name


def widget_css(name: str) -> str:
    """A widget's own rules, from its stylesheet in ``styles/``, for its ``DEFAULT_CSS``: they
    apply on whatever screen the widget is used."""
    return stylesheet(name).read_text(encoding="utf-8")
