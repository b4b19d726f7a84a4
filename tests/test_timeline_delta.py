"""Deltas: exact round-trip on random data and real snapshots; 100 snapshots cost little."""

from __future__ import annotations

import msgpack
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.synthetic import synthetic_spec
from game.engine.world import World
from game.minds.scripted import ScriptedMind
from game.timeline.delta import apply, diff
from game.timeline.tree import TimelineTree

scalars = (st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1)
           | st.floats(allow_nan=False) | st.text(max_size=5) | st.binary(max_size=5))
plain = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=6)
    | st.dictionaries(st.text(max_size=3), inner, max_size=6),
    max_leaves=40,
)


def _pack(value: object) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


def _roundtrip(parent: object, child: object) -> None:
    parent_bytes = _pack(parent)
    delta = diff(parent, child)
    msgpack.unpackb(_pack(delta), strict_map_key=False)  # the delta is plain data itself
    rebuilt = apply(parent, delta)
    assert _pack(rebuilt) == _pack(child)  # same values, types and key order
    assert _pack(parent) == parent_bytes  # parent untouched


@settings(max_examples=400, deadline=None)
@given(plain, plain)
def test_roundtrip_random_pairs(parent: object, child: object) -> None:
    _roundtrip(parent, child)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_roundtrip_related_values(data: st.DataObject) -> None:
    """Children that share structure with the parent: appended lists, edited dicts."""
    parent = data.draw(st.dictionaries(st.text(max_size=3), plain, max_size=6))
    child = dict(parent)
    for key in data.draw(st.lists(st.sampled_from(sorted(parent) or ["k"]), max_size=3)):
        old = child.get(key)
        if isinstance(old, list):
            child[key] = old + data.draw(st.lists(plain, max_size=3))
        elif isinstance(old, dict):
            child[key] = {**old, **data.draw(st.dictionaries(st.text(max_size=3), plain,
                                                             max_size=2))}
        else:
            child[key] = data.draw(plain)
    if data.draw(st.booleans()) and child:
        child = dict(reversed(list(child.items())))  # key order must survive too
    _roundtrip(parent, child)


def test_type_sensitive_values_are_not_confused() -> None:
    for parent, child in [(1, 1.0), (1, True), ([1, 2], [1.0, 2]), ({"a": [0]}, {"a": [0.0]}),
                          (0.0, -0.0), ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ("x", b"x")]:
        _roundtrip(parent, child)


def _world_snapshots(n: int, days: int = 14, agents: int = 10,
                     locations: int = 12) -> list[dict]:
    world = World(synthetic_spec(agents, locations), 7, ScriptedMind())
    start, span = world.now, days * 24 * 60
    snaps = []
    for i in range(n):
        world.run_until(start + (i + 1) * span // n)
        snaps.append(world.snapshot())
    return snaps


def test_roundtrip_real_world_snapshots() -> None:
    snaps = _world_snapshots(8, days=4, agents=6, locations=6)
    for a, b in zip(snaps, snaps[1:], strict=False):
        _roundtrip(a, b)
    _roundtrip(snaps[-1], snaps[0])  # going back in time: lists shrink
    _roundtrip(snaps[0], snaps[-1])


def test_100_snapshots_of_a_14_day_world_cost_far_less_than_100_copies() -> None:
    snaps = _world_snapshots(100)  # a snapshot every ~3.4 game hours
    tree = TimelineTree()
    node = None
    for snap in snaps:
        node = tree.add(node, None, snap["now"], "", snap, snap["log"]["digest"])
    full = sum(len(_pack(s)) for s in snaps)
    stored = tree.stored_size()
    print(f"\n100 snapshots: full copies {full:,} B, tree {stored:,} B "
          f"({100 * stored / full:.1f}%), last snapshot {len(_pack(snaps[-1])):,} B")
    assert stored < 0.15 * full
    for i in (0, 37, 99):
        assert _pack(tree.snapshot(i)) == _pack(snaps[i])
