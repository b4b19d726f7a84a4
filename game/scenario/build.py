"""Turn a validated Story into plain data: the engine's world spec plus the mystery rules.

Everything downstream (engine, mystery, saves) sees only this plain data, never
pydantic models, so the simulation core stays free of pydantic.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from game.engine.clock import MINUTES_PER_DAY, parse_hhmm

from .conditions import condition_to_data
from .schema import Fact, Story, expand_days


def _span(text: str) -> list[int]:
    a, b = (parse_hhmm(x) for x in text.split("-"))
    return [a, b if b > a else b + MINUTES_PER_DAY]


def _cond(c: Any) -> dict[str, Any] | None:
    return condition_to_data(c) if c is not None else None


STEP_MINUTES = {"learn_routine": 60, "clean": 15, "alibi": 30}  # unless the step says


def _window(pair: tuple[str, str] | None) -> list[int] | None:
    return [parse_hhmm(pair[0]), parse_hhmm(pair[1])] if pair else None


def story_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build_spec(story: Story, content_hash: str = "") -> dict[str, Any]:
    s = story.scenario
    connections: list[list[Any]] = []
    seen: set[tuple[str, str]] = set()
    for loc in story.locations:
        for other, minutes in loc.connections.items():
            key = tuple(sorted((loc.id, other)))
            if key not in seen:
                seen.add(key)  # type: ignore[arg-type]
                connections.append([loc.id, other, minutes])
    if not connections and len(story.locations) > 1:
        connections = _from_positions(story)
    owners: dict[str, list[str]] = {loc.id: list(loc.owners) for loc in story.locations}
    for ch in story.characters:
        if ch.id not in owners[ch.home]:
            owners[ch.home].append(ch.id)
    spec: dict[str, Any] = {
        "scenario_id": s.id,
        "title": s.title,
        "version": s.version,
        "content_hash": content_hash,
        "start_date": s.start_date,
        "start_time": parse_hhmm(s.start_time),
        "locations": [
            {"id": loc.id, "name": loc.name, "kind": loc.kind, "description": loc.description,
             "pos": list(loc.pos), "hours": [_span(h) for h in loc.hours],
             "owners": owners[loc.id], "after_hours": loc.after_hours, "key": loc.key}
            for loc in story.locations
        ],
        "connections": connections,
        "items": [
            {"id": it.id, "name": it.name, "tags": list(it.tags), "description": it.description,
             "location": it.location, "holder": it.holder}
            for it in story.items
        ],
        "facts": [_fact(f) for f in story.facts],
        "agents": [
            {"id": ch.id, "name": ch.name, "persona": ch.persona,
             "private": ch.private, "traits": list(ch.traits),
             "role": ch.role, "home": ch.home, "work": ch.work or "",
             "wake": parse_hhmm(ch.wake), "sleep": parse_hhmm(ch.sleep),
             "routine": [
                 {"days": expand_days(r.days), "start": parse_hhmm(r.start),
                  "end": parse_hhmm(r.end), "location": r.location, "activity": r.activity}
                 for r in ch.routine
             ],
             "relationships": {k: {"affinity": v.affinity, "label": v.label}
                               for k, v in ch.relationships.items()},
             "goals": list(ch.goals), "voice": ch.voice.model_dump(),
             "pronouns": ch.pronouns,
             "is_player": ch.id == s.player}
            for ch in story.characters
        ],
        "mystery": build_mystery(story),
    }
    return spec


def _fact(f: Fact) -> dict[str, Any]:
    """A fact for the engine: who it incriminates includes whom its evidence points at,
    since that is what its subjects would keep quiet."""
    implicated = list(dict.fromkeys([*f.incriminates, *(e.culprit for e in f.evidence)]))
    out: dict[str, Any] = {
        "id": f.id, "text": f.text, "importance": f.importance, "about": list(f.about),
        "secret": f.secret, "known_by": list(f.known_by), "own_words": f.own_words}
    if implicated:
        out["incriminates"] = implicated
    if f.confidants:
        out["confidants"] = list(f.confidants)
    if f.volunteers:
        out["volunteers"] = True
    if f.event is not None:
        e = f.event
        start, end = parse_hhmm(e.start), parse_hhmm(e.end)
        out["event"] = {"place": e.place, "day": e.day, "start": start,
                        "end": end if end > start else end + MINUTES_PER_DAY,
                        "host": e.host or ""}
    return out


def build_mystery(story: Story) -> dict[str, Any]:
    s = story.scenario
    return {
        "player": s.player,
        "loop_days": s.loop_days,
        "jail": s.jail,
        "law": list(s.law),
        "intro": s.intro,
        "item_reveals": {it.id: list(it.reveals) for it in story.items if it.reveals},
        "fact_evidence": {f.id: [e.model_dump() for e in f.evidence]
                          for f in story.facts if f.evidence},
        "witnesses": {f.id: list(f.known_by if f.witnesses is None else f.witnesses)
                      for f in story.facts},
        "incriminates": {f.id: list(f.incriminates) for f in story.facts if f.incriminates},
        "secrets": {ch.id: [{"fact": x.fact, "admit_when": _cond(x.admit_when),
                             "deflect": x.deflect} for x in ch.secrets]
                    for ch in story.characters if ch.secrets},
        "lies": {ch.id: [{"about": x.about, "claim": x.claim, "when": _cond(x.when),
                          "say": x.say, "asked_between": _window(x.asked_between),
                          "asked_from_day": x.asked_from_day} for x in ch.lies]
                 for ch in story.characters if ch.lies},
        "accounts": {ch.id: [{"location": x.location, "say": x.say,
                              "asked_between": _window(x.asked_between),
                              "evidence": [e.model_dump() for e in x.evidence]}
                             for x in ch.accounts]
                     for ch in story.characters if ch.accounts},
        "reactions": {ch.id: [{"fact": x.fact, "when": _cond(x.when), "say": x.say}
                              for x in ch.reactions]
                      for ch in story.characters if ch.reactions},
        "item_homes": {it.id: it.location for it in story.items if it.location},
        "red_herrings": sorted([f"fact:{f.id}" for f in story.facts if f.red_herring]
                               + [c.id for c in story.clues if c.red_herring]),
        "plots": [
            {"id": p.id, "owner": p.owner, "victim": p.victim or s.player, "motive": p.motive,
             "motive_holds": _cond(p.motive_holds), "trigger": _cond(p.trigger),
             "abandon": _cond(p.abandon), "accomplices": list(p.accomplices),
             "means": list(p.means), "cause": p.cause,
             "steps": [
                 {"kind": st.kind, "item": st.item,
                  "minutes": st.minutes or STEP_MINUTES.get(st.kind, 0), "who": st.who,
                  "location": st.location,
                  "after": parse_hhmm(st.after) if st.after else None,
                  "before": parse_hhmm(st.before) if st.before else None}
                 for st in p.steps
             ]}
            for p in story.plots
        ],
        "clues": [
            {"id": c.id, "text": c.text, "kind": c.kind, "location": c.location,
             "when": _cond(c.when),
             "reveals": list(c.reveals), "evidence": [e.model_dump() for e in c.evidence]}
            for c in story.clues
        ],
        "endings": [
            {"id": e.id, "title": e.title, "when": _cond(e.when), "text": e.text,
             "true_ending": e.true_ending}
            for e in story.endings
        ],
    }


def _from_positions(story: Story) -> list[list[Any]]:
    """No connections given: link every pair, one minute of walking per 40 map units."""
    out = []
    locs = story.locations
    for i, a in enumerate(locs):
        for b in locs[i + 1:]:
            d = math.dist(a.pos, b.pos)
            out.append([a.id, b.id, max(1, round(d / 40))])
    return out
