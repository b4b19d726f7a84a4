"""Evaluate story conditions (plain dicts) against the world and the mystery state.

This is an interpreter for a closed vocabulary, never ``eval``: an unknown key is
false, so a malformed condition cannot do anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.clock import MINUTES_PER_DAY
from game.engine.world import World

from . import law

if TYPE_CHECKING:
    from .rules import MysteryRules


def holds(cond: dict[str, Any] | None, world: World, rules: MysteryRules) -> bool:
    if cond is None:
        return True
    who = rules.resolve
    if "all" in cond:
        return all(holds(c, world, rules) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, world, rules) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], world, rules)
    if "fact_known" in cond:
        agent = world.agents.get(who(cond["by"]))
        return agent is not None and cond["fact_known"] in agent.known_facts
    if "day_at_least" in cond:
        return rules.loop_day(world) + 1 >= cond["day_at_least"]
    if "time_between" in cond:
        a, b = (_hhmm(x) for x in cond["time_between"])
        m = world.now % MINUTES_PER_DAY
        return a <= m < b if a <= b else (m >= a or m < b)
    if "item_held" in cond:
        item = world.items.get(cond["item_held"])
        if item is None:
            return False
        if cond["by"] == "anyone":
            return item.holder is not None
        return item.holder == who(cond["by"])
    if "agent_at" in cond:
        agent = world.agents.get(who(cond["agent_at"]))
        return agent is not None and agent.location == cond["location"]
    if "alive" in cond:
        agent = world.agents.get(who(cond["alive"]))
        return agent is not None and agent.alive
    if "watched" in cond:
        return rules.is_watched(world, cond["watched"])
    if "suspected" in cond:
        return who(cond["suspected"]) in world.agents and \
            law.knows_suspected(world, who(cond["suspected"])) is not None
    if "affinity_below" in cond:
        agent = world.agents.get(who(cond["of"]))
        return agent is not None and agent.affinity(who(cond["toward"])) < cond["affinity_below"]
    if "plot" in cond:
        return rules.plot_state(cond["plot"]).get("status") == cond["status"]
    if "accused" in cond:
        return all(a in rules.state["arrested"] for a in cond["accused"])
    if "murder_happened" in cond:
        return bool(rules.state["murders"]) == bool(cond["murder_happened"])
    if "clue_found" in cond:
        return cond["clue_found"] in rules.state["found_clues"]
    if "item_at" in cond:
        item = world.items.get(cond["item_at"])
        return item is not None and item.holder is None and item.location == cond["location"]
    if "plot_step" in cond:
        done = rules.state["plots"].get(cond["plot_step"], {}).get("steps_done", [])
        return cond["done"] in done
    if "deaths_at_least" in cond:
        return rules.knowledge.deaths() >= cond["deaths_at_least"]
    if "remembers" in cond:
        return rules.knowledge.remembers(cond["remembers"])
    return False


def _hhmm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)
