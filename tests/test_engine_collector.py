"""The cyclic garbage collector is paused while a world runs: safe only because a running
world makes no cyclic garbage, and only if the collector always comes back as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine import World
from game.engine.clock import MINUTES_PER_DAY
from game.engine.collector import collector_paused
from game.engine.rules import WorldRule
from game.engine.synthetic import synthetic_spec
from game.minds.scripted import ScriptedMind
from tests.stories import MAIN, TUTORIAL, started


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _story_world(path: Path) -> World:
    """A shipped mystery's world, its rules (plots, the law, the murder) included."""
    return started(path, seed=4).world


@pytest.mark.parametrize("make", [
    lambda: World(synthetic_spec(30, 8, seed=2), seed=2, mind=ScriptedMind()),
    lambda: _story_world(MAIN),
    lambda: _story_world(TUTORIAL),
], ids=["synthetic", "main", "tutorial"])
def test_a_running_world_makes_no_cyclic_garbage(make, collector_on) -> None:  # noqa: ANN001
    world = make()
    gc.collect()
    gc.disable()
    try:
        world.run_until(world.now + 2 * MINUTES_PER_DAY)
        assert len(world.log) > 100  # the town did something
        assert gc.collect() == 0  # all it threw away, reference counting freed
        del world
        assert gc.collect() == 0  # and a world let go is freed the same way
    finally:
        gc.enable()


class _Explodes(WorldRule):
    def on_day_start(self, world: World, day: int) -> None:
        raise RuntimeError("a broken rule")


def test_the_collector_comes_back_however_a_run_ends(collector_on) -> None:
    world = World(synthetic_spec(6, 3, seed=1), seed=1, mind=ScriptedMind())
    paused: list[bool] = []
    world.run_until(600, progress=lambda now, end: paused.append(gc.isenabled()),
                    progress_every=1)
    assert len(paused) > 5 and not any(paused[:-1])  # off while it ran (the last comes after)
    assert gc.isenabled()  # on again after
    broken = World(synthetic_spec(6, 3, seed=1), seed=1, mind=ScriptedMind(),
                   rules=[_Explodes()])
    with pytest.raises(RuntimeError):
        broken.run_until(2 * MINUTES_PER_DAY)
    assert gc.isenabled()
    gc.disable()  # a program that turned it off itself keeps it off
    world.run_until(900)
    assert not gc.isenabled()


def test_overlapping_runs_restore_the_collector_once_the_last_ends(collector_on) -> None:
    inside, leave = threading.Event(), threading.Event()

    def long_run() -> None:
        with collector_paused():
            inside.set()
            leave.wait(30)

    other = threading.Thread(target=long_run)
    other.start()
    inside.wait(30)
    World(synthetic_spec(6, 3, seed=1), seed=1, mind=ScriptedMind()).run_until(600)
    assert not gc.isenabled()  # the other run is still going
    leave.set()
    other.join(30)
    assert gc.isenabled()
