"""Answers to the player, built from the answering agent's own memory stream.

An agent lies only where the story gives it a reason: a ``lie`` entry (asked
where it was, it names another place while the lie's condition holds) or a
``secret`` it will not admit until the secret's ``admit_when`` holds. Every
answer carries structured claims (who was where, when) so the notebook can
catch a lie against another witness.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from game.engine.clock import MINUTES_PER_DAY
from game.engine.memory import MemoryNode
from game.engine.model import Agent
from game.engine.world import World

from .conditions import holds
from .rules import MysteryRules

SEEN_WINDOW = 90


@dataclass
class Answer:
    text: str
    claims: list[list[Any]] = field(default_factory=list)  # [subject, location, t]
    facts: list[str] = field(default_factory=list)
    lied: bool = False
    memories: list[int] = field(default_factory=list)  # memory ids the answer rests on


def voice_line(world: World, agent: Agent, key: str, default: str) -> str:
    """Deterministic voice line that does not touch the world RNG (answers must not
    change the simulation's future)."""
    lines = agent.voice.get(key) or []
    if not lines:
        return default
    return lines[(world.now // 7 + len(agent.memory)) % len(lines)]


def protected(world: World, rules: MysteryRules, agent_id: str, fact_id: str) -> bool:
    """True if the story forbids this agent to reveal this fact right now."""
    for secret in rules.spec.get("secrets", {}).get(agent_id, []):
        if secret["fact"] == fact_id:
            return secret["admit_when"] is None or not holds(secret["admit_when"], world, rules)
    return False


def where_was(agent: Agent, t: int) -> tuple[str, MemoryNode | None]:
    """The last place the agent remembers going to at or before time t."""
    nodes = agent.memory.nodes
    created = [n.created for n in nodes]
    idx = bisect.bisect_right(created, t)
    for node in reversed(nodes[:idx]):
        if node.predicate == "arrive" and node.subject == agent.id:
            return node.object, node
    return agent.home, None


def ask_where(world: World, rules: MysteryRules, agent_id: str, t: int) -> Answer:
    agent = world.agents[agent_id]
    if t > world.now:
        return Answer(voice_line(world, agent, "deflect", "How should I know what I'll be doing?"))
    truth, node = where_was(agent, t)
    for lie in rules.spec.get("lies", {}).get(agent_id, []):
        if lie["about"] == truth and holds(lie["when"], world, rules):
            place = world.locations[lie["claim"]].name
            text = lie["say"] or f"I was at {place}, if you must know."
            return Answer(text, [[agent_id, lie["claim"], t]], lied=True)
    place = world.locations[truth].name
    seen = _seen_near(world, agent, truth, t)
    when = world.calendar.format(t)
    text = f"Around {when}? I was at {place}."
    claims: list[list[Any]] = [[agent_id, truth, t]]
    if seen:
        names = ", ".join(world.agents[s].name for s, _ in seen)
        text += f" I saw {names} there."
        claims += [[s, truth, tt] for s, tt in seen]
    return Answer(text, claims, memories=[node.id] if node else [])


def _seen_near(world: World, agent: Agent, location: str, t: int) -> list[tuple[str, int]]:
    nodes = agent.memory.nodes
    created = [n.created for n in nodes]
    lo = bisect.bisect_left(created, t - SEEN_WINDOW)
    hi = bisect.bisect_right(created, t + SEEN_WINDOW)
    seen: dict[str, int] = {}
    for node in nodes[lo:hi]:
        if node.kind == "observation" and location in node.tags and node.subject in world.agents \
                and node.subject != agent.id and node.predicate in ("arrive", "activity", "take"):
            seen.setdefault(node.subject, node.created)
    return sorted(seen.items())[:4]


def ask_person(world: World, rules: MysteryRules, agent_id: str, about: str) -> Answer:
    agent, other = world.agents[agent_id], world.agents[about]
    rel = agent.relationships.get(about)
    if about == agent_id:
        return Answer(voice_line(world, agent, "deflect", "What about me?"))
    affinity = agent.affinity(about)
    feeling = ("I'm fond of them" if affinity > 0.4 else
               "I don't trust them" if affinity < -0.1 else "they're all right")
    label = f" ({rel.label})" if rel and rel.label else ""
    text = f"{other.name}{label}? {feeling[0].upper()}{feeling[1:]}."
    memories = agent.memory.retrieve(f"{about} {other.name}", world.now, k=3)
    facts = _shareable_facts(world, rules, agent, lambda f: about in world.facts[f].about)
    for fact_id in facts[:2]:
        text += f" They say: {world.facts[fact_id].text}"
    reflection = next((m for m in memories if m.kind == "reflection"), None)
    if reflection is not None:
        text += f" {reflection.text}"
    return Answer(text, facts=facts[:2], memories=[m.id for m in memories])


def ask_unusual(world: World, rules: MysteryRules, agent_id: str) -> Answer:
    agent = world.agents[agent_id]
    since = world.now - 3 * MINUTES_PER_DAY
    memories = agent.memory.retrieve("took poison knife whispered low voices night strange",
                                     world.now, k=8)
    notable = [m for m in memories if m.kind == "observation" and m.importance >= 4
               and m.created >= since and m.subject != agent_id]
    if not notable:
        return Answer(voice_line(world, agent, "nothing_unusual", "Nothing out of the ordinary."))
    notable.sort(key=lambda m: m.created)
    parts, claims, facts = [], [], []
    for m in notable[:3]:
        if m.object in world.facts and protected(world, rules, agent_id, m.object):
            continue
        loc = next((t for t in m.tags if t in world.locations), "")
        parts.append(f"{world.calendar.format(m.created)}: {m.text}.")
        if loc and m.subject in world.agents:
            claims.append([m.subject, loc, m.created])
        if m.object in world.facts:
            facts.append(m.object)
    if not parts:
        return Answer(voice_line(world, agent, "nothing_unusual", "Nothing out of the ordinary."))
    return Answer("Now that you ask... " + " ".join(parts), claims, facts,
                  memories=[m.id for m in notable[:3]])


def ask_item(world: World, rules: MysteryRules, agent_id: str, item_id: str) -> Answer:
    agent, item = world.agents[agent_id], world.items[item_id]
    hiding = any(item_id in p["means"] and agent_id in rules.cabal(p)
                 and rules.state["plots"][p["id"]]["status"] in ("active", "done")
                 for p in rules.spec["plots"])
    if hiding:
        line = voice_line(world, agent, "deflect", f"The {item.name}? Never seen it.")
        return Answer(line, lied=True)
    if item.holder == agent_id:
        return Answer(f"The {item.name}? I have it, as it happens.")
    mentions = [n for n in agent.memory.nodes[-400:] if n.object == item_id
                and n.subject != agent_id]
    if not mentions:
        return Answer(voice_line(world, agent, "unknown", f"I know nothing about the {item.name}."))
    m = mentions[-1]
    loc = next((t for t in m.tags if t in world.locations), "")
    claims = [[m.subject, loc, m.created]] if loc else []
    return Answer(f"{world.calendar.format(m.created)}: {m.text}.", claims, memories=[m.id])


def ask_fact(world: World, rules: MysteryRules, agent_id: str, fact_id: str) -> Answer:
    agent, fact = world.agents[agent_id], world.facts[fact_id]
    if fact_id not in agent.known_facts:
        return Answer(voice_line(world, agent, "unknown", "First I've heard of it."))
    if protected(world, rules, agent_id, fact_id):
        secret = next(s for s in rules.spec["secrets"][agent_id] if s["fact"] == fact_id)
        line = secret["deflect"] or voice_line(world, agent, "deflect", "I'd rather not say.")
        return Answer(line, lied=True)
    source = agent.known_facts[fact_id][1]
    src = (f" I heard it from {world.agents[source].name}." if source in world.agents else "")
    return Answer(f"Yes. {fact.text}{src}", facts=[fact_id])


def _shareable_facts(world: World, rules: MysteryRules, agent: Agent, keep) -> list[str]:
    out = []
    for fact_id in agent.known_facts:
        if keep(fact_id) and not protected(world, rules, agent.id, fact_id) \
                and not (world.facts[fact_id].secret and agent.id in world.facts[fact_id].about):
            out.append(fact_id)
    out.sort(key=lambda f: (-world.facts[f].importance, f))
    return out
