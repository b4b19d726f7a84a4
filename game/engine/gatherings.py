"""Events in time: who decides to go to a party they have heard of.

A fact may carry a ``Gathering`` (place, day, window, host). Whoever learns of it
before it ends decides once, there and then, whether to go: fondness for the host
draws them, an important occasion draws them, and a routine that has them busy
elsewhere in the window, or an event that runs into their sleep, keeps them away. A yes
becomes a dated ``visit`` intention, which the planner lays over that day only. The host
always goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .clock import MINUTES_PER_DAY
from .memory import MAX_IMPORTANCE
from .model import Agent, Fact, Gathering

if TYPE_CHECKING:
    from .world import World

ATTEND_BASE = 0.2  # a stranger to the host, free that evening, at an unremarkable event
ATTEND_PER_AFFINITY = 0.45  # fondness for the host, per unit of affinity
ATTEND_PER_IMPORTANCE = 0.3  # at the most important event imaginable
SCHEDULE_CONFLICT = 0.25  # their routine has them somewhere else then
GATHERING_ACTIVITY = "at a gathering"


def consider(world: World, agent: Agent, fact: Fact) -> bool:
    """Decide whether ``agent``, who has just learnt ``fact``, will go to its event."""
    event = fact.event
    if event is None or agent.controlled or not agent.alive or world.now >= event.ends:
        return False
    if agent.id != event.host and world.rng.random() >= attend_chance(world, agent, fact):
        return False
    if any(i.get("event") == fact.id for i in agent.intentions):
        return True
    agent.intentions.append({
        "visit": {"location": event.place, "day": event.day, "start": event.start,
                  "end": event.end, "activity": GATHERING_ACTIVITY},
        "event": fact.id, "reason": "event"})
    if agent.plan_day == event.day or (agent.plan and agent.plan[-1].end > event.begins):
        agent.plan_day = -1  # today's plan already made: make it again around the event
    world.log.append(world.now, "will_attend", agent.id, "", {"fact": fact.id})
    return True


def attend_chance(world: World, agent: Agent, fact: Fact) -> float:
    event = fact.event
    assert event is not None
    chance = ATTEND_BASE + ATTEND_PER_IMPORTANCE * fact.importance / MAX_IMPORTANCE
    if event.host:
        chance += ATTEND_PER_AFFINITY * agent.affinity(event.host)
    if _busy_elsewhere(world, agent, event):
        chance -= SCHEDULE_CONFLICT
    return max(0.0, min(1.0, chance))


def _busy_elsewhere(world: World, agent: Agent, event: Gathering) -> bool:
    """Their routine has them elsewhere in the window, or it runs into their sleep."""
    bedtime = agent.sleep if agent.sleep > agent.wake else agent.sleep + MINUTES_PER_DAY
    if event.start < agent.wake or event.end > bedtime:
        return True
    weekday = world.calendar.weekday(event.day * MINUTES_PER_DAY)
    return any(weekday in r.days and r.start < event.end and event.start < r.end
               and r.location not in (event.place, agent.home) for r in agent.routine)
