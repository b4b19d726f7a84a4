"""What the town did: a day-by-day chronicle and a summary, from a world's event log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.engine.clock import MINUTES_PER_DAY
from game.engine.world import World

NOTABLE = ("talk", "fact_spread", "overheard", "plot", "conspire", "take", "clean", "put",
           "murder", "watch", "arrest", "lurk", "announce", "reaction", "body", "question")


START = "start"  # the source of what an agent knew when the story began


def chronicle(world: World) -> list[dict[str, Any]]:
    """One entry per day: [{'day': 1, 'events': [{'time', 'kind', 'actor', 'text'}]}]."""
    days: dict[int, list[dict[str, Any]]] = {}
    facts = world.facts
    for e in world.log.events:
        if e.kind not in NOTABLE:
            continue
        if e.kind == "talk" and not e.data.get("facts"):
            continue
        actor = world.agents[e.actor].name if e.actor in world.agents else e.actor
        if e.kind == "fact_spread":
            to = world.agents[e.data["to"]].name
            text = f"{actor} told {to}: {facts[e.data['fact']].text}"
        elif e.kind == "overheard":
            speaker = world.agents[e.data["speaker"]].name
            listener = world.agents[e.data["listener"]].name
            text = (f"{actor} overheard {speaker} telling {listener}: "
                    f"{facts[e.data['fact']].text}")
        elif e.kind == "talk":
            other = world.agents[e.data["with"]].name
            n = len(e.data["facts"])
            text = f"{actor} and {other} talked, passing on {n} piece{'s' if n > 1 else ''} " \
                   "of news"
        elif e.kind == "murder":
            text = _murder_line(world, e.actor, e.location, e.data)
        else:
            text = e.data.get("text", e.kind)
        days.setdefault(e.t // MINUTES_PER_DAY, []).append(
            {"time": world.calendar.short(e.t), "kind": e.kind, "actor": e.actor, "text": text})
    return [{"day": d + 1, "events": evs} for d, evs in sorted(days.items())]


def _murder_line(world: World, killer: str, location: str, data: dict[str, Any]) -> str:
    """'Silas Pell killed Ada Vane at the lock with the tincture of nightshade'."""
    name = world.agents[killer].name if killer in world.agents else killer
    victim = world.agents[data["victim"]].name if data.get("victim") in world.agents else "?"
    item = world.items.get(str(data.get("item", "")))
    place = world.locations[location].name if location in world.locations else location
    bare = item is not None and (item.name[:1].isupper() or item.name.lower().startswith(
        ("the ", "a ", "an ")))
    weapon = "" if item is None else f" with {'' if bare else 'the '}{item.name}"
    return f"{name} killed {victim} at {place}{weapon}"


def travels(world: World) -> list[dict[str, Any]]:
    """How each fact travelled: who knew it from the start, then every telling and every
    overheard talk, in time order. Ids stay in the data; ``text`` is for reading."""
    start: dict[str, list[str]] = {}
    for agent in world.order:
        for fact_id, (_t, source) in agent.known_facts.items():
            if source in (None, "", START):
                start.setdefault(fact_id, []).append(agent.id)
    steps: dict[str, list[dict[str, Any]]] = {}
    for e in world.log.events:
        if e.kind == "fact_spread":
            steps.setdefault(e.data["fact"], []).append(
                {"t": e.t, "from": e.actor, "to": e.data["to"], "how": "told"})
        elif e.kind == "overheard":
            steps.setdefault(e.data["fact"], []).append(
                {"t": e.t, "from": e.data["speaker"], "to": e.actor, "how": "overheard"})
    out = []
    for fact_id, fact in world.facts.items():
        if fact_id not in steps:
            continue
        name = {a.id: a.name for a in world.order}.get
        lines = [f"{name(s['to'])} overheard it from {name(s['from'])}"
                 if s["how"] == "overheard" else f"{name(s['from'])} told {name(s['to'])}"
                 for s in steps[fact_id]]
        origin = ", ".join(str(name(a)) for a in start.get(fact_id, []))
        out.append({"fact": fact_id, "text": fact.text, "from_start": start.get(fact_id, []),
                    "steps": steps[fact_id],
                    "story": (f"known from the start by {origin}; " if origin else "")
                    + "; then ".join(f"{world.calendar.short(s['t'])} {line}"
                                     for s, line in zip(steps[fact_id], lines, strict=True))})
    return out


def summary(world: World) -> list[dict[str, Any]]:
    talks: dict[str, int] = {}
    for e in world.log.events:
        if e.kind == "talk":
            talks[e.actor] = talks.get(e.actor, 0) + 1
            talks[e.data["with"]] = talks.get(e.data["with"], 0) + 1
    return [{"id": a.id, "name": a.name, "alive": a.alive, "talks": talks.get(a.id, 0),
             "facts": len(a.known_facts), "memories": len(a.memory),
             "location": a.location or f"→{a.travel_to}"} for a in world.order]


@dataclass
class Segment:
    agent: str
    location: str  # "" while travelling
    start: int
    end: int


def presence(world: World, t0: int, t1: int) -> dict[str, list[Segment]]:
    """Who was where from t0 to t1, per agent, from the log's depart/arrive events."""
    events = [e for e in world.log.events if e.kind in ("arrive", "depart")]
    out: dict[str, list[Segment]] = {}
    for agent in world.order:
        mine = [e for e in events if e.actor == agent.id]
        if mine and mine[0].kind == "depart":
            where = mine[0].location or ""
        elif mine:
            where = ""  # travelling at the start
        else:
            where = agent.location or ""
        segs: list[Segment] = []
        since = t0
        for e in mine:
            t = max(t0, min(e.t, t1))
            if t > since:
                segs.append(Segment(agent.id, where, since, t))
            since = t
            where = "" if e.kind == "depart" else (e.location or "")
        if t1 > since:
            segs.append(Segment(agent.id, where, since, t1))
        out[agent.id] = segs
    return out


def facts_known(world: World) -> dict[str, dict[str, Any]]:
    """fact id -> {'known_by': {agent id: minute first known, or None if from the start}}."""
    out: dict[str, dict[str, Any]] = {f: {"known_by": {}} for f in world.facts}
    for agent in world.order:
        for fact_id, (t, source) in agent.known_facts.items():
            out.setdefault(fact_id, {"known_by": {}})["known_by"][agent.id] = (
                None if source in (None, "", START) else int(t))
    return out


def relationships(world: World) -> list[dict[str, Any]]:
    """Every relationship as {a, b, affinity, label}: a's view of b, in agent order."""
    return [{"a": a.id, "b": b, "affinity": round(rel.affinity, 3), "label": rel.label}
            for a in world.order for b, rel in a.relationships.items()]


def presence_intervals(world: World, t0: int, t1: int) -> list[dict[str, Any]]:
    """Who was where, as {agent, location, from, to} in minutes; time on the road left out."""
    return [{"agent": seg.agent, "location": seg.location, "from": seg.start, "to": seg.end}
            for segs in presence(world, t0, t1).values() for seg in segs if seg.location]
