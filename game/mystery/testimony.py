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

from game.engine.clock import MINUTES_PER_DAY, format_hhmm
from game.engine.leaks import LeakCheck
from game.engine.memory import MemoryNode
from game.engine.model import Agent
from game.engine.world import World
from game.speech import feeling, hearsay, rumour

from . import observations
from .conditions import holds
from .plots import in_window
from .rules import MysteryRules
from .wording import capitalised, the

SEEN_WINDOW = 90  # minutes either side of the time asked about
SEEN_SHOWN = 4
SEEN_DEEDS = ("arrive", "present", "activity", "take", "depart")
UNUSUAL_DAYS = 3  # how far back "anything unusual?" reaches
UNUSUAL_SHOWN = 3
NEWS_IMPORTANCE = 6  # news this important is worth passing on when asked


@dataclass
class Answer:
    text: str
    claims: list[list[Any]] = field(default_factory=list)  # [subject, location, t]
    facts: list[str] = field(default_factory=list)
    lied: bool = False
    memories: list[int] = field(default_factory=list)  # memory ids the answer rests on
    seen: list[MemoryNode] = field(default_factory=list)  # deeds the speaker saw and told
    account: dict[str, Any] | None = None  # the story's true account this answer gave


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


def speakable(world: World, rules: MysteryRules, agent_id: str) -> list[str]:
    """The facts this agent may tell the player now: known, not protected by the story,
    and not a secret about itself."""
    agent = world.agents[agent_id]
    return [f for f in agent.known_facts if not protected(world, rules, agent_id, f)
            and not (world.facts[f].secret and agent_id in world.facts[f].about)]


def gives_away(world: World, rules: MysteryRules, agent_id: str, text: str) -> bool:
    """Whether ``text`` in this agent's mouth names, quotes or paraphrases a fact it may
    not tell (the check every model-written answer passes, see ``game.engine.leaks``)."""
    allowed = set(speakable(world, rules, agent_id))
    return bool(LeakCheck.of_world(world).gives_away(
        text, [f for f in world.facts if f not in allowed]))


@dataclass(frozen=True)
class Whereabouts:
    """Where an agent was at a moment, by its own memory: at ``place`` (``to`` empty), or on
    the road from ``place`` to ``to``, having left at ``left`` and arrived at ``arrived``."""

    place: str
    to: str = ""
    left: int = 0
    arrived: int = 0
    memory: MemoryNode | None = None


def _arrivals(agent: Agent) -> list[MemoryNode]:
    return [n for n in agent.memory.nodes if n.predicate == "arrive" and n.subject == agent.id]


def whereabouts(world: World, agent: Agent, t: int) -> Whereabouts:
    """Where the agent remembers being at minute ``t``. It remembers each arrival; a walk
    takes the travel time, so a journey that ended after ``t`` may already have begun."""
    arrivals = _arrivals(agent)
    idx = bisect.bisect_right([n.created for n in arrivals], t)
    last = arrivals[idx - 1] if idx else None
    place, since = (last.object, last.created) if last else (agent.home, 0)
    if idx < len(arrivals):
        nxt = arrivals[idx]
        left = max(since, nxt.created - (world.travel_time(place, nxt.object) or 0))
        if left <= t:
            return Whereabouts(place, nxt.object, left, nxt.created, nxt)
    elif agent.location is None and agent.travel_to and agent.action:
        left = max(since, agent.action_end - int(agent.action.get("duration", 0)))
        if left <= t:
            return Whereabouts(place, agent.travel_to, left, agent.action_end, last)
    return Whereabouts(place, memory=last)


def ask_where(world: World, rules: MysteryRules, agent_id: str, t: int) -> Answer:
    """Honest answers claim only what the agent's memory makes true; a lie claims the
    story's ``claim`` place, and only while the agent really was at the lie's ``about``."""
    agent = world.agents[agent_id]
    if t > world.now:
        return Answer(voice_line(world, agent, "deflect", "How should I know what I'll be doing?"))
    pos = whereabouts(world, agent, t)
    when = world.calendar.format(t)
    for lie in rules.spec.get("lies", {}).get(agent_id, []):
        if lie["about"] in (pos.place, pos.to) and asked_about(world, rules, lie, t) \
                and holds(lie["when"], world, rules):
            place = world.locations[lie["claim"]].name
            text = lie["say"] or f"I was at {place}, if you must know."
            return Answer(text, [[agent_id, lie["claim"], t]], lied=True)
    memories = [pos.memory.id] if pos.memory else []
    if pos.to:
        here, there = world.locations[pos.place].name, world.locations[pos.to].name
        claims: list[list[Any]] = [[agent_id, pos.place, pos.left]]
        if pos.arrived <= world.now:
            claims.append([agent_id, pos.to, pos.arrived])
        return Answer(f"Around {when}? I was on my way from {here} to {there}.", claims,
                      memories=memories)
    place = world.locations[pos.place].name
    seen = _seen_near(world, agent, pos.place, t)
    account = next((a for a in rules.spec.get("accounts", {}).get(agent_id, [])
                    if a["location"] == pos.place and asked_about(world, rules, a, t)), None)
    text = f"Around {when}? " + (account["say"] if account and account["say"]
                                 else f"I was at {place}.")
    claims = [[agent_id, pos.place, t]]
    if seen:
        names = ", ".join(f"{'you' if s == rules.player else world.agents[s].name} "
                          f"({format_hhmm(tt % MINUTES_PER_DAY)})" for s, tt in seen)
        text += f" I saw {names} there."
        claims += [[s, pos.place, tt] for s, tt in seen]
    return Answer(text, claims, memories=memories, account=account)


def asked_about(world: World, rules: MysteryRules, entry: dict[str, Any], t: int) -> bool:
    """Does a lie's or an account's window of the asked-about time hold for minute ``t``?
    (Its ``when`` is checked as the player asks; this is about the time asked about.)"""
    window = entry.get("asked_between")
    if window and not in_window(t % MINUTES_PER_DAY, window[0], window[1]):
        return False
    first = entry.get("asked_from_day")
    start = rules.state["loop_start"] if rules.state["loop_start"] is not None else 0
    return not first or t // MINUTES_PER_DAY - start // MINUTES_PER_DAY + 1 >= first


def reaction(world: World, rules: MysteryRules, agent_id: str, fact_id: str) -> str:
    """The story's line for ``agent_id`` when the player brings up ``fact_id``, if any."""
    for entry in rules.spec.get("reactions", {}).get(agent_id, []):
        if entry["fact"] == fact_id and holds(entry["when"], world, rules):
            return str(entry["say"])
    return ""


def _seen_near(world: World, agent: Agent, location: str, t: int) -> list[tuple[str, int]]:
    """Who the agent remembers seeing at ``location`` in the SEEN_WINDOW up to ``t``: what
    was true at ``t``, never an arrival that came after it."""
    nodes = agent.memory.nodes
    created = [n.created for n in nodes]
    lo = bisect.bisect_left(created, t - SEEN_WINDOW)
    hi = bisect.bisect_right(created, min(t, world.now))
    seen: dict[str, int] = {}
    for node in nodes[lo:hi]:
        if node.kind == "observation" and location in node.tags and node.subject in world.agents \
                and node.subject != agent.id and node.predicate in SEEN_DEEDS:
            if node.subject not in seen or abs(node.created - t) < abs(seen[node.subject] - t):
                seen[node.subject] = node.created
    return sorted(seen.items())[:SEEN_SHOWN]


def ask_person(world: World, rules: MysteryRules, agent_id: str, about: str) -> Answer:
    agent, other = world.agents[agent_id], world.agents[about]
    if about == agent_id:
        return Answer(voice_line(world, agent, "deflect", "What about me?"))
    text = f"{other.name}? {feeling(world, agent_id, about)}."
    memories = agent.memory.retrieve(f"{about} {other.name}", world.now, k=3)
    facts = _shareable_facts(world, rules, agent, lambda f: about in world.facts[f].about)
    for fact_id in facts[:2]:
        text += f" {hearsay(world, agent_id, fact_id, rules.player)}"
    reflection = next((m for m in memories if m.kind == "reflection"
                       and not gives_away(world, rules, agent_id, m.text)), None)
    if reflection is not None:
        text += f" {reflection.text}"
    return Answer(text, facts=facts[:2], memories=[m.id for m in memories])


def ask_unusual(world: World, rules: MysteryRules, agent_id: str) -> Answer:
    """What the agent itself saw lately that it finds out of the way (``observations``), the
    latest last; failing that, the freshest news it has heard; failing that, its own line."""
    agent = world.agents[agent_id]
    since = world.now - UNUSUAL_DAYS * MINUTES_PER_DAY
    notable: list[MemoryNode] = []
    for node in reversed(agent.memory.nodes):
        if node.created < since or len(notable) >= UNUSUAL_SHOWN:
            break
        if observations.unusual(world, agent, node) and not (
                node.object in world.facts and protected(world, rules, agent_id, node.object)):
            notable.append(node)
    if notable:
        notable.reverse()
        parts, claims = [], []
        for m in notable:
            parts.append(f"{world.calendar.format(m.created)}: {m.text}.")
            loc = observations.where(world, m)
            if loc:
                claims.append([m.subject, loc, m.created])
        return Answer("Now that you ask... " + " ".join(parts), claims,
                      memories=[m.id for m in notable], seen=notable)
    fresh = [f for f, (t, _) in agent.known_facts.items() if t >= since
             and world.facts[f].importance >= NEWS_IMPORTANCE
             and not protected(world, rules, agent_id, f)
             and not (world.facts[f].secret and agent_id in world.facts[f].about)]
    if fresh:
        fresh.sort(key=lambda f: (-agent.known_facts[f][0], f))
        return Answer(rumour(world, agent_id, fresh[0], rules.player), facts=fresh[:1])
    return Answer(voice_line(world, agent, "nothing_unusual", "Nothing out of the ordinary."))


def ask_item(world: World, rules: MysteryRules, agent_id: str, item_id: str) -> Answer:
    agent, item = world.agents[agent_id], world.items[item_id]
    hiding = any(item_id in p["means"] and agent_id in rules.cabal(p)
                 and rules.state["plots"][p["id"]]["status"] in ("active", "done")
                 for p in rules.spec["plots"])
    if hiding:
        line = voice_line(world, agent, "deflect", f"{capitalised(the(item.name))}? Never seen it.")
        return Answer(line, lied=True)
    if item.holder == agent_id:
        return Answer(f"{capitalised(the(item.name))}? I have it, as it happens.")
    mentions = [n for n in agent.memory.nodes[-400:] if n.object == item_id
                and n.subject != agent_id]
    if not mentions:
        return Answer(voice_line(world, agent, "unknown",
                                 f"I know nothing about {the(item.name)}."))
    m = mentions[-1]
    loc = observations.where(world, m)
    claims = [[m.subject, loc, m.created]] if loc and m.kind == "observation" else []
    return Answer(f"{world.calendar.format(m.created)}: {m.text}.", claims, memories=[m.id],
                  seen=[m] if m.kind == "observation" else [])


def ask_fact(world: World, rules: MysteryRules, agent_id: str, fact_id: str) -> Answer:
    agent = world.agents[agent_id]
    if fact_id not in agent.known_facts:
        return Answer(voice_line(world, agent, "unknown", "First I've heard of it."))
    if protected(world, rules, agent_id, fact_id):
        secret = next(s for s in rules.spec["secrets"][agent_id] if s["fact"] == fact_id)
        line = secret["deflect"] or voice_line(world, agent, "deflect", "I'd rather not say.")
        return Answer(line, lied=True)
    return Answer(f"Yes. {hearsay(world, agent_id, fact_id, rules.player)}", facts=[fact_id])


def _shareable_facts(world: World, rules: MysteryRules, agent: Agent, keep) -> list[str]:
    out = []
    for fact_id in agent.known_facts:
        if keep(fact_id) and not protected(world, rules, agent.id, fact_id) \
                and not (world.facts[fact_id].secret and agent.id in world.facts[fact_id].about):
            out.append(fact_id)
    out.sort(key=lambda f: (-world.facts[f].importance, f))
    return out
