"""The tree of timelines: every snapshot the player can rewind to, and how it was reached.

Each node keeps its parent, the player action that led to it, the game time, a short
outcome line, the world's event-log digest and its snapshot. Roots hold their
snapshot in full; every other node holds only a delta against its parent
(``delta.py``), so a long game with many snapshots stays small in memory and on disk.
Rewinding just moves ``head``; adding a node from an earlier head starts a new branch
and leaves the old ones in place.

Rebuilding a snapshot applies the deltas from the nearest cached ancestor. Rebuilt
snapshots are cached at every ``CHECKPOINT_EVERY``-th depth and for the most recent
lookups, which keeps a rewind anywhere in a long tree to a handful of delta applications.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import msgpack

from . import delta as deltas

CHECKPOINT_EVERY = 8
RECENT_CACHE = 4
STATE_VERSION = 1


@dataclass
class Node:
    id: int
    parent: int | None
    action: dict[str, Any] | None
    time: int
    summary: str
    digest: str
    depth: int
    delta: list[Any]  # roots: ["=", full snapshot]
    children: list[int] = field(default_factory=list)


def _copy(value: Any) -> Any:
    """An independent deep copy, normalised to msgpack's plain types (tuples become lists)."""
    with deltas.paused_gc():
        return msgpack.unpackb(msgpack.packb(value, use_bin_type=True), raw=False,
                               strict_map_key=False)


class TimelineTree:
    """Snapshots in a branching tree, with ``head`` the node the game is at."""

    def __init__(self) -> None:
        self._nodes: list[Node] = []
        self._head: int | None = None
        self._checkpoints: dict[int, Any] = {}
        self._recent: OrderedDict[int, Any] = OrderedDict()

    # ------------------------------------------------------------------ building
    def add(self, parent: int | None, action: dict[str, Any] | None, time: int, summary: str,
            snapshot: dict[str, Any], digest: str) -> int:
        """Record a snapshot reached from ``parent`` (None: a new root); it becomes the head."""
        snap = _copy(snapshot)
        if parent is None:
            depth, delta = 0, ["=", snap]
        else:
            base = self._node(parent)
            depth = base.depth + 1
            with deltas.paused_gc():
                delta = deltas.diff(self._rebuild(parent), snap)
        node = Node(len(self._nodes), parent, _copy(action) if action is not None else None,
                    int(time), str(summary), str(digest), depth, delta)
        self._nodes.append(node)
        if parent is not None:
            self._nodes[parent].children.append(node.id)
        self._remember(node.id, snap)
        self._head = node.id
        return node.id

    # ------------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self._nodes)

    @property
    def head(self) -> int | None:
        return self._head

    @head.setter
    def head(self, node_id: int) -> None:
        self._head = self._node(node_id).id

    def node(self, node_id: int) -> Node:
        return self._node(node_id)

    def children(self, node_id: int) -> list[int]:
        return list(self._node(node_id).children)

    def roots(self) -> list[int]:
        return [n.id for n in self._nodes if n.parent is None]

    def path_to(self, node_id: int) -> list[int]:
        """Node ids from the root down to ``node_id``, both included."""
        path = []
        current: int | None = self._node(node_id).id
        while current is not None:
            path.append(current)
            current = self._nodes[current].parent
        return path[::-1]

    def snapshot(self, node_id: int, copy: bool = True) -> dict[str, Any]:
        """The full snapshot at ``node_id``. ``copy=False`` is faster but the result is shared
        with the tree's cache and must not be mutated."""
        snap = self._rebuild(node_id)
        return _copy(snap) if copy else snap

    def stored_size(self) -> int:
        """Bytes of all stored snapshot data, packed (roots in full, the rest as deltas)."""
        return sum(deltas.delta_size(n.delta) for n in self._nodes)

    # ------------------------------------------------------------- persistence
    def to_state(self) -> dict[str, Any]:
        """Plain data for a save file; ``from_state`` gives back an equal tree."""
        return {
            "version": STATE_VERSION,
            "head": self._head,
            "nodes": [[n.id, n.parent, n.action, n.time, n.summary, n.digest, n.delta]
                      for n in self._nodes],
        }

    @classmethod
    def from_state(cls, state: Any) -> TimelineTree:
        """Rebuild a tree from ``to_state`` data; raises ValueError on malformed data."""
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError("timeline tree: unknown or missing version")
        tree = cls()
        raw_nodes = state.get("nodes")
        if not isinstance(raw_nodes, list):
            raise ValueError("timeline tree: nodes must be a list")
        for i, raw in enumerate(raw_nodes):
            if not (isinstance(raw, list) and len(raw) == 7):
                raise ValueError(f"timeline tree: node {i} is malformed")
            nid, parent, action, time, summary, digest, delta = raw
            ok = (nid == i and type(nid) is int
                  and (parent is None or (type(parent) is int and 0 <= parent < i))
                  and (action is None or isinstance(action, dict))
                  and type(time) is int and isinstance(summary, str)
                  and isinstance(digest, str) and isinstance(delta, list) and delta
                  and delta[0] in ("=", "d", "l") and (parent is not None or delta[0] == "="))
            if not ok:
                raise ValueError(f"timeline tree: node {i} is malformed")
            depth = 0 if parent is None else tree._nodes[parent].depth + 1
            tree._nodes.append(Node(nid, parent, action, time, summary, digest, depth, delta))
            if parent is not None:
                tree._nodes[parent].children.append(nid)
        head = state.get("head")
        if head is not None and not (type(head) is int and 0 <= head < len(tree._nodes)):
            raise ValueError("timeline tree: head is not a node")
        tree._head = head
        return tree

    # ------------------------------------------------------------------ internals
    def _node(self, node_id: int) -> Node:
        if type(node_id) is not int or not 0 <= node_id < len(self._nodes):
            raise KeyError(f"no timeline node {node_id!r}")
        return self._nodes[node_id]

    def _cached(self, node_id: int) -> Any | None:
        if node_id in self._recent:
            self._recent.move_to_end(node_id)
            return self._recent[node_id]
        return self._checkpoints.get(node_id)

    def _remember(self, node_id: int, snap: Any) -> None:
        if self._nodes[node_id].depth % CHECKPOINT_EVERY == 0:
            self._checkpoints[node_id] = snap
        self._recent[node_id] = snap
        self._recent.move_to_end(node_id)
        while len(self._recent) > RECENT_CACHE:
            self._recent.popitem(last=False)

    def _rebuild(self, node_id: int) -> Any:
        with deltas.paused_gc():
            return self._rebuild_from_cache(node_id)

    def _rebuild_from_cache(self, node_id: int) -> Any:
        pending: list[Node] = []
        current: int | None = self._node(node_id).id
        snap: Any = None
        while current is not None:
            snap = self._cached(current)
            if snap is not None:
                break
            node = self._nodes[current]
            pending.append(node)
            current = node.parent
        for node in reversed(pending):
            snap = node.delta[1] if node.parent is None else deltas.apply(snap, node.delta)
            if node.depth % CHECKPOINT_EVERY == 0:
                self._checkpoints[node.id] = snap
        if pending:
            self._remember(node_id, snap)
        return snap
