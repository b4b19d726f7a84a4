"""What the town did: a day-by-day chronicle and a summary, from a world's event log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.engine.clock import MINUTES_PER_DAY
from game.engine.world import World

NOTABLE = ("talk", "fact_spread", "plot", "conspire", "take", "clean", "put", "murder", "watch",
           "arrest", "lurk", "announce", "reaction", "body")


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
        elif e.kind == "talk":
            other = world.agents[e.data["with"]].name
            text = f"{actor} and {other} talked ({', '.join(e.data['facts'])})"
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
