"""Warnings for stories that validate but whose plans can never run.

These are the silent failures a writer meets only after simulating many seeds: a bedtime
the engine cannot honour, a trigger that needs a day the loop never reaches, an act window
in which the victim is never somewhere the killer may enter. Each is checked from the
story alone (no simulation), so `validate` can say why before anything runs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from game.engine.clock import MINUTES_PER_DAY, WEEKDAYS, parse_hhmm

from .conditions import All, AnyOf, DayAtLeast
from .schema import Character, Location, Plot, Story, expand_days
from .toml_lines import Path

SAMPLE_MINUTES = 15  # how finely an act window is walked through
# The engine ends a day at midnight: a bedtime after it is planned as 00:00. When the
# engine lets a day run past midnight, set this False (tests/test_writers_check.py's
# test_the_bedtime_warning_says_what_the_engine_does fails until both agree).
BEDTIME_CLAMPED = False
# A plotter asleep when the act window opens sleeps through it. When the plots keep a
# killer holding the means up for their window, set this True (the test
# test_the_sleeping_plotter_warning_says_what_the_plots_do fails until both agree).
KILLER_STAYS_UP = True
Warn = Callable[[Path, str], None]


@dataclass(frozen=True)
class Sighting:
    """Where the victim may be at one moment of an act window, and whether a killer may
    walk in."""

    day: int  # 1 is the first day of the loop
    minute: int  # minute of the day
    place: str
    open_to: tuple[str, ...]  # the cabal members who may enter then


def never_holds(cond: BaseModel | None, loop_days: int) -> str:
    """Why ``cond`` can never hold within a loop of ``loop_days`` days, or ''."""
    if isinstance(cond, DayAtLeast) and cond.day_at_least > loop_days:
        return (f"day_at_least = {cond.day_at_least} can never hold in a {loop_days}-day loop")
    if isinstance(cond, All):
        for part in cond.all:
            why = never_holds(part, loop_days)
            if why:
                return why
    if isinstance(cond, AnyOf) and cond.any:
        reasons = [never_holds(part, loop_days) for part in cond.any]
        if all(reasons):
            return "; ".join(reasons)
    return ""


def weekdays(story: Story) -> list[str]:
    """The weekday of each day of the loop, day 1 first."""
    first = _dt.date.fromisoformat(story.scenario.start_date).weekday()
    return [WEEKDAYS[(first + d) % len(WEEKDAYS)] for d in range(story.scenario.loop_days)]


def place_at(ch: Character, weekday: str, minute: int) -> str:
    """Where ``ch``'s routine puts them at ``minute`` of a day (home outside it)."""
    for entry in ch.routine:
        if weekday in expand_days(entry.days) and \
                parse_hhmm(entry.start) <= minute < parse_hhmm(entry.end):
            return entry.location
    return ch.home


def awake(ch: Character, minute: int) -> bool:
    """Between waking and bedtime, as the engine plans a day."""
    wake, sleep = parse_hhmm(ch.wake), parse_hhmm(ch.sleep)
    if sleep <= wake:
        if BEDTIME_CLAMPED:
            return wake <= minute
        return minute >= wake or minute < sleep
    return wake <= minute < sleep


def _is_open(loc: Location, minute: int) -> bool:
    if not loc.hours:
        return True
    for span in loc.hours:
        a, b = (parse_hhmm(x) for x in span.split("-"))
        if b <= a:
            b += MINUTES_PER_DAY
        if a <= minute < b or a <= minute + MINUTES_PER_DAY < b:
            return True
    return False


def insider(ch: Character, loc: Location) -> bool:
    """Lives, works or owns there: may enter at any hour."""
    return loc.id in (ch.home, ch.work) or ch.id in loc.owners


def may_enter(who: Character, loc: Location, minute: int,
              present: Character) -> bool:
    """The engine's entry rule, read from the story: may ``who`` walk into ``loc`` at
    ``minute`` while ``present`` is inside?"""
    if insider(who, loc):
        return True
    if loc.key is not None:
        return True  # the key can be had; `acquire` steps say whether it is
    present_inside = loc.id == present.home or present.id in loc.owners
    if loc.kind == "private":
        return present_inside
    if _is_open(loc, minute):
        return True
    return loc.after_hours == "guests" and (present_inside or present.work == loc.id)


def act_window(plot: Plot) -> tuple[int, int]:
    """(start, end) minutes of the day; end may pass midnight (end > MINUTES_PER_DAY)."""
    act = next(s for s in plot.steps if s.kind == "act")
    start = parse_hhmm(act.after) if act.after else 0
    end = parse_hhmm(act.before) if act.before else MINUTES_PER_DAY
    if end <= start:
        end += MINUTES_PER_DAY
    return start, end


def sightings(story: Story, plot: Plot) -> list[Sighting]:
    """Each sampled moment of the plot's act window, over the loop: where the victim is (by
    routine, or at home), and which cabal members may walk in."""
    chars = {ch.id: ch for ch in story.characters}
    locs = {loc.id: loc for loc in story.locations}
    victim = chars.get(plot.victim or story.scenario.player)
    cabal = [chars[c] for c in (plot.owner, *plot.accomplices) if c in chars]
    if victim is None or not cabal or not any(s.kind == "act" for s in plot.steps):
        return []
    start, end = act_window(plot)
    days = weekdays(story)
    out: list[Sighting] = []
    for day in range(len(days)):
        for t in range(start, end, SAMPLE_MINUTES):
            d, minute = day + t // MINUTES_PER_DAY, t % MINUTES_PER_DAY
            if d >= len(days):
                break
            place = place_at(victim, days[d], minute)
            loc = locs.get(place)
            if loc is None:
                continue
            open_to = tuple(m.id for m in cabal if may_enter(m, loc, minute, victim))
            out.append(Sighting(d + 1, minute, place, open_to))
    return out


def check_feasibility(story: Story, warn: Warn) -> None:
    """Add a warning for every plan in ``story`` that can never run as written."""
    loop = story.scenario.loop_days
    for i, ch in enumerate(story.characters):
        if BEDTIME_CLAMPED and parse_hhmm(ch.sleep) < parse_hhmm(ch.wake):
            warn(("characters", i, "sleep"),
                 f"bedtime {ch.sleep} is after midnight: the town's day ends at midnight, so "
                 f"{ch.name} goes to bed at 00:00 and nothing they plan after it happens "
                 "(use a sleep time up to 24:00)")
    for i, plot in enumerate(story.plots):
        for key in ("trigger", "motive_holds"):
            why = never_holds(getattr(plot, key), loop)
            if why and key == "trigger":
                warn(("plots", i, key), f"{why}: this plot never starts")
        if not any(s.kind == "act" for s in plot.steps):
            continue
        owner = next((ch for ch in story.characters if ch.id == plot.owner), None)
        start, end = act_window(plot)
        if not KILLER_STAYS_UP and owner is not None and not any(
                awake(owner, t % MINUTES_PER_DAY)
                for t in (start - 1, *range(start, end, SAMPLE_MINUTES))):
            warn(("plots", i, "steps"),
                 f"{owner.name} is asleep (bedtime {owner.sleep}, up at {owner.wake}) for the "
                 f"whole act window {_hhmm(start)}-{_hhmm(end)}: a plotter in bed before the "
                 "window opens never sets out; give them a bedtime no earlier than the window")
        seen = sightings(story, plot)
        if seen and not any(s.open_to for s in seen):
            start, end = act_window(plot)
            places = sorted({s.place for s in seen})
            window = f"{_hhmm(start)}-{_hhmm(end)}"
            warn(("plots", i, "steps"),
                 f"the act window {window} never finds the victim somewhere the plotter may "
                 f"enter (the victim is at {', '.join(places)}, closed to the plotter then): "
                 "give the place after_hours = \"guests\", a key item, or widen the window")
    for i, clue in enumerate(story.clues):
        why = never_holds(clue.when, loop)
        if why:
            warn(("clues", i, "when"), f"{why}: this clue is never found")


def _hhmm(t: int) -> str:
    t %= MINUTES_PER_DAY
    return f"{t // 60:02d}:{t % 60:02d}"
