"""Gossip along a chain of meetings, perception, and memories that change choices."""

from __future__ import annotations

import itertools
from typing import Any

from game.engine import Action, World
from game.engine.actions import TAKE, TAKE_MINUTES, TALK, TALK_MINUTES
from game.engine.clock import MINUTES_PER_DAY
from game.engine.model import DEFAULT_FACT_IMPORTANCE, Fact
from game.engine.social import (
    NEWS_ON_MIND,
    NEWS_SHELF_LIFE_MINUTES,
    STALE_HALF_LIFE_MINUTES,
    news,
    tellable,
)
from game.minds.scripted import ScriptedMind
from tests.towns import H, person, town

DAY = MINUTES_PER_DAY


def _agent(aid: str, routine: list[tuple[int, int, str, str]], **extra: Any) -> dict[str, Any]:
    """A townsperson whose routine is given in whole hours."""
    return person(aid, [(s * H, e * H, loc, act) for s, e, loc, act in routine], **extra)


def _befriend(agents: list[dict[str, Any]], a: str, b: str) -> None:
    by_id = {x["id"]: x for x in agents}
    by_id[a]["relationships"][b] = {"affinity": 1.0, "label": "friend"}
    by_id[b]["relationships"][a] = {"affinity": 1.0, "label": "friend"}


def _chain_spec() -> dict[str, Any]:
    agents = [
        _agent("ann", [(8, 12, "market", "trading")]),
        _agent("ben", [(8, 12, "market", "trading"), (13, 16, "mill", "milling")]),
        _agent("cal", [(13, 16, "mill", "milling"), (18, 21, "tavern", "drinking")]),
        _agent("dot", [(18, 21, "tavern", "drinking")]),
    ]
    for a, b in (("ann", "ben"), ("ben", "cal"), ("cal", "dot")):
        _befriend(agents, a, b)
    spec = town(agents, ["market", "mill", "tavern"], outings=False)  # meet by routine only
    spec["facts"] = [{"id": "theft", "text": "the mayor stole the harbour fund",
                      "importance": 10, "known_by": ["ann"]}]
    return spec


def test_fact_spreads_along_a_chain_of_meetings() -> None:
    """Gossip is a chance at each meeting, so over three dozen seeds the fact reaches the far
    end of the chain in some and stops part-way in others, but always along the chain."""
    reached_dot = 0
    seeds = range(11, 47)
    for seed in seeds:
        world = World(_chain_spec(), seed=seed, mind=ScriptedMind())
        assert [a.id for a in world.order if a.knows("theft")] == ["ann"]
        world.run_until(2 * DAY)
        facts = {a.id: a.known_facts.get("theft") for a in world.order}
        chain = [x for x in ("ann", "ben", "cal", "dot") if facts[x]]
        assert chain == ["ann", "ben", "cal", "dot"][:len(chain)], facts  # no link skipped
        for teller, hearer in itertools.pairwise(chain):
            assert facts[hearer][1] == teller, facts
            assert facts[teller][0] < facts[hearer][0]
        spread = [(e.actor, e.data["to"]) for e in world.log.events
                  if e.kind == "fact_spread" and e.data["fact"] == "theft"]
        assert spread == list(itertools.pairwise(chain))
        # ann and dot never meet, so dot can only hear it second-hand
        assert not any(e.kind == "talk" and {e.actor, e.data["with"]} == {"ann", "dot"}
                       for e in world.log.events)
        reached_dot += "dot" in chain
    assert 4 <= reached_dot < len(seeds), reached_dot


def test_both_sides_remember_a_conversation() -> None:
    world = World(_chain_spec(), seed=11, mind=ScriptedMind())
    world.run_until(DAY)
    talks = [e for e in world.log.events if e.kind == "talk"]
    assert talks, "friends sharing a place all morning should talk"
    for event in talks:
        for me, other in ((event.actor, event.data["with"]), (event.data["with"], event.actor)):
            mem = [n for n in world.agents[me].memory.nodes
                   if n.kind == "conversation" and n.subject == other and n.created == event.t]
            assert mem, f"{me} forgot talking with {other} at {event.t}"


def test_unfriendly_agents_pass_on_less() -> None:
    """Affinity gates gossip: with everyone at -1 affinity nothing important leaks."""
    spec = _chain_spec()
    for agent in spec["agents"]:
        for rel in agent["relationships"].values():
            rel["affinity"] = -1.0
    spec["facts"][0]["importance"] = 3
    world = World(spec, seed=11, mind=ScriptedMind())
    world.run_until(2 * DAY)
    assert not world.agents["dot"].knows("theft")


def _perception_spec() -> dict[str, Any]:
    agents = [
        _agent("xan", [(8, 20, "square", "selling")]),
        _agent("yve", [(8, 20, "square", "sweeping")]),
        _agent("zed", [(8, 20, "quay", "fishing")]),
        _agent("pip", [], is_player=True, start_location="square"),
    ]
    spec = town(agents, ["square", "quay"], outings=False)  # each keeps to their place
    spec["items"] = [{"id": "coin", "name": "coin", "location": "square"}]
    return spec


def _observed(world: World, observer: str, actor: str) -> list[Any]:
    return [n for n in world.agents[observer].memory.nodes
            if n.kind == "observation" and n.subject == actor]


def test_colocated_agents_observe_each_other_and_others_do_not() -> None:
    world = World(_perception_spec(), seed=2, mind=ScriptedMind())
    world.run_until(DAY)
    assert _observed(world, "yve", "xan") and _observed(world, "xan", "yve")
    assert not _observed(world, "zed", "xan") and not _observed(world, "zed", "yve")
    assert not _observed(world, "xan", "zed") and not _observed(world, "yve", "zed")
    # every observation yve holds of xan matches an event by xan at a place yve was
    seen = {n.predicate for n in _observed(world, "yve", "xan")}
    seen |= {n.predicate for n in _observed(world, "xan", "yve")}
    assert {"arrive", "depart", "activity"} <= seen
    # what yve saw xan do at the square really happened there, at that minute
    events = {(e.t, e.kind) for e in world.log.events if e.actor == "xan"}
    for node in _observed(world, "yve", "xan"):
        assert (node.created, node.predicate) in events


def test_agents_observe_the_player() -> None:
    world = World(_perception_spec(), seed=2, mind=ScriptedMind())
    world.run_until(9 * H)  # xan and yve are at the square now
    take = Action(TAKE, item="coin", duration=TAKE_MINUTES)
    assert take in world.allowed_actions("pip")
    world.perform("pip", take)
    for who in ("xan", "yve"):
        seen = [n for n in _observed(world, who, "pip") if n.predicate == "take"]
        assert seen and seen[0].created == world.now, who
    assert not _observed(world, "zed", "pip")
    assert world.items["coin"].holder == "pip"


def _grudge_spec() -> dict[str, Any]:
    agents = [
        _agent("xan", [(8, 20, "square", "selling")]),
        _agent("yve", [(8, 20, "square", "sweeping")]),
    ]
    _befriend(agents, "xan", "yve")
    return town(agents, ["square", "quay"], outings=False)  # together at the stall by routine


def _xan_talks_to_yve(world: World, until: int) -> int:
    world.run_until(until)
    return sum(1 for e in world.log.events
               if e.kind == "talk" and e.actor == "xan" and e.data["with"] == "yve")


def test_negative_memory_stops_talking() -> None:
    end = 20 * H
    plain = World(_grudge_spec(), seed=5, mind=ScriptedMind())
    assert _xan_talks_to_yve(plain, end) >= 1, "friends at the same stall should chat"

    wary = World(_grudge_spec(), seed=5, mind=ScriptedMind())
    wary.add_memory(wary.agents["xan"], "observation", "Yve threatened me with a knife", 10,
                    subject="yve", predicate="threatened", valence=-0.9)
    assert _xan_talks_to_yve(wary, end) == 0
    assert wary.log.digest != plain.log.digest


def test_negative_memory_changes_the_decision_itself() -> None:
    """Same world, same moment, same RNG state: only the memory differs."""
    def decision(with_grudge: bool) -> Action:
        world = World(_grudge_spec(), seed=5, mind=ScriptedMind())
        world.run_until(9 * H)
        xan = world.agents["xan"]
        while xan.location != "square" or world.now - xan.last_talk.get("yve", -999) < 200:
            world.run_until(world.now + 10)  # a moment when chatting is not "too soon"
        if with_grudge:
            world.add_memory(world.agents["xan"], "observation",
                             "Yve threatened me with a knife", 10, subject="yve", valence=-0.9)
        situation = world.situation(world.agents["xan"])
        assert "yve" in situation.present
        mind = ScriptedMind()
        for _ in range(20):  # several rolls: a friendly xan talks at least once
            action = mind.choose(world, situation)
            if action.kind == TALK:
                return action
        return action

    assert decision(False) == Action(TALK, "yve", duration=TALK_MINUTES)
    assert decision(True).kind != TALK


def _news_world() -> World:
    agents = [_agent(x, [(8, 20, "square", "selling")]) for x in ("ann", "ben", "cal")]
    spec = town(agents, ["square"])
    spec["facts"] = [{"id": "theft", "text": "the mayor stole the harbour fund",
                      "importance": 8, "known_by": ["ann"]}]
    world = World(spec, seed=3, mind=ScriptedMind())
    world.run_until(9 * H)
    assert {a.location for a in world.order} == {"square"}
    return world


def test_stale_news_is_no_longer_told() -> None:
    world = _news_world()
    ann, ben = world.agents["ann"], world.agents["ben"]
    assert tellable(world, ann, ben) == ["theft"]
    ann.known_facts["theft"][0] = world.now - NEWS_SHELF_LIFE_MINUTES - 1
    assert news(world, ann) == [] and tellable(world, ann, ben) == []


def test_news_draws_the_teller_to_those_not_yet_told_and_fades() -> None:
    world = _news_world()
    ann, mind = world.agents["ann"], ScriptedMind()
    ann.told["theft"] = ["cal"]
    _, seek = mind._social_memory(world, world.situation(ann))
    assert set(seek) == {"ben"}  # cal has heard it from her already
    ann.known_facts["theft"][0] = world.now  # just heard
    _, seek = mind._social_memory(world, world.situation(ann))
    fresh = seek["ben"]
    theft_half_life = STALE_HALF_LIFE_MINUTES * 8 // DEFAULT_FACT_IMPORTANCE  # weightier: slower
    ann.known_facts["theft"][0] = world.now - 2 * theft_half_life
    _, seek = mind._social_memory(world, world.situation(ann))
    assert 0 < seek["ben"] < fresh / 3  # two half-lives later it pulls a quarter as hard
    ann.known_facts["theft"][0] = world.now - NEWS_SHELF_LIFE_MINUTES - 1
    assert mind._social_memory(world, world.situation(ann)) == ({}, {})


def test_only_the_freshest_news_is_on_a_mind() -> None:
    world = _news_world()
    ann = world.agents["ann"]
    for i in range(NEWS_ON_MIND + 3):
        world.facts[f"n{i}"] = Fact(f"n{i}", f"news number {i}", 5)
        world.now += 1
        world.learn_fact(ann, f"n{i}", "ben")
    newest_first = [f"n{i}" for i in reversed(range(NEWS_ON_MIND + 3))]
    assert news(world, ann) == newest_first[:NEWS_ON_MIND]
    assert "theft" not in news(world, ann)  # still known, no longer on her mind
    assert ann.knows("theft")
