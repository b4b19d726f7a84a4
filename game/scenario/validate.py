"""Cross-checks a story's ids, map, routines and plots once its shape is valid.

Errors make a story unusable; warnings point at things that are legal but
probably not what the writer meant.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel

from game.engine.clock import MINUTES_PER_DAY, parse_hhmm

from .conditions import condition_refs
from .discretion import public_text_warnings
from .errors import StoryProblem
from .schema import AFTER_ACT, Story
from .toml_lines import LineMap, Path

SPECIAL_AGENTS = ("player", "anyone")


class _Named(Protocol):
    """Anything a story lists under an id: a location, an item, a character..."""

    @property
    def id(self) -> str: ...


class _Checker:
    def __init__(self, story: Story, name: str, lines: LineMap) -> None:
        self.story, self.name, self.lines = story, name, lines
        self.errors: list[StoryProblem] = []
        self.warnings: list[StoryProblem] = []
        self.ids: dict[str, set[str]] = {}

    def err(self, path: Path, message: str) -> None:
        self.errors.append(StoryProblem(self.name, self.lines.line_of(path), path, message))

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append(
            StoryProblem(self.name, self.lines.line_of(path), path, message, "warning"))

    def need(self, kind: str, value: str | None, path: Path) -> None:
        if value is None:
            return
        if kind == "agent" and value in SPECIAL_AGENTS:
            return
        if kind == "clue_or_fact":
            if value not in self.ids["clue"] | self.ids["fact"]:
                self.err(path, f"unknown clue or fact id {value!r}")
            return
        if value not in self.ids[kind]:
            known = ", ".join(sorted(self.ids[kind])[:8])
            self.err(path, f"unknown {_NOUN[kind]} id {value!r} (known: {known})")

    def cond(self, cond: BaseModel | None, path: Path) -> None:
        if cond is None:
            return
        for kind, ref, _field in condition_refs(cond):
            self.need(kind, ref, path)


_NOUN = {"location": "location", "item": "item", "agent": "character", "fact": "fact",
         "plot": "plot", "clue": "clue", "ending": "ending"}


def cross_check(story: Story, name: str, lines: LineMap
                ) -> tuple[list[StoryProblem], list[StoryProblem]]:
    c = _Checker(story, name, lines)
    groups: dict[str, tuple[str, Sequence[_Named]]] = {
        "location": ("locations", story.locations), "item": ("items", story.items),
        "agent": ("characters", story.characters), "fact": ("facts", story.facts),
        "plot": ("plots", story.plots), "clue": ("clues", story.clues),
        "ending": ("endings", story.endings)}
    for kind, (key, entries) in groups.items():
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if entry.id in seen:
                c.err((key, i, "id"), f"duplicate {_NOUN[kind]} id {entry.id!r}")
            seen.add(entry.id)
        c.ids[kind] = seen
    s = story.scenario
    c.need("agent", s.player, ("scenario", "player"))
    c.need("location", s.jail, ("scenario", "jail"))
    for i, who in enumerate(s.law):
        c.need("agent", who, ("scenario", "law", i))
    _check_locations(c)
    _check_items(c)
    _check_characters(c)
    for path, message in public_text_warnings(story):
        c.warn(path, message)
    _check_facts(c)
    _check_plots(c)
    for i, clue in enumerate(story.clues):
        c.need("location", clue.location, ("clues", i, "location"))
        c.cond(clue.when, ("clues", i, "when"))
        for j, f in enumerate(clue.reveals):
            c.need("fact", f, ("clues", i, "reveals", j))
        for j, ev in enumerate(clue.evidence):
            c.need("agent", ev.culprit, ("clues", i, "evidence", j, "culprit"))
        if clue.location is None and clue.when is None:
            c.warn(("clues", i), "clue has neither a location nor a condition: it is never found")
    for i, ending in enumerate(story.endings):
        c.cond(ending.when, ("endings", i, "when"))
    if not story.endings:
        c.warn(("endings",), "no endings: the game can never be won")
    if not c.errors:
        from .feasibility import check_feasibility  # imported here: a separate concern

        check_feasibility(story, c.warn)
    return c.errors, c.warnings


def _check_locations(c: _Checker) -> None:
    story = c.story
    graph: dict[str, set[str]] = {loc.id: set() for loc in story.locations}
    for i, loc in enumerate(story.locations):
        for other, minutes in loc.connections.items():
            if other not in graph:
                c.err(("locations", i, "connections", other), f"unknown location id {other!r}")
                continue
            if minutes <= 0:
                c.err(("locations", i, "connections", other), "travel minutes must be above 0")
            graph[loc.id].add(other)
            graph[other].add(loc.id)
        for j, owner in enumerate(loc.owners):
            c.need("agent", owner, ("locations", i, "owners", j))
        if loc.key is not None and loc.key not in c.ids["item"]:
            c.need("item", loc.key, ("locations", i, "key"))
    player = next((ch for ch in story.characters if ch.id == story.scenario.player), None)
    if player is None or player.home not in graph:
        return
    if not any(graph.values()):
        return  # no connections at all: the map positions link every pair of places
    reach = {player.home}
    queue = deque([player.home])
    while queue:
        here = queue.popleft()
        for nxt in sorted(graph[here]):
            if nxt not in reach:
                reach.add(nxt)
                queue.append(nxt)
    for i, loc in enumerate(story.locations):
        if loc.id not in reach:
            c.err(("locations", i, "id"),
                  f"location {loc.id!r} is unreachable from the player's home: add a connection")


def _check_items(c: _Checker) -> None:
    for i, item in enumerate(c.story.items):
        c.need("location", item.location, ("items", i, "location"))
        c.need("agent", item.holder, ("items", i, "holder"))
        if item.location and item.holder:
            c.err(("items", i), "an item has a location or a holder, not both")
        if not item.location and not item.holder:
            c.err(("items", i), "an item needs a location or a holder")
        for j, f in enumerate(item.reveals):
            c.need("fact", f, ("items", i, "reveals", j))


def _check_characters(c: _Checker) -> None:
    locs = {loc.id: loc for loc in c.story.locations}
    for i, ch in enumerate(c.story.characters):
        c.need("location", ch.home, ("characters", i, "home"))
        c.need("location", ch.work, ("characters", i, "work"))
        if not ch.routine and ch.id != c.story.scenario.player:
            c.warn(("characters", i, "routine"), "no routine: this character stays at home")
        for j, entry in enumerate(ch.routine):
            path = ("characters", i, "routine", j)
            c.need("location", entry.location, path + ("location",))
            start, end = parse_hhmm(entry.start), parse_hhmm(entry.end)
            if end <= start:
                c.err(path + ("end",),
                      f"routine ends ({entry.end}) before it starts ({entry.start})")
            loc = locs.get(entry.location)
            if loc is None or not loc.hours:
                continue
            insider = entry.location in (ch.home, ch.work) or ch.id in loc.owners
            if not _within_hours(loc.hours, start, end):
                msg = (f"routine at {loc.id!r} {entry.start}-{entry.end} is outside its opening "
                       f"hours {', '.join(loc.hours)}")
                if insider:
                    c.warn(path, msg + " (allowed: they work or live there)")
                else:
                    c.err(path, msg)
        for other in ch.relationships:
            c.need("agent", other, ("characters", i, "relationships", other))
        for j, secret in enumerate(ch.secrets):
            c.need("fact", secret.fact, ("characters", i, "secrets", j, "fact"))
            c.cond(secret.admit_when, ("characters", i, "secrets", j, "admit_when"))
        for j, lie in enumerate(ch.lies):
            c.need("location", lie.about, ("characters", i, "lies", j, "about"))
            c.need("location", lie.claim, ("characters", i, "lies", j, "claim"))
            c.cond(lie.when, ("characters", i, "lies", j, "when"))
        for j, account in enumerate(ch.accounts):
            c.need("location", account.location, ("characters", i, "accounts", j, "location"))
            for k, ev in enumerate(account.evidence):
                c.need("agent", ev.culprit,
                       ("characters", i, "accounts", j, "evidence", k, "culprit"))
        for j, reaction in enumerate(ch.reactions):
            c.need("fact", reaction.fact, ("characters", i, "reactions", j, "fact"))
            c.cond(reaction.when, ("characters", i, "reactions", j, "when"))


def _within_hours(hours: list[str], start: int, end: int) -> bool:
    for span in hours:
        a, b = (parse_hhmm(x) for x in span.split("-"))
        if b <= a:
            b += MINUTES_PER_DAY
        if a <= start and end <= b:
            return True
    return False


def _check_facts(c: _Checker) -> None:
    for i, fact in enumerate(c.story.facts):
        for key in ("about", "known_by", "incriminates", "witnesses", "confidants"):
            for j, who in enumerate(getattr(fact, key) or []):
                c.need("agent", who, ("facts", i, key, j))
        for j, ev in enumerate(fact.evidence):
            c.need("agent", ev.culprit, ("facts", i, "evidence", j, "culprit"))
        if fact.confidants and not fact.secret:
            c.warn(("facts", i, "confidants"),
                   "confidants only matter for a secret fact: add secret = true")
        if fact.event is not None:
            c.need("location", fact.event.place, ("facts", i, "event", "place"))
            c.need("agent", fact.event.host, ("facts", i, "event", "host"))
            if fact.event.day > c.story.scenario.loop_days:
                c.err(("facts", i, "event", "day"),
                      f"day {fact.event.day} is after the loop's last day "
                      f"({c.story.scenario.loop_days})")
        _check_own_words(c, i)


def _check_own_words(c: _Checker, i: int) -> None:
    """own_words are the fact in its subject's mouth: there must be a subject, and the
    subject should not name themself."""
    fact = c.story.facts[i]
    if not fact.own_words:
        return
    if not fact.about:
        c.err(("facts", i, "own_words"), "own_words needs 'about': the first person listed "
              "there is the one who says them")
        return
    subject = next((ch for ch in c.story.characters if ch.id == fact.about[0]), None)
    if subject is not None and subject.name.lower() in fact.own_words.lower():
        c.warn(("facts", i, "own_words"), f"{subject.name} names themself here; own_words "
               "are said in the first person ('I', 'my')")


def _check_plots(c: _Checker) -> None:
    story = c.story
    items = {it.id: it for it in story.items}
    locs = {loc.id: loc for loc in story.locations}
    murderers = 0
    explained = False  # a plot against the player already has an error saying why it fails
    for i, plot in enumerate(story.plots):
        errors_before = len(c.errors)
        victim = plot.victim or story.scenario.player
        base = ("plots", i)
        c.need("agent", plot.owner, base + ("owner",))
        c.need("agent", plot.victim, base + ("victim",))
        for j, a in enumerate(plot.accomplices):
            c.need("agent", a, base + ("accomplices", j))
        for key in ("trigger", "abandon", "motive_holds"):
            c.cond(getattr(plot, key), base + (key,))
        cabal = {plot.owner, *plot.accomplices}
        obtainable = []
        for j, m in enumerate(plot.means):
            c.need("item", m, base + ("means", j))
            item = items.get(m)
            if item is None:
                continue
            if item.holder in cabal:
                obtainable.append(m)
            elif item.location in locs:
                loc = locs[item.location]
                owned = loc.kind == "public" or loc.key is not None or bool(
                    cabal & set(loc.owners)) or any(
                    ch.id in cabal and loc.id in (ch.home, ch.work) for ch in story.characters)
                if owned:
                    obtainable.append(m)
        if plot.means and not obtainable:
            c.err(base + ("means",), "none of the plot's means can ever be obtained by its "
                  "owner or accomplices (held by others, or locked in a private place)")
        acts = [s for s in plot.steps if s.kind == "act"]
        if not acts:
            c.err(base + ("steps",), "the plan has no 'act' step: this plot can never kill")
        act_at = next((j for j, s in enumerate(plot.steps) if s.kind == "act"), -1)
        for j, step in enumerate(plot.steps):
            path = base + ("steps", j)
            if acts and j != act_at and (step.kind in AFTER_ACT) != (j > act_at):
                c.err(path + ("kind",), f"a {step.kind!r} step belongs "
                      f"{'after' if step.kind in AFTER_ACT else 'before'} the 'act' step")
            c.need("item", step.item, path + ("item",))
            c.need("agent", step.who, path + ("who",))
            c.need("location", step.location, path + ("location",))
            if step.kind in AFTER_ACT and step.item and step.item not in plot.means:
                c.err(path + ("item",), f"item {step.item!r} is not among the means")
            if step.kind in ("hide", "alibi") and not step.location:
                article = "an" if step.kind[0] in "aeiou" else "a"
                c.err(path, f"{article} {step.kind} step needs a 'location'")
            if step.kind == "recruit" and not step.who and not plot.accomplices:
                c.err(path, "a recruit step needs 'who' or the plot's accomplices")
            if step.kind == "acquire" and step.item and step.item not in plot.means:
                c.err(path + ("item",), f"acquired item {step.item!r} is not among the means")
        if acts and obtainable and victim == story.scenario.player:
            murderers += 1
        elif victim == story.scenario.player and len(c.errors) > errors_before:
            explained = True
    if murderers == 0 and not explained:
        where: Path = ("plots",) if story.plots else ("scenario", "player")
        c.err(where, "no possible murderer: no plot against the player has an 'act' step "
              "and obtainable means")
