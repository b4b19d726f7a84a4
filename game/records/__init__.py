"""The records of play: save files, loading a save by replaying it, examples and reports.

Sits above the session and reaches the game only through it (``game.session``,
``game.views``, ``game.chronicle``); front ends use it beside the session.
"""

from .paths import autosave_path, list_slots, saves_dir, slot_path
from .savefile import FORMAT_VERSION, SaveError, SaveHeader, read_header, read_save, write_save

__all__ = [
    "FORMAT_VERSION", "SaveError", "SaveHeader", "autosave_path", "list_slots", "read_header",
    "read_save", "saves_dir", "slot_path", "write_save",
]
