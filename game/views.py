"""What front ends may read of a session: people, places, items, facts, the timeline.

Every view is plain data built from the session on request, so a front end never holds a
reference into the world and can never change it by accident. It is part of the session
layer: front ends reach it through ``GameSession`` methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from game.commands import CommandError
from game.mystery.evidence import describe
from game.mystery.lookup import Lookup
from game.mystery.wording import capitalised, the

if TYPE_CHECKING:
    from game.session import GameSession


def people_here(s: GameSession) -> list[dict[str, Any]]:
    return [{"id": a.id, "name": a.name, "role": a.role, "activity": a.activity,
             "asleep": a.asleep}
            for a in s.world.present(s.here(), exclude=s.player)]


def places(s: GameSession) -> list[dict[str, Any]]:
    w, here = s.world, s.here()
    return [{"id": loc.id, "name": loc.name, "pos": loc.pos, "kind": loc.kind,
             "description": loc.description,
             "open": w.may_enter(s.me, loc.id, w.now), "travel": w.travel_time(here, loc.id),
             "here": loc.id == here}
            for loc in w.locations.values()]


def items_here(s: GameSession) -> list[dict[str, str]]:
    return [{"id": i.id, "name": i.name} for i in s.world.items.values()
            if i.location == s.here() and i.holder is None]


def inventory(s: GameSession) -> list[dict[str, str]]:
    return [{"id": i.id, "name": i.name} for i in s.world.items.values()
            if i.holder == s.player]


def known_facts(s: GameSession) -> list[dict[str, str]]:
    facts = s.world.facts
    return [{"id": f, "text": facts[f].text} for f in s.notebook.facts if f in facts]


def suspects(s: GameSession) -> list[dict[str, str]]:
    return [{"id": a.id, "name": a.name, "role": a.role} for a in s.world.order
            if a.id != s.player]


def person(s: GameSession, agent_id: str) -> dict[str, Any]:
    a = s.world.agents[agent_id]
    return {"id": a.id, "name": a.name, "role": a.role, "activity": a.activity,
            "asleep": a.asleep, "alive": a.alive, "here": a.location == s.here() and a.alive}


def examine(s: GameSession, text: str) -> list[str]:
    """An item here or carried, or a clue in the notebook, described. No time passes."""
    w = s.world
    near = [i.id for i in w.items.values()
            if i.holder == s.player or (i.location == s.here() and i.holder is None)]
    look = Lookup(w, s.notebook, s.player)
    kinds = ("item", "clue") if near else ("clue",)
    entries = [e for e in (look.items(near) if near else []) + look.clues()]
    if not entries:
        raise CommandError("there is nothing here to examine, and your notebook is empty")
    entry = look.thing(text, kinds)
    if entry.kind == "item":
        item = w.items[entry.id]
        where = "You carry it." if item.holder == s.player else "It is here."
        body = item.description or "Nothing remarkable about it."
        return [f"{capitalised(the(item.name))}: {body} {where}"]
    clue = s.notebook.clues[entry.id]
    counts = ", ".join(f"{e['kind']} against {w.agents[e['culprit']].name}"
                       for e in clue["evidence"] if e["culprit"] in w.agents)
    kind = describe(clue)
    lines = [f"{s.notebook.number(entry.id)}. {clue['text']}",
             f"Loop {clue['loop']}, {w.calendar.format(clue['t'])}. {kind[:1].upper()}{kind[1:]}."]
    if counts:
        lines.append(f"Evidence: {counts}.")
    return lines


@dataclass(frozen=True)
class TimelineRow:
    """One node of the timeline as the player sees it."""

    node: int
    parent: int | None
    depth: int
    when: str  # 'Day 2 (Tue 3 Mar), 14:05'
    action: str  # what the player did to get here
    outcome: str  # the first line of what happened
    ending: str  # "death", an ending's title, or ""
    is_head: bool


def describe_action(s: GameSession, action: dict[str, Any] | None) -> str:
    """A recorded command in the player's words, with names instead of ids."""
    if not action:
        return "the loop begins"
    w = s.world
    verb, target, topic = action.get("verb", ""), action.get("target", ""), action.get("topic", "")
    arg, minutes = action.get("arg", ""), int(action.get("minutes") or 0)

    def name(ident: str) -> str:
        for table in (w.agents, w.locations):
            if ident in table:
                return str(table[ident].name)
        if ident in w.items:
            return the(w.items[ident].name)
        if ident in w.facts:
            return f"“{w.facts[ident].text}”"
        if ident in s.notebook.clues:
            return f"clue {s.notebook.number(ident)}"
        return ident

    if verb == "skip":
        if topic == "until":
            return f"skip until {w.calendar.format(minutes)}"
        return f"skip {topic}" + (f" {minutes}" if topic in ("hours", "days") else "")
    if verb == "ask":
        if topic == "where":
            return f"ask {name(target)}: where at {w.calendar.format(minutes)}?"
        if topic == "unusual":
            return f"ask {name(target)} about anything unusual"
        return f"ask {name(target)} about {name(arg)}"
    if verb == "wait":
        return f"wait {minutes} minutes"
    if verb == "accuse":
        return "accuse " + ", ".join(name(e.get("culprit", "")) for e in action.get("extra", []))
    if verb == "say":
        return f"say to {name(target)}: {arg[:40]}"
    if verb == "warn":
        return f"warn {name(target)} about {name(arg)}"
    if verb == "give":
        return f"give {name(target)} to {name(arg)}"
    parts = [verb, name(target), name(arg)]
    return " ".join(p for p in parts if p)


def timeline_rows(s: GameSession) -> list[TimelineRow]:
    tree = s.tree
    rows = []
    for i in range(len(tree)):
        node = tree.node(i)
        rows.append(TimelineRow(node.id, node.parent, node.depth, s.when(node.time),
                                describe_action(s, node.action), node.summary,
                                s.node_outcomes.get(node.id, ""), node.id == tree.head))
    return rows
