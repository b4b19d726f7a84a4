"""What an agent may do at a moment, and what doing it changes.

Every change an agent makes to the world goes through ``carry_out``, whoever chose
the action (a mind or the player), and every choice a mind has comes from
``allowed_actions``. Keeping both here, apart from the scheduler, puts the rules
of the built-in actions in one place; kinds the engine does not know (the
mystery's murder) are offered and carried out by the world's rules.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .actions import (
    GIVE,
    GIVE_MINUTES,
    LONGEST_STAY_MINUTES,
    MOVE,
    SHORTEST_STAY_MINUTES,
    SLEEP,
    STAY,
    TAKE,
    TAKE_MINUTES,
    TALK,
    TALK_MINUTES,
    WAIT,
    WAIT_MINUTES,
    Action,
    InvalidAction,
)
from .clock import MINUTES_PER_DAY
from .model import Agent
from .naming import the
from .planning import block_at
from .social import converse

if TYPE_CHECKING:
    from .world import World

COMPANY_STAY_MINUTES = 20  # the longest stay offered while someone awake is there too
OWN_ARRIVAL_IMPORTANCE = 1  # of an agent's memory of where it went (others see "arrive" at 2)


def allowed_actions(world: World, agent: Agent) -> list[Action]:
    """Everything ``agent`` may do right now, the rules' kinds last; minds pick from this."""
    if not agent.alive or agent.location is None:
        return []
    here, now = agent.location, world.now
    out: list[Action] = []
    block = block_at(agent.plan, now)
    chunk = LONGEST_STAY_MINUTES
    if block is not None and block.location == here:
        chunk = max(SHORTEST_STAY_MINUTES, min(LONGEST_STAY_MINUTES, block.end - now))
    if chunk > COMPANY_STAY_MINUTES and any(
            not other.asleep for other in world.present(here, exclude=agent.id)):
        chunk = COMPANY_STAY_MINUTES  # in company one looks up and talks more often
    activity = block.activity if block is not None and block.location == here else "idle"
    if activity == "sleep" and here != agent.home:
        activity = "idle"
    out.append(Action(STAY, here, duration=chunk, activity=activity))
    if here == agent.home:
        wake_at = _next_wake(world, agent)
        out.append(Action(SLEEP, here, duration=max(SHORTEST_STAY_MINUTES, wake_at - now),
                          activity="sleep"))
    for loc_id, minutes, move, always_open in world.move_actions(here):
        if always_open or world.may_enter(agent, loc_id, now + minutes):
            out.append(move)
    awake = [other for other in world.present(here, exclude=agent.id) if not other.asleep]
    out += [_talk_to(other.id) for other in awake]
    for item in world.items.values():
        if item.location == here and item.holder is None:
            out.append(Action(TAKE, item=item.id, duration=TAKE_MINUTES))
        elif item.holder == agent.id:
            for other in awake:
                out.append(Action(GIVE, other.id, item=item.id, duration=GIVE_MINUTES))
    out.append(_wait_at(here))
    for rule in world.rules:
        out.extend(rule.allowed_actions(world, agent))
    return out


@lru_cache(maxsize=4096)
def _talk_to(other_id: str) -> Action:
    """Actions are immutable: the same talk is offered again and again, built once."""
    return Action(TALK, other_id, duration=TALK_MINUTES)


@lru_cache(maxsize=4096)
def _wait_at(here: str) -> Action:
    return Action(WAIT, here, duration=WAIT_MINUTES)


def _next_wake(world: World, agent: Agent) -> int:
    """When a sleep begun now would end: today's waking time, or tomorrow's if too close."""
    wake = world.day() * MINUTES_PER_DAY + agent.wake
    return wake if wake > world.now + SHORTEST_STAY_MINUTES else wake + MINUTES_PER_DAY


def carry_out(world: World, agent: Agent, action: Action) -> int:
    """Change the world by ``action``; returns how many minutes it takes. The caller has
    already checked that the action is allowed, and schedules what comes after it."""
    here = agent.location or ""
    duration = action.duration
    agent.action = action.to_state()
    kind = action.kind
    if kind == MOVE:
        world.move_agent(agent, None)
        agent.travel_to = action.target
        world.emit("depart", agent.id, here,
                   {"to": action.target,
                    "text": f"{agent.name} left {world.locations[here].name} for "
                            f"{world.locations[action.target].name}",
                    "importance": 1})
    elif kind == TALK:
        duration = converse(world, agent, world.agents[action.target])
    elif kind == TAKE:
        item = world.items[action.item]
        item.location, item.holder = None, agent.id
        world.emit("take", agent.id, here, {"item": item.id,
                   "text": f"{agent.name} took {the(item.name)}", "importance": 4})
    elif kind == GIVE:
        item, other = world.items[action.item], world.agents[action.target]
        item.holder = other.id
        world.emit("give", agent.id, here, {"item": item.id, "to": other.id,
                   "text": f"{agent.name} gave {the(item.name)} to {other.name}",
                   "importance": 4})
    elif kind in (STAY, SLEEP, WAIT):
        activity = action.activity or ("waiting" if kind == WAIT else "idle")
        agent.asleep = kind == SLEEP
        if activity != agent.activity:
            agent.activity = activity
            world.emit("activity", agent.id, here, {
                "activity": activity, "importance": 1,
                "text": f"{agent.name} is {_gerund(activity)} at {world.locations[here].name}",
            })
    else:
        handled = None
        for rule in world.rules:
            handled = rule.apply(world, agent, action)
            if handled is not None:
                break
        if handled is None:
            raise InvalidAction(f"no rule handles action kind {kind!r}")
        duration = handled
    return duration


def arrive(world: World, agent: Agent) -> None:
    """End a journey at its destination (home, if it had none)."""
    dest = agent.travel_to or agent.home
    world.move_agent(agent, dest)
    agent.travel_to, agent.activity = None, ""
    # Agents remember where they went: testimony ("where were you?") is built from this.
    agent.memory.add("observation", world.now, f"I went to {world.locations[dest].name}",
                     OWN_ARRIVAL_IMPORTANCE, subject=agent.id, predicate="arrive", obj=dest,
                     tags=("self", dest))
    world.emit("arrive", agent.id, dest,
               {"text": f"{agent.name} arrived at {world.locations[dest].name}",
                "importance": 2})


def _gerund(activity: str) -> str:
    return activity if " " in activity or activity.endswith("ing") else f"busy with {activity}"
