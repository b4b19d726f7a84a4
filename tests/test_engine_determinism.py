"""Determinism and snapshot/restore: the same seed replays the same town, exactly."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import World
from game.engine.clock import MINUTES_PER_DAY
from game.engine.synthetic import synthetic_spec
from game.minds.scripted import ScriptedMind

DAY = MINUTES_PER_DAY


def _run(spec_seed: int, world_seed: int, days: int) -> World:
    world = World(synthetic_spec(12, 8, seed=spec_seed), seed=world_seed, mind=ScriptedMind())
    world.run_until(days * DAY)
    return world


def _plain(value: Any) -> Any:
    """What a JSON save would give back."""
    return json.loads(json.dumps(value))


def _assert_plain_data(value: Any, path: str = "$") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"non-str key at {path}: {key!r}"
            _assert_plain_data(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _assert_plain_data(item, f"{path}[{i}]")
    else:
        assert value is None or isinstance(value, str | int | float | bool), (
            f"{path} holds a {type(value).__name__}, not plain data")


def test_same_seed_same_digest() -> None:
    a, b = _run(3, 7, 5), _run(3, 7, 5)
    assert len(a.log) > 500, "a 5-day run of 12 agents should produce plenty of events"
    assert a.log.digest == b.log.digest
    assert [e.to_state() for e in a.log.events] == [e.to_state() for e in b.log.events]


def test_different_world_seed_different_digest() -> None:
    a, b = _run(3, 7, 5), _run(3, 8, 5)
    assert a.log.digest != b.log.digest


def test_different_spec_seed_different_digest() -> None:
    assert _run(3, 7, 2).log.digest != _run(4, 7, 2).log.digest


def test_snapshot_is_strictly_plain_data() -> None:
    world = _run(3, 7, 2)
    snap = world.snapshot()
    _assert_plain_data(snap)
    assert _plain(snap) == snap


def test_snapshot_does_not_change_when_the_world_runs_on() -> None:
    """A stored snapshot (a branch point in a timeline) must not alias live state."""
    world = _run(3, 7, 1)
    snap = world.snapshot()
    frozen = json.dumps(snap, sort_keys=True)
    world.run_until(3 * DAY)
    assert json.dumps(snap, sort_keys=True) == frozen


@settings(max_examples=15, deadline=None)
@given(world_seed=st.integers(0, 2**31 - 1), cut=st.integers(6 * 60, 4 * DAY))
def test_restore_at_random_cut_continues_identically(world_seed: int, cut: int) -> None:
    end = 4 * DAY
    spec = synthetic_spec(12, 8, seed=3)
    straight = World(spec, seed=world_seed, mind=ScriptedMind())
    straight.run_until(end)

    first = World(synthetic_spec(12, 8, seed=3), seed=world_seed, mind=ScriptedMind())
    first.run_until(cut)
    snap = _plain(first.snapshot())  # tuples become lists, as after a real save
    resumed = World.restore(snap, ScriptedMind())
    assert resumed.now == first.now == cut
    assert resumed.log.digest == first.log.digest
    resumed.run_until(end)

    assert resumed.log.digest == straight.log.digest
    assert _plain(resumed.snapshot()) == _plain(straight.snapshot())
