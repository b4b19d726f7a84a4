"""Reading a world's spec: plain data in, the town's things out.

A spec (from ``game.scenario`` or ``game.engine.synthetic``) is plain data so that
saves can carry it and the engine needs no schema library. This module is the one
place that knows its shape and its defaults, and works out the travel time between
every pair of locations once, so a move never searches the map.
"""

from __future__ import annotations

from typing import Any

from .memory import MemoryStream, RetrievalWeights
from .model import (
    DEFAULT_FACT_IMPORTANCE,
    DEFAULT_SLEEP,
    DEFAULT_WAKE,
    Agent,
    Fact,
    Gathering,
    Item,
    Location,
    Relationship,
    RoutineEntry,
)

Spec = dict[str, Any]
TravelTimes = dict[str, dict[str, int]]  # from -> to -> minutes, reachable pairs only


def locations_from_spec(spec: Spec) -> dict[str, Location]:
    return {
        raw["id"]: Location(
            raw["id"], raw.get("name", raw["id"]), raw.get("kind", "public"),
            raw.get("description", ""), tuple(raw.get("pos", (0.0, 0.0))),
            [tuple(h) for h in raw.get("hours", [])], list(raw.get("owners", [])),
            raw.get("after_hours", "staff"), raw.get("key"),
        )
        for raw in spec["locations"]
    }


def items_from_spec(spec: Spec) -> dict[str, Item]:
    return {
        raw["id"]: Item(
            raw["id"], raw.get("name", raw["id"]), tuple(raw.get("tags", ())),
            raw.get("description", ""), raw.get("location"), raw.get("holder"),
        )
        for raw in spec.get("items", [])
    }


def facts_from_spec(spec: Spec) -> dict[str, Fact]:
    return {
        raw["id"]: Fact(raw["id"], raw["text"],
                        int(raw.get("importance", DEFAULT_FACT_IMPORTANCE)),
                        tuple(raw.get("about", ())), bool(raw.get("secret")),
                        incriminates=tuple(raw.get("incriminates", ())),
                        confidants=tuple(raw.get("confidants", ())),
                        volunteers=bool(raw.get("volunteers", False)),
                        event=_gathering(raw.get("event")))
        for raw in spec.get("facts", [])
    }


def _gathering(raw: dict[str, Any] | None) -> Gathering | None:
    """A spec's event: ``day`` counts from 1 as writers do; the engine's from 0."""
    if not raw:
        return None
    return Gathering(raw["place"], int(raw["day"]) - 1, int(raw["start"]), int(raw["end"]),
                     raw.get("host") or "")


def agents_from_spec(spec: Spec, now: int, facts: dict[str, Fact] | None = None) -> list[Agent]:
    """The agents in spec order (their index), each knowing its starting facts at ``now``
    and remembering them, so that they can recall them to tell."""
    mem, default = spec.get("memory", {}), RetrievalWeights()
    weights = RetrievalWeights(
        mem.get("recency", default.recency), mem.get("importance", default.importance),
        mem.get("relevance", default.relevance),
        mem.get("decay_per_hour", default.decay_per_hour),
    )
    agents: list[Agent] = []
    for index, raw in enumerate(spec["agents"]):
        agent = Agent(
            id=raw["id"], name=raw.get("name", raw["id"]), index=index,
            persona=raw.get("persona", ""),
            private=raw.get("private", ""), traits=tuple(raw.get("traits", ())),
            role=raw.get("role", ""), home=raw["home"], work=raw.get("work", ""),
            routine=tuple(
                RoutineEntry(tuple(r["days"]), r["start"], r["end"], r["location"],
                             r.get("activity", "busy"))
                for r in raw.get("routine", [])
            ),
            goals=tuple(raw.get("goals", ())), voice=dict(raw.get("voice", {})),
            is_player=bool(raw.get("is_player", False)),
            wake=int(raw.get("wake", DEFAULT_WAKE)), sleep=int(raw.get("sleep", DEFAULT_SLEEP)),
            memory=MemoryStream(weights=weights),
        )
        agent.relationships = {
            other: Relationship(float(r["affinity"]), r.get("label", ""))
            for other, r in raw.get("relationships", {}).items()
        }
        agent.location = raw.get("start_location", raw["home"])
        agent.controlled = agent.is_player
        agents.append(agent)
    by_id = {agent.id: agent for agent in agents}
    facts = facts if facts is not None else facts_from_spec(spec)
    for raw in spec.get("facts", []):
        fact = facts[raw["id"]]
        for holder in raw.get("known_by", []):
            agent = by_id[holder]
            agent.known_facts[fact.id] = [now, "start"]
            agent.memory.add("observation", now, fact.text, fact.importance,
                             subject=fact.about[0] if fact.about else "", predicate="knows",
                             obj=fact.id, tags=(fact.id, *fact.about))
    return agents


def all_pairs_travel(location_ids: list[str], connections: list[list[Any]]) -> TravelTimes:
    """Floyd-Warshall; locations are few (tens), so the cubic cost is negligible."""
    inf = 10**9
    dist = {a: {b: (0 if a == b else inf) for b in location_ids} for a in location_ids}
    for a, b, minutes in connections:
        m = int(minutes)
        if m < dist[a][b]:
            dist[a][b] = dist[b][a] = m
    for k in location_ids:
        dk = dist[k]
        for i in location_ids:
            di = dist[i]
            dik = di[k]
            if dik == inf:
                continue
            for j in location_ids:
                alt = dik + dk[j]
                if alt < di[j]:
                    di[j] = alt
    return {a: {b: d for b, d in row.items() if d < inf} for a, row in dist.items()}
