"""Timelines: the snapshot tree, deltas between snapshots, and save files."""

from .paths import autosave_path, list_slots, saves_dir, slot_path
from .savefile import FORMAT_VERSION, SaveError, SaveHeader, read_header, read_save, write_save
from .tree import TimelineTree

__all__ = [
    "FORMAT_VERSION", "SaveError", "SaveHeader", "TimelineTree", "autosave_path", "list_slots",
    "read_header", "read_save", "saves_dir", "slot_path", "write_save",
]
