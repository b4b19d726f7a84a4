"""Reflection fires when summed importance reaches the threshold, and cites evidence."""

from __future__ import annotations

from typing import Any

from game.engine import World
from game.engine.clock import MINUTES_PER_DAY, WEEKDAYS
from game.engine.synthetic import synthetic_spec
from game.minds.scripted import ScriptedMind

H = 60


def _spec() -> dict[str, Any]:
    agents = [
        {"id": "xan", "home": "h_xan", "wake": 7 * H, "sleep": 22 * H,
         "routine": [{"days": list(WEEKDAYS), "start": 8 * H, "end": 20 * H,
                      "location": "square", "activity": "selling"}]},
        {"id": "yve", "home": "h_yve", "wake": 7 * H, "sleep": 22 * H},
    ]
    locations = [{"id": "h_xan", "kind": "private"}, {"id": "h_yve", "kind": "private"},
                 {"id": "square", "kind": "public"}]
    return {"start_time": 6 * H, "locations": locations, "agents": agents,
            "connections": [["h_xan", "square", 5], ["h_yve", "square", 5]]}


def _feed(world: World, total: int) -> list[int]:
    """Add memories about yve to xan summing to ``total`` importance; returns their ids."""
    xan = world.agents["xan"]
    ids = []
    while total > 0:
        imp = min(10, total)
        world.add_memory(xan, "observation", f"Yve did something worth {imp}", imp,
                         subject="yve", predicate="did")
        ids.append(len(xan.memory) - 1)
        total -= imp
    return ids


def _reflections(world: World, agent: str) -> list[Any]:
    return [n for n in world.agents[agent].memory.nodes if n.kind == "reflection"]


def test_threshold_default_is_150_and_exact() -> None:
    world = World(_spec(), seed=1, mind=ScriptedMind())
    assert world.reflection_threshold == 150
    xan = world.agents["xan"]
    _feed(world, 149)
    assert not xan.reflect_due
    _feed(world, 1)
    assert xan.reflect_due


def test_reflection_runs_and_cites_existing_evidence() -> None:
    world = World(_spec(), seed=1, mind=ScriptedMind())
    fed = _feed(world, 150)
    world.run_until(6 * H + 1)  # xan's first decision
    refl = _reflections(world, "xan")
    assert refl, "crossing the threshold must produce reflections at the next decision"
    stream = world.agents["xan"].memory
    for node in refl:
        assert node.evidence, f"reflection cites nothing: {node.text}"
        for ev in node.evidence:
            assert 0 <= ev < len(stream)
            cited = stream.get(ev)
            assert cited.kind != "reflection" and cited.created <= node.created
    about_yve = [n for n in refl if n.subject == "yve"]
    assert about_yve and set(about_yve[0].evidence) <= set(fed)
    assert stream.importance_since_reflection < 150
    assert not world.agents["xan"].reflect_due
    assert any(e.kind == "reflect" and e.actor == "xan" for e in world.log.events)
    assert not _reflections(world, "yve")


def test_no_reflection_below_threshold() -> None:
    world = World(_spec(), seed=1, mind=ScriptedMind())
    _feed(world, 100)
    world.run_until(7 * H)
    assert not _reflections(world, "xan")
    assert not any(e.kind == "reflect" for e in world.log.events)


def test_threshold_comes_from_the_spec() -> None:
    spec = _spec()
    spec["reflection_threshold"] = 40
    world = World(spec, seed=1, mind=ScriptedMind())
    _feed(world, 40)
    world.run_until(6 * H + 1)
    assert _reflections(world, "xan")


def test_reflections_in_a_long_run_cite_real_memories() -> None:
    world = World(synthetic_spec(12, 8, seed=3), seed=7, mind=ScriptedMind())
    world.run_until(5 * MINUTES_PER_DAY)
    total = 0
    for agent in world.order:
        stream = agent.memory
        for node in stream.nodes:
            if node.kind != "reflection":
                continue
            total += 1
            assert node.evidence
            assert all(stream.get(i).kind != "reflection" for i in node.evidence)
    assert total > 0
    assert total == sum(e.data["count"] for e in world.log.events if e.kind == "reflect")
