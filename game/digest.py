"""The player's chronicle: what they could plausibly have learned of a stretch of time.

After a skip, the player reads what reached them, day by day: who they saw where, the
deeds they witnessed, what people told them, the news, the clues that turned up, and
their own death. It is built only from what the player's world self saw and heard (its
memory stream) and from the notebook, never from the town's event log, so it shows
nothing the player could not know; and never from the player's inner voice (plans and
reflections). It is complete: every day of the span, every line, no cut-off. Over a whole
loop it is the full chronicle the front ends keep one key away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.engine.clock import MINUTES_PER_DAY, format_hhmm
from game.engine.memory import MemoryNode
from game.mystery.clues import player_line
from game.mystery.evidence import describe

if TYPE_CHECKING:
    from game.session import GameSession

ROUTINE_SIGHTINGS = ("arrive", "present", "depart", "activity")  # folded: who you saw where
NOTABLE = 3  # a sighting at least this important gets a line of its own
HIDDEN = ("plan", "reflection")


@dataclass(frozen=True)
class DigestLine:
    time: str  # "09:05"
    kind: str  # saw | people | heard | news | clue | death
    text: str


@dataclass(frozen=True)
class DigestDay:
    day: int  # loop day, from 1
    title: str  # "Day 3 (Wed 7 Oct)"
    lines: list[DigestLine]


def digest(s: GameSession, since: int, until: int) -> list[DigestDay]:
    """Every day from ``since`` to ``until`` (world minutes), with what reached the player."""
    w = s.world
    start_day = s.rules.state["loop_start"] // MINUTES_PER_DAY
    by_day: dict[int, list[tuple[int, int, DigestLine]]] = {
        d: [] for d in range(since // MINUTES_PER_DAY, until // MINUTES_PER_DAY + 1)}
    people: dict[int, dict[str, list[str]]] = {d: {} for d in by_day}
    first_seen: dict[tuple[int, str], int] = {}
    company: dict[int, list[str]] = {d: [] for d in by_day}  # talked, nothing passed on
    last_talk: dict[int, int] = {}
    shown: dict[str, int] = {}  # fact text -> when the player first read it in the digest

    def add(t: int, kind: str, text: str, order: int = 1) -> None:
        day = t // MINUTES_PER_DAY
        if day in by_day:
            by_day[day].append((t, order, DigestLine(format_hhmm(t % MINUTES_PER_DAY), kind,
                                                     text)))

    for node in _nodes(s.me.memory.nodes, since, until):
        if node.kind in HIDDEN or node.subject == s.player:
            continue
        where = next((t for t in node.tags if t in w.locations), "")
        if node.kind == "observation" and node.predicate in ROUTINE_SIGHTINGS \
                and node.importance < NOTABLE and node.subject in w.agents:
            day = node.created // MINUTES_PER_DAY
            names = people[day].setdefault(where, [])
            if w.agents[node.subject].name not in names:
                names.append(w.agents[node.subject].name)
            first_seen.setdefault((day, where), node.created)
            continue
        if node.kind == "conversation" and node.subject in w.agents \
                and not any(f in w.facts for f in node.tags):
            day = node.created // MINUTES_PER_DAY
            name = w.agents[node.subject].name
            if day in company and name not in company[day]:
                company[day].append(name)
            last_talk[day] = node.created
            continue
        line = player_line(w, node)
        if line is not None:
            add(node.created, *line)
            for f in (node.object, *node.tags):
                if f in w.facts:
                    shown.setdefault(w.facts[f].text, node.created)
    for day, places in people.items():
        for where, names in places.items():
            place = w.locations[where].name if where in w.locations else "somewhere"
            add(first_seen[(day, where)], "people", f"At {place}: {', '.join(names)}.", 0)
    for day, names in company.items():
        if names:
            add(last_talk[day], "heard", f"You passed the time of day with {', '.join(names)}.",
                4)
    nb = s.notebook
    for cid, clue in nb.clues.items():
        t = clue["t"]
        if clue["loop"] != s.loop or not (since < t <= until or t == since == s.loop_start):
            continue
        if shown.get(clue["text"], t + 1) <= t:
            add(t, "clue", f"(Noted as clue {nb.number(cid)}: {describe(clue)}.)", 2)
        else:
            add(t, "clue", f"New clue {nb.number(cid)}: {clue['text']} ({describe(clue)})", 2)
    for death in nb.deaths:
        if death["loop"] == s.loop and since <= death["t"] <= until:
            add(death["t"], "death", death["text"], 3)
    out = []
    for day in sorted(by_day):
        rows = [line for _, _, line in sorted(by_day[day], key=lambda r: (r[0], r[1]))]
        title = w.calendar.format(day * MINUTES_PER_DAY).rsplit(",", 1)[0]
        out.append(DigestDay(day - start_day + 1, title, rows))
    return out


def _nodes(nodes: list[MemoryNode], since: int, until: int) -> list[MemoryNode]:
    return [n for n in nodes if since <= n.created <= until]
