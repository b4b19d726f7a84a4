"""Timelines as plain data: the tree of snapshots the player can rewind to, and the deltas
between them. May import the engine only; saving, loading and replay live in ``game.records``.
"""

from .tree import TimelineTree

__all__ = ["TimelineTree"]
