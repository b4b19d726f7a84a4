"""Where saves live: platformdirs' user data folder unless the player points elsewhere.

Slots are files ``<slot>.hsav`` in one folder; ``autosave.hsav`` is the autosave.
Half-written temporaries (``*.hsav.tmp-<pid>``) never end in ``.hsav``, so they are
never listed or taken for a save.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

from .savefile import SaveError, SaveHeader, read_header

APP_NAME = "hindsight"
SUFFIX = ".hsav"
AUTOSAVE = "autosave"
_SLOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")


def saves_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The saves folder: ``override`` (the CLI's ``--saves-dir``) or the user data folder."""
    if override is not None:
        return Path(override)
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "saves"


def log_path() -> Path:
    """Where the game writes its log (tracebacks go there, never to the player's screen)."""
    return Path(user_log_dir(APP_NAME, appauthor=False)) / "hindsight.log"


def slot_path(directory: str | os.PathLike[str], slot: str = AUTOSAVE) -> Path:
    """The file of a named slot; names are checked so a slot can't escape the folder."""
    slot = slot.strip()
    if slot.lower().endswith(SUFFIX):
        slot = slot[: -len(SUFFIX)]
    if not _SLOT_NAME.match(slot) or slot.endswith(".") or ".." in slot:
        raise SaveError(f"bad slot name {slot!r}: use letters, digits, space, _ . -")
    return Path(directory) / f"{slot}{SUFFIX}"


def autosave_path(directory: str | os.PathLike[str]) -> Path:
    return slot_path(directory, AUTOSAVE)


@dataclass(frozen=True)
class SlotInfo:
    """One slot in a listing: its header, or why it can't be read."""

    slot: str
    path: Path
    header: SaveHeader | None
    error: str | None


def list_slots(directory: str | os.PathLike[str]) -> list[SlotInfo]:
    """Every ``*.hsav`` in ``directory`` sorted by slot name; unreadable ones carry an error."""
    folder = Path(directory)
    try:
        entries = sorted(p for p in folder.iterdir()
                         if p.name.endswith(SUFFIX) and p.is_file())
    except OSError:
        return []
    slots = []
    for path in entries:
        slot = path.name[: -len(SUFFIX)]
        try:
            slots.append(SlotInfo(slot, path, read_header(path), None))
        except SaveError as exc:
            slots.append(SlotInfo(slot, path, None, str(exc)))
    return slots
