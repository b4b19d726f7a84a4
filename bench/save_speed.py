"""Save/load/rewind speed and storage for a 14-day timeline of the main mystery.

Targets (issue 5): save <= 50 ms, load <= 50 ms, rewind <= 100 ms. Rewind here is the
whole thing the game does: rebuild a snapshot from the tree at a random earlier node
(after a fresh load, so no warm cache beyond what loading leaves) and World.restore it.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import msgpack

from game.engine.world import World
from game.minds.scripted import ScriptedMind
from game.mystery.rules import MysteryRules
from game.records.savefile import read_save, write_save
from game.scenario.build import build_spec
from game.scenario.loader import load_story
from game.timeline.tree import TimelineTree

N_SNAPSHOTS, DAYS, RUNS = 100, 14, 7
MAIN = Path(__file__).resolve().parents[1] / "story" / "main.toml"
HEADER = {"game_version": "0.1.0", "scenario_id": "ninth_lock", "scenario_hash": "0",
          "created": "2026-03-02T06:00:00+00:00", "summary": "14-day benchmark timeline"}


def main() -> int:
    spec = build_spec(load_story(MAIN).story)
    world = World(spec, 1, ScriptedMind(), [MysteryRules(spec["mystery"])])
    start, span = world.now, DAYS * 24 * 60
    tree, node, full = TimelineTree(), None, 0
    add_times = []
    for i in range(N_SNAPSHOTS):
        world.run_until(start + (i + 1) * span // N_SNAPSHOTS)
        snap = world.snapshot()
        full += len(msgpack.packb(snap))
        t0 = time.perf_counter()
        node = tree.add(node, {"verb": "wait"}, world.now, f"step {i}", snap, world.log.digest)
        add_times.append(time.perf_counter() - t0)
    payload = {"seed": 1, "actions": [{"verb": "wait"}] * N_SNAPSHOTS, "tree": tree.to_state()}
    path = Path(tempfile.mkdtemp()) / "bench.hsav"
    saves, loads, rewinds = [], [], []
    rng = random.Random(0)
    for _ in range(RUNS):
        t0 = time.perf_counter()
        write_save(path, HEADER, payload)
        saves.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _, loaded = read_save(path)
        loads.append(time.perf_counter() - t0)
        fresh = TimelineTree.from_state(loaded["tree"])
        target = rng.randrange(N_SNAPSHOTS - 1)
        t0 = time.perf_counter()
        World.restore(fresh.snapshot(target), ScriptedMind(), [MysteryRules(spec["mystery"])])
        rewinds.append(time.perf_counter() - t0)
    stored, size = tree.stored_size(), path.stat().st_size
    ms = {k: 1000 * statistics.median(v) for k, v in
          (("save", saves), ("load", loads), ("rewind", rewinds))}
    print(f"world: main mystery, {len(world.agents)} agents, {len(world.locations)} locations, "
          f"{DAYS} days, {len(world.log)} events, "
          f"{N_SNAPSHOTS} snapshots; median of {RUNS} runs")
    print(f"tree.add (diff)   : median {1000 * statistics.median(add_times):6.1f} ms")
    ok = True
    worst = {"save": max(saves), "load": max(loads), "rewind": max(rewinds)}
    for name, target in (("save", 50), ("load", 50), ("rewind", 100)):
        good = ms[name] <= target
        ok &= good
        print(f"{name:<6} median     : {ms[name]:6.1f} ms (max {1000 * worst[name]:.1f}) "
              f"target <= {target} ms {'OK' if good else 'MISSED'}")
    print(f"file size         : {size:,} B")
    print(f"tree (packed)     : {stored:,} B vs {full:,} B for {N_SNAPSHOTS} full copies "
          f"({100 * stored / full:.1f}%)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
