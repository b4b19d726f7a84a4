"""A day plan is the routine plus at most one outing the model picks.

The model never plans a whole day: routines keep the town's clockwork (and the
murder plot's) intact. It may only pick one free hour and one place that is open to
the agent for all of that hour; anything else is rejected by the request's check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.clock import MINUTES_PER_DAY, MINUTES_PER_HOUR
from game.engine.model import PlanBlock
from game.engine.planning import overlay, routine_plan

from . import prompts, schemas
from .resolver import Request
from .talk import unsayable

if TYPE_CHECKING:
    from game.engine.world import World

PLAN_MEMORIES = 3  # reflections and plans from before the day that the prompt shows


def plan_request(world: World, agent_id: str, day: int
                 ) -> tuple[list[PlanBlock], Request | None]:
    """The routine and the request for an outing (None if there is no free hour)."""
    agent = world.agents[agent_id]
    blocks = routine_plan(world, agent, day)
    free = _free_hours(blocks)
    places = [loc.id for loc in world.locations.values()
              if loc.id != agent.home and (loc.kind == "public" or loc.id == agent.work)
              and any(_open_for_hour(world, agent, loc.id, h) for h in free)]
    if not free or not places:
        return blocks, None
    hours = sorted({h % MINUTES_PER_DAY // MINUTES_PER_HOUR for h in free})
    model = schemas.plan_model(places, hours)
    schema = schemas.json_schema(model)

    def check(ans: Any) -> str | None:
        if ans.outing == "none":
            return None
        start = day * MINUTES_PER_DAY + ans.hour * MINUTES_PER_HOUR
        if start not in free:
            return f"hour {ans.hour} is not free time"
        if not _open_for_hour(world, agent, ans.outing, start):
            return f"{ans.outing} is closed at {ans.hour}:00"
        return None

    routine = "; ".join(f"{_hour(b.start)}:00-{_hour(b.end)}:00 {b.activity} at {b.location}"
                        for b in blocks if b.activity != "sleep")
    # Only memories from before the day began, so a plan asked for early is the same
    # request as the one the agent would make at its own waking time.
    memories = [n for n in agent.memory.recent(12) if n.kind in ("reflection", "plan")
                and n.created < day * MINUTES_PER_DAY][-PLAN_MEMORIES:]
    msgs = prompts.plan(world, agent_id, routine, places, hours, memories, schema)
    return blocks, Request("plan", agent_id, world.now, msgs, model, schema, check)


def with_outing(world: World, agent_id: str, blocks: list[PlanBlock], day: int,
                answer: Any) -> list[PlanBlock]:
    """The routine with the model's outing laid over it (unchanged if it chose none).
    The activity's words are shown to the player, so they pass the leak check too."""
    if answer.outing == "none":
        return blocks
    start = day * MINUTES_PER_DAY + answer.hour * MINUTES_PER_HOUR
    activity = answer.activity.strip()
    if not activity or unsayable(world, agent_id, activity):
        activity = "errand"
    outing = PlanBlock(start, start + MINUTES_PER_HOUR, answer.outing, activity,
                       reason="llm plan")
    return overlay(blocks, [outing])


def _hour(minute: int) -> int:
    return minute % MINUTES_PER_DAY // MINUTES_PER_HOUR


def _free_hours(blocks: list[PlanBlock]) -> list[int]:
    """Absolute starts of whole hours spent 'at home' by routine (free time)."""
    out = []
    for b in blocks:
        if b.activity != "at home" or b.reason != "routine":
            continue
        h = -(-b.start // MINUTES_PER_HOUR) * MINUTES_PER_HOUR
        while h + MINUTES_PER_HOUR <= b.end:
            out.append(h)
            h += MINUTES_PER_HOUR
    return out


def _open_for_hour(world: World, agent: Any, loc: str, start: int) -> bool:
    return (world.may_enter(agent, loc, start)
            and world.may_enter(agent, loc, start + MINUTES_PER_HOUR - 1))
