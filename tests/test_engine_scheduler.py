"""The discrete-event scheduler: stable ties, resumable chunks, progress, no idle loops,
and a world that refuses actions it does not allow."""

from __future__ import annotations

import json
from typing import Any

import pytest

from game.engine import Action, InvalidAction, World
from game.engine.actions import MOVE
from game.engine.clock import MINUTES_PER_DAY
from game.engine.mind import Situation
from game.engine.synthetic import synthetic_spec
from game.minds.scripted import ScriptedMind

DAY = MINUTES_PER_DAY


class RecordingMind(ScriptedMind):
    """The scripted mind, plus a record of every batch it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[tuple[int, list[str]]] = []

    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        self.batches.append((world.now, [s.agent_id for s in situations]))
        return super().decide(world, situations)


def _awake_at_start(spec: dict[str, Any]) -> dict[str, Any]:
    """Everyone wakes when the town starts, so all of them decide in its first minute."""
    for agent in spec["agents"]:
        agent["wake"] = spec["start_time"]
    return spec


def test_batches_come_in_spec_order() -> None:
    spec = _awake_at_start(synthetic_spec(8, 6, seed=3))
    mind = RecordingMind()
    world = World(spec, seed=1, mind=mind)
    world.run_until(2 * DAY)
    index = {a.id: a.index for a in world.order}
    assert mind.batches[0] == (spec["start_time"], [a["id"] for a in spec["agents"]])
    assert any(len(ids) > 1 for _, ids in mind.batches)
    times = [t for t, _ in mind.batches]
    assert times == sorted(times) and len(set(times)) == len(times)
    for _, ids in mind.batches:
        assert [index[i] for i in ids] == sorted(index[i] for i in ids)


def test_ties_follow_spec_order_not_ids() -> None:
    spec = _awake_at_start(synthetic_spec(8, 6, seed=3))
    spec["agents"].reverse()
    mind = RecordingMind()
    World(spec, seed=1, mind=mind).run_until(spec["start_time"])
    assert mind.batches[0][1] == [f"a{i}" for i in range(7, -1, -1)]


def _digest_in_chunks(chunk: int, end: int) -> tuple[str, str]:
    world = World(synthetic_spec(12, 8, seed=3), seed=4, mind=ScriptedMind())
    t = world.now
    while t < end:
        t = min(end, t + chunk)
        assert world.run_until(t)
        assert world.now == t
    return world.log.digest, json.dumps(world.snapshot(), sort_keys=True)


@pytest.mark.parametrize("chunk", [37, DAY])
def test_chunked_run_equals_one_call(chunk: int) -> None:
    end = 3 * DAY
    assert _digest_in_chunks(chunk, end) == _digest_in_chunks(end, end)


def test_progress_reports_increasing_times() -> None:
    world = World(synthetic_spec(12, 8, seed=3), seed=4, mind=ScriptedMind())
    calls: list[tuple[int, int]] = []
    world.run_until(3 * DAY, progress=lambda now, end: calls.append((now, end)))
    assert len(calls) >= 5
    times = [now for now, _ in calls]
    assert times == sorted(times) and times[0] < times[-1] == 3 * DAY
    assert all(end == 3 * DAY for _, end in calls)


def test_should_stop_pauses_and_resumes_identically() -> None:
    straight = World(synthetic_spec(12, 8, seed=3), seed=4, mind=ScriptedMind())
    straight.run_until(2 * DAY)
    paused = World(synthetic_spec(12, 8, seed=3), seed=4, mind=ScriptedMind())
    stops = 0

    def stop() -> bool:
        return paused.now >= DAY and stops == 0

    finished = paused.run_until(2 * DAY, should_stop=stop)
    assert not finished and DAY <= paused.now < 2 * DAY
    stops = 1
    assert paused.run_until(2 * DAY)
    assert paused.log.digest == straight.log.digest


def test_engine_does_not_loop_over_idle_minutes() -> None:
    mind = RecordingMind()
    world = World(synthetic_spec(3, 4, seed=3), seed=1, mind=mind)
    world.run_until(3 * DAY)
    decisions = sum(len(ids) for _, ids in mind.batches)
    assert world.stats["batches"] == len(mind.batches)
    assert len(mind.batches) < 3 * 3 * DAY / 10
    assert decisions < 3 * 3 * DAY / 10
    # nights are skipped in one jump: nobody decides between 01:00 and 05:00
    assert not [t for t, _ in mind.batches if 60 <= t % DAY < 5 * 60]


class CheatingMind(ScriptedMind):
    """Tries to walk everyone into a house they may not enter, instantly."""

    def __init__(self, forbidden: str) -> None:
        super().__init__()
        self.forbidden = forbidden

    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        return [Action(MOVE, self.forbidden, duration=1) for _ in situations]


def _locked_house_spec() -> dict[str, Any]:
    spec = synthetic_spec(4, 6, seed=3)
    spec["locations"].append({"id": "vault", "kind": "private", "owners": []})
    spec["connections"].append(["loc0", "vault", 1])
    return spec


def test_world_rejects_actions_it_does_not_allow() -> None:
    world = World(_locked_house_spec(), seed=1, mind=CheatingMind("vault"))
    assert all(Action(MOVE, "vault", duration=1) not in world.allowed_actions(a.id)
               for a in world.order)
    world.run_until(DAY)
    invalid = [e for e in world.log.events if e.kind == "invalid_decision"]
    assert invalid and world.stats["invalid_decisions"] == world.stats["decisions"] == len(invalid)
    assert all(e.data["action"] == "move:vault" for e in invalid)
    assert not any(e.kind == "arrive" and e.location == "vault" for e in world.log.events)
    assert all(a.location != "vault" and a.travel_to != "vault" for a in world.order)


def test_garbage_decisions_are_rejected_too() -> None:
    class Garbage(ScriptedMind):
        def decide(self, world: World, situations: list[Situation]) -> list[Any]:
            return ["fly to the moon" for _ in situations]

    world = World(synthetic_spec(4, 6, seed=3), seed=1, mind=Garbage())
    world.run_until(DAY // 2)
    assert world.stats["invalid_decisions"] == world.stats["decisions"] > 0


def test_perform_refuses_disallowed_actions() -> None:
    world = World(_locked_house_spec(), seed=1, mind=ScriptedMind())
    before = world.log.digest
    with pytest.raises(InvalidAction):
        world.perform("a0", Action(MOVE, "vault", duration=1))
    assert world.log.digest == before


def _stale_listener_actions(world: World) -> list[tuple[int, str, str]]:
    """Actions a listener took in the same minute it was drawn into a conversation."""
    events = world.log.events
    out = []
    for i, e in enumerate(events):
        if e.kind != "talk":
            continue
        listener = e.data["with"]
        for f in events[i + 1:]:
            if f.t != e.t:
                break
            if f.actor == listener and f.kind in ("talk", "depart", "activity"):
                out.append((e.t, listener, f.kind))
    return out


def test_a_listener_keeps_its_conversation() -> None:
    """Decisions in one batch are chosen together but applied in turn. Once an agent
    has been drawn into a conversation, its own stale decision must not also apply:
    it would talk to two people at once, or walk off mid-sentence."""
    world = World(synthetic_spec(12, 8, seed=3), seed=7, mind=ScriptedMind())
    world.run_until(5 * DAY)
    clashes = _stale_listener_actions(world)
    assert not clashes, clashes[:5]


class WalkAwayMind(ScriptedMind):
    """At the first batch, a0 leaves while a1 tries to talk to a0."""

    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        out = []
        for s in situations:
            choice = None
            if world.now == world.spec["start_time"]:
                if s.agent_id == "a0":
                    choice = next(a for a in s.allowed if a.kind == MOVE)
                elif s.agent_id == "a1":
                    choice = next((a for a in s.allowed
                                   if a.kind == "talk" and a.target == "a0"), None)
            out.append(choice or self.choose(world, s))
        return out


def test_talk_to_someone_who_left_in_the_same_batch_does_not_happen() -> None:
    spec = _awake_at_start(synthetic_spec(2, 2, seed=0))
    for agent in spec["agents"]:
        agent["home"] = agent["start_location"] = "loc1"  # both start together
    world = World(spec, seed=1, mind=WalkAwayMind())
    world.run_until(spec["start_time"] + 30)
    first = [e for e in world.log.events if e.t == spec["start_time"]]
    assert any(e.kind == "depart" and e.actor == "a0" for e in first)
    assert not any(e.kind == "talk" for e in first), [(e.kind, e.actor) for e in first]
