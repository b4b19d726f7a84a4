"""World rules: a rule overrides only the hooks it needs, the world calls every hook
directly, and a rule's own actions are offered, carried out, saved and restored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from game.engine import Action, InvalidAction, World, WorldRule
from game.engine.clock import MINUTES_PER_DAY
from game.engine.events import Event
from game.engine.mind import Situation
from game.engine.model import Agent
from game.engine.synthetic import synthetic_spec
from game.minds.scripted import ScriptedMind

DAY = MINUTES_PER_DAY
RING = "ring_bell"
RING_MINUTES = 5
SHOUT = "shout"
SHOUT_MINUTES = 3
LOGGED_WITHOUT_EMIT = ("reflect", "invalid_decision")  # the log, not the town, records these


def _world(rules: list[WorldRule], mind: Any = None, seed: int = 4) -> World:
    return World(synthetic_spec(6, 6, seed=1), seed, mind or ScriptedMind(), rules)


class Watcher(WorldRule):
    """Overrides only the three observing hooks."""

    name = "watcher"

    def __init__(self) -> None:
        self.events: list[int] = []
        self.midnights: list[int] = []
        self.batches = 0

    def on_event(self, world: World, event: Event) -> None:
        self.events.append(event.seq)

    def on_day_start(self, world: World, day: int) -> None:
        self.midnights.append(day)

    def before_decisions(self, world: World, agents: list[Agent]) -> None:
        self.batches += 1


class BellRinger(WorldRule):
    """Adds an action of its own: a0 may ring the bell wherever it is."""

    name = "bell"

    def __init__(self) -> None:
        self.rung = 0

    def allowed_actions(self, world: World, agent: Agent) -> list[Action]:
        if agent.id != "a0":
            return []
        return [Action(RING, agent.location or "", duration=RING_MINUTES)]

    def apply(self, world: World, agent: Agent, action: Action) -> int | None:
        if action.kind != RING:
            return None
        self.rung += 1
        world.emit("bell", agent.id, agent.location or "",
                   {"text": f"{agent.name} rang the bell", "importance": 3})
        return action.duration

    def to_state(self) -> dict[str, int]:
        return {"rung": self.rung}

    def load_state(self, state: dict[str, int]) -> None:
        self.rung = state["rung"]


class Shouter(WorldRule):
    """Permits a0 to shout (an action no mind is offered) and carries it out."""

    name = "shout"

    def permits(self, world: World, agent: Agent, action: Action) -> bool:
        return agent.id == "a0" and action.kind == SHOUT

    def apply(self, world: World, agent: Agent, action: Action) -> int | None:
        if action.kind != SHOUT:
            return None
        world.emit("shout", agent.id, agent.location or "", {"importance": 5})
        return action.duration


class BellMind(ScriptedMind):
    """The scripted mind, except that it rings the bell at every 9 o'clock decision."""

    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        out = super().decide(world, situations)
        for i, s in enumerate(situations):
            ring = next((a for a in s.allowed if a.kind == RING), None)
            if ring is not None and world.minute_of_day() // 60 == 9:
                out[i] = ring
        return out


def test_a_rule_that_overrides_nothing_changes_nothing() -> None:
    bare, ruled = _world([]), _world([WorldRule()])
    bare.run_until(3 * DAY)
    ruled.run_until(3 * DAY)
    assert ruled.log.digest == bare.log.digest
    assert ruled.snapshot()["rules"] == {}  # a rule with no state leaves none in a save


def test_the_world_calls_every_observing_hook() -> None:
    watcher = Watcher()
    world = _world([watcher])
    world.run_until(3 * DAY)
    emitted = [e.seq for e in world.log.events if e.kind not in LOGGED_WITHOUT_EMIT]
    assert emitted and watcher.events == emitted
    assert watcher.midnights == [1, 2, 3]
    assert watcher.batches == world.stats["batches"] > 0


def test_a_rules_action_is_offered_applied_saved_and_restored() -> None:
    straight = _world([BellRinger()], BellMind())
    straight.run_until(3 * DAY)
    rings = [e for e in straight.log.events if e.kind == "bell"]
    assert rings and all(e.actor == "a0" for e in rings)
    assert straight.rules[0].to_state() == {"rung": len(rings)}

    half = _world([BellRinger()], BellMind())
    half.run_until(DAY + DAY // 2)
    snap = json.loads(json.dumps(half.snapshot()))
    assert snap["rules"]["bell"]["rung"] > 0
    again = World.restore(snap, BellMind(), [BellRinger()])
    assert again.rules[0].to_state() == snap["rules"]["bell"]
    again.run_until(3 * DAY)
    assert again.log.digest == straight.log.digest


def test_perform_asks_the_rules_to_permit_what_is_not_offered() -> None:
    shout = Action(SHOUT, duration=SHOUT_MINUTES)
    with pytest.raises(InvalidAction):
        _world([]).perform("a0", shout)
    world = _world([Shouter()])
    with pytest.raises(InvalidAction):
        world.perform("a1", shout)
    assert world.perform("a0", shout) == SHOUT_MINUTES
    assert world.log.events[-1].kind == "shout"


def test_an_action_no_rule_carries_out_is_refused() -> None:
    class Permissive(WorldRule):
        def permits(self, world: World, agent: Agent, action: Action) -> bool:
            return True

    with pytest.raises(InvalidAction, match="no rule handles"):
        _world([Permissive()]).perform("a0", Action("juggle", duration=1))
