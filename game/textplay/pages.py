"""What text mode prints when the player looks rather than acts: the place, the people,
the map, the notebook, the timeline, the day-by-day digest after a skip, and a death.

Every page is built from the session's views and printed through ``say``; none of them
spends game time or changes anything. Names only: the player never reads an internal id,
and refers to clues by their number in the notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.session import GameSession

Say = Callable[[str], None]
RULE = "=" * 64


def look(s: GameSession, say: Say) -> None:
    place = next(p for p in s.locations() if p["here"])
    people = ", ".join(p["name"] for p in s.visible_people()) or "nobody"
    say(f"[{s.clock_text()}] {place['name']}. Here: {people}.")
    items = s.items_here()
    if items:
        say("  Lying here: " + ", ".join(i["name"] for i in items))


def people(s: GameSession, say: Say) -> None:
    here = s.visible_people()
    if not here:
        say("  nobody else is here")
    for p in here:
        doing = "asleep" if p["asleep"] else (p["activity"] or "idle")
        say(f"  {p['name']}, {p['role']} — {doing}")
    law = s.law_here()
    if law:
        say(f"  ({' and '.join(law)} can hear an accusation here.)")


def town_map(s: GameSession, say: Say) -> None:
    for loc in s.locations():
        mark = "*" if loc["here"] else " "
        far = "you are here" if loc["here"] else (
            f"{loc['travel']} min" if loc["travel"] is not None else "no way there")
        say(f" {mark} {loc['name']} ({far}){'' if loc['open'] else ' — closed to you now'}")


def inventory(s: GameSession, say: Say) -> None:
    items = s.inventory()
    if not items:
        say("  you carry nothing")
    for i in items:
        say(f"  {i['name']}")


def new_clue(s: GameSession, clue_id: str, say: Say) -> None:
    clue = s.notebook.clues[clue_id]
    say(f"  [new clue {s.clue_number(clue_id)}] {clue['text']} ({s.clue_kind(clue_id)})")


def _points_to(s: GameSession, clue: dict[str, Any]) -> str:
    counts = [f"{e['kind']} ({s.name_of(e['culprit'])})" for e in clue["evidence"]]
    return "points to " + ", ".join(counts) if counts else "a lead"


def notebook(s: GameSession, say: Say) -> None:
    nb = s.notebook
    if not nb.clues and not nb.deaths:
        say("  your notebook is empty")
        return
    if nb.clues:
        say("  Clues (cite them by number: accuse PERSON MOTIVE MEANS OPPORTUNITY):")
    for cid, clue in nb.clues.items():
        say(f"  {s.clue_number(cid):>3}. {clue['text']}")
        say(f"       {s.clue_kind(cid)} · {_points_to(s, clue)} · loop {clue['loop']}, "
            f"{s.when(clue['t'])}")
    for c in nb.contradictions:
        say(f"  contradiction: {s.name_of(c['subject'])} claimed {s.name_of(c['b_says'])} "
            f"but was seen at {s.name_of(c['a_says'])} ({s.when(c['t'])})")
    for d in nb.deaths:
        say(f"  {d['text']}")


def timeline(s: GameSession, say: Say) -> None:
    for row in s.timeline_rows():
        mark = "*" if row.is_head else " "
        came = f" — {row.ending}" if row.ending else ""
        say(f" {mark}{row.node:>4}  {row.when}  {row.action}  → {row.outcome[:70]}{came}")
    say("  (* you are here; 'rewind NODE' goes back to a node)")


def digest(s: GameSession, say: Say, since: int | None = None, until: int | None = None,
           heading: str = "What reached you") -> None:
    """Every day of the span, every line: sightings, what people said, news, clues, death."""
    days = s.digest(since, until)
    say(f"--- {heading} ---")
    for day in days:
        say(f"  {day.title}")
        if not day.lines:
            say("    nothing out of the ordinary reached you")
        for line in day.lines:
            say(f"    {line.time}  {line.text}")


def death(s: GameSession, say: Say) -> None:
    """A death gets a screen of its own, whatever the player was doing."""
    d = s.notebook.deaths[-1] if s.notebook.deaths else {"text": "You died."}
    say(RULE)
    say("  YOU DIED")
    say(f"  {d['text']}")
    say("  Rewind ('rewind') to wake at the start of the loop: you keep your notebook.")
    say("  'chronicle' shows everything that reached you this loop; 'timeline' lets you")
    say("  rewind to any earlier moment instead.")
    say(RULE)
