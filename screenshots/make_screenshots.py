"""Render screenshots/*.svg from the real app, headless, with the snapshot tests' fixed data.

Each picture is the app built by ``make_app`` (what ``ecs-keypair`` runs) over a store in a
temporary folder, driven by the same keys as the snapshot tests, so the screenshots show what the
tests check. Key material, ids, times and the data folder are pinned (screenshots/scenes.py):
running this again gives the same files. From the checkout::

    python3 screenshots/make_screenshots.py            # writes screenshots/*.svg
    python3 screenshots/make_screenshots.py OUT_DIR    # somewhere else
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "app"))

from ecs_keypair.store.local_backend import LocalBackend  # noqa: E402
from ecs_keypair.store.store import KeyPairStore  # noqa: E402
from ecs_keypair.tui import PREFERENCES_FILE  # noqa: E402
from ecs_keypair.tui.app import make_app  # noqa: E402
from textual.widgets import Input, TextArea  # noqa: E402

from screenshots.scenes import (  # noqa: E402
    COPY_DIALOG,
    EVERYWHERE,
    FORM_ERROR,
    FORM_MADE_HERE,
    KEY_PAIRS,
    PASSPHRASES_DIFFER,
    RESULTS,
    ROTATE_DIALOG,
    SAVE_DIALOG,
    VALID_FORM,
    RecordingClipboard,
    fixed_key,
    pinned,
    play,
    stock_key_pairs,
)

SIZE = (80, 24)
SHOTS: dict[str, tuple[str, ...]] = {
    "form-error": FORM_ERROR,
    "form-valid-tags": VALID_FORM,
    "results": RESULTS,
    "save-dialog": SAVE_DIALOG,
    "key-pairs": KEY_PAIRS,
    "save-passphrase": PASSPHRASES_DIFFER,
    "copy-dialog": COPY_DIALOG,
    "key-pair-everywhere": EVERYWHERE,
    "form-made-here": FORM_MADE_HERE,
    "rotate-dialog": ROTATE_DIALOG,
}


async def shoot(name: str, keys: tuple[str, ...], out_dir: Path) -> Path:
    """One picture: a fresh store with the sample key pairs, the keys pressed, the screen saved."""
    with (
        tempfile.TemporaryDirectory() as temp,
        pinned(),
        patch.dict(os.environ, {"HOME": temp}),  # the key pairs screen looks in ~/.ssh: not yours
    ):
        home = Path(temp) / "data"
        backend = LocalBackend(KeyPairStore(home), generate=fixed_key)
        stock_key_pairs(backend)
        app = make_app(
            lambda: backend,
            clipboard=RecordingClipboard(),
            preferences_path=home / PREFERENCES_FILE,
        )
        async with app.run_test(size=SIZE) as pilot:
            await play(pilot, keys)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out_dir)))


async def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    # A blinking cursor would be on or off depending on the moment of the picture.
    with (
        patch.object(Input.cursor_blink, "_default", False),
        patch.object(TextArea.cursor_blink, "_default", False),
    ):
        for name, keys in SHOTS.items():
            print(await shoot(name, keys, out_dir))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
