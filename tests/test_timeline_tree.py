"""The branch tree: branching keeps old branches, rewind, paths, state round-trip."""

from __future__ import annotations

import msgpack
import pytest

from game.engine.synthetic import synthetic_spec
from game.engine.world import World
from game.minds.scripted import ScriptedMind
from game.timeline.tree import TimelineTree


def _snap(n: int) -> dict:
    return {"spec": {"static": list(range(50))}, "now": n,
            "log": {"events": [[i, "e"] for i in range(n)]}, "rng": [n * 7, n * 3]}


def _tree() -> TimelineTree:
    tree = TimelineTree()
    root = tree.add(None, None, 0, "loop start", _snap(0), "d0")
    a1 = tree.add(root, {"verb": "wait"}, 10, "waited", _snap(1), "d1")
    tree.add(a1, {"verb": "talk", "to": "a2"}, 20, "talked", _snap(2), "d2")
    return tree


def test_add_path_children_and_head() -> None:
    tree = _tree()
    assert len(tree) == 3 and tree.head == 2
    assert tree.path_to(2) == [0, 1, 2]
    assert tree.children(0) == [1] and tree.children(2) == []
    node = tree.node(2)
    assert (node.parent, node.action, node.time, node.summary, node.digest) == (
        1, {"verb": "talk", "to": "a2"}, 20, "talked", "d2")
    assert tree.snapshot(2) == _snap(2)


def test_branching_from_earlier_node_keeps_other_branches() -> None:
    tree = _tree()
    tree.head = 1  # rewind
    assert tree.snapshot(tree.head) == _snap(1)
    b = tree.add(tree.head, {"verb": "move", "to": "loc3"}, 15, "went out", _snap(5), "d5")
    assert b == 3 and tree.head == 3
    assert tree.children(1) == [2, 3]
    assert tree.path_to(3) == [0, 1, 3] and tree.path_to(2) == [0, 1, 2]
    assert tree.snapshot(2) == _snap(2) and tree.snapshot(3) == _snap(5)


def test_rewind_to_unknown_node_fails() -> None:
    tree = _tree()
    with pytest.raises(KeyError):
        tree.head = 9
    assert tree.head == 2


def test_snapshot_copy_is_independent_of_the_tree_and_the_caller() -> None:
    tree = TimelineTree()
    original = _snap(3)
    tree.add(None, None, 0, "", original, "d")
    original["log"]["events"].append("caller mutates later")
    got = tree.snapshot(0)
    got["log"]["events"].clear()
    assert tree.snapshot(0) == _snap(3)


def test_state_round_trip_is_plain_and_deterministic() -> None:
    tree = _tree()
    tree.head = 0
    tree.add(0, {"verb": "sleep"}, 5, "slept", _snap(4), "d4")
    state = tree.to_state()
    packed = msgpack.packb(state)
    again = TimelineTree.from_state(msgpack.unpackb(packed))
    assert msgpack.packb(again.to_state()) == packed
    assert again.head == tree.head
    for i in range(len(tree)):
        assert again.snapshot(i) == tree.snapshot(i)
        assert again.path_to(i) == tree.path_to(i)
        assert again.children(i) == tree.children(i)
    assert msgpack.packb(_tree().to_state()) == msgpack.packb(_tree().to_state())


@pytest.mark.parametrize("bad", [
    None, {"version": 99}, {"version": 1, "nodes": "x"},
    {"version": 1, "head": None, "nodes": [[0, 5, None, 0, "", "", ["=", {}]]]},
    {"version": 1, "head": None, "nodes": [[0, None, None, 0, "", "", ["l", 0, [], []]]]},
    {"version": 1, "head": 3, "nodes": [[0, None, None, 0, "", "", ["=", {}]]]},
])
def test_from_state_rejects_malformed(bad: object) -> None:
    with pytest.raises(ValueError):
        TimelineTree.from_state(bad)


def test_real_world_rewind_and_branch_restores_exactly() -> None:
    world = World(synthetic_spec(6, 6, seed=3), 11, ScriptedMind())
    tree = TimelineTree()
    node = tree.add(None, None, world.now, "start", world.snapshot(), world.log.digest)
    digests = {node: world.log.digest}
    for _ in range(6):
        world.run_until(world.now + 240)
        node = tree.add(node, {"verb": "wait"}, world.now, "", world.snapshot(), world.log.digest)
        digests[node] = world.log.digest
    # rewind to node 2, continue: must match what the original timeline did from there
    tree.head = 2
    again = World.restore(tree.snapshot(2), ScriptedMind())
    assert again.log.digest == digests[2]
    again.run_until(again.now + 240)
    assert again.log.digest == digests[3]
    branch = tree.add(2, {"verb": "other"}, again.now, "branch", again.snapshot(),
                      again.log.digest)
    assert tree.children(2) == [3, branch]
    assert World.restore(tree.snapshot(6), ScriptedMind()).log.digest == digests[6]
