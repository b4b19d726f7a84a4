"""Free time: where people go when their routine leaves them at home.

A waking stretch of an hour or more at home, by routine, is free time. On about half of
them a person goes out for a while, to a public place that is open for the whole outing,
near enough to be worth the walk and not an event they have chosen not to go to, chosen
in proportion to the company they expect there: the people whose routines bring them
there at that hour, friends counting for more. So neighbours who work apart still meet
in the evening, and a stranger at the forge or the inn becomes an acquaintance, whatever
routines the story gave them.

The rolls come from the person's own stream for that day (seeded by the world's seed,
their id and the day), not the world's, so planning a day again gives the same
outings and one person's plans never shift another's.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .clock import MINUTES_PER_DAY
from .model import Agent, PlanBlock, RoutineEntry

if TYPE_CHECKING:
    from .world import World

AT_HOME = "at home"  # the planner's free time
OUTING_ACTIVITY = "out for a while"
OUTING_CHANCE = 0.5  # of a free stretch being spent out
MIN_FREE_MINUTES = 60  # a shorter gap at home is not free time
OUTING_MINUTES = 90  # the longest outing
MIN_OUTING_MINUTES = 30  # not worth going out for less
START_STEP = 15  # outings start on the quarter hour within the free stretch
QUIET_PLACE = 0.5  # the draw of an open place where nobody is expected, of one person's 1.0
MAX_WALK_SHARE = 0.5  # the walk there may take at most this share of the outing


def with_outings(world: World, agent: Agent, day: int, plan: list[PlanBlock]
                 ) -> list[PlanBlock]:
    """The day plan with some of its free time spent out (see the module's docstring).
    An outing ends in time to walk to whatever comes next."""
    if agent.is_player or not world.outings:
        return plan  # a player who lets time pass keeps to their routine, as they expect
    rng = random.Random(f"outings:{world.seed}:{agent.id}:{day}")
    out: list[PlanBlock] = []
    for i, block in enumerate(plan):
        free = block.end - block.start
        if block.activity != AT_HOME or block.reason != "routine" \
                or free < MIN_FREE_MINUTES or rng.random() >= OUTING_CHANCE:
            out.append(block)
            continue
        length = min(OUTING_MINUTES, free)
        start = block.start + rng.randrange(0, free - length + 1, START_STEP)
        place = choose_place(world, agent, start, start + length, rng)
        next_place = plan[i + 1].location if i + 1 < len(plan) else block.location
        back = world.travel_time(place, next_place) if place is not None else None
        end = min(start + length, block.end - (back or 0))
        if place is None or back is None or end - start < MIN_OUTING_MINUTES:
            out.append(block)
            continue
        if start > block.start:
            out.append(PlanBlock(block.start, start, block.location, AT_HOME))
        out.append(PlanBlock(start, end, place, OUTING_ACTIVITY))
        if end < block.end:  # home if there is time for it, else straight on to what is next
            if block.end - end >= MIN_FREE_MINUTES:
                out.append(PlanBlock(end, block.end, block.location, AT_HOME))
            else:
                out.append(PlanBlock(end, block.end, next_place, OUTING_ACTIVITY))
    return out


def choose_place(world: World, agent: Agent, start: int, end: int,
                 rng: random.Random) -> str | None:
    """A public place open throughout ``[start, end)``, drawn by the company expected."""
    routes = world.routes_from(agent.home)
    walk_limit = (end - start) * MAX_WALK_SHARE
    declined = declined_events(world, agent, start, end)
    places: list[str] = []
    weights: list[float] = []
    for loc_id, minutes in routes.items():
        loc = world.locations[loc_id]
        if loc_id == agent.home or loc.kind != "public" or minutes > walk_limit \
                or loc_id in declined:
            continue
        if not (loc.is_open(start % MINUTES_PER_DAY) and loc.is_open((end - 1) % MINUTES_PER_DAY)):
            continue
        places.append(loc_id)
        weights.append(QUIET_PLACE + expected_company(world, agent, loc_id, start, end))
    if not places:
        return None
    return rng.choices(places, weights)[0]


def declined_events(world: World, agent: Agent, start: int, end: int) -> set[str]:
    """Places of events in ``[start, end)`` that ``agent`` knows of and is not going to (one
    who is going has the visit in its plan already, so it has no free time then)."""
    places = set()
    for fact_id in agent.known_facts:
        event = world.facts[fact_id].event
        if event is not None and event.begins < end and start < event.ends:
            places.add(event.place)
    return places


def expected_company(world: World, agent: Agent, place: str, start: int, end: int) -> float:
    """Whom ``agent`` may expect at ``place`` in ``[start, end)`` by their routines: one
    for each, plus their affinity if it is fond of them."""
    base = start - start % MINUTES_PER_DAY
    weekday = world.calendar.weekday(base)
    company = 0.0
    for other_id, entry in routine_index(world, weekday).get(place, ()):
        if other_id != agent.id and base + entry.start < end and start < base + entry.end \
                and world.agents[other_id].alive:
            company += 1.0 + max(0.0, agent.affinity(other_id))
    return company


RoutineIndex = dict[str, list[tuple[str, RoutineEntry]]]


def routine_index(world: World, weekday: str) -> RoutineIndex:
    """Place -> (agent id, routine entry) for one weekday; built once per world and day."""
    index = world.routine_index.get(weekday)
    if index is None:
        index = world.routine_index[weekday] = {}
        for other in world.order:
            for entry in other.routine:
                if weekday in entry.days:
                    index.setdefault(entry.location, []).append((other.id, entry))
    return index
