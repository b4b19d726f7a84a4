"""Day plans: a routine for the weekday, overlaid by the agent's intentions.

This is the rule-based planner every mind may fall back on. An intention with a
``visit`` (location, start, end) is placed over the routine for that day, so a
plot that needs the killer at the apothecary at noon bends the day around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .clock import MINUTES_PER_DAY
from .model import Agent, PlanBlock

if TYPE_CHECKING:
    from .world import World

PLAN_LEAD_MINUTES = 60  # an agent plans its day once it is this close to waking
PLAN_IMPORTANCE = 3  # of the memory of a day's plan


def routine_plan(world: World, agent: Agent, day: int) -> list[PlanBlock]:
    base = day * MINUTES_PER_DAY
    weekday = world.calendar.weekday(base)
    entries = sorted(
        (e for e in agent.routine if weekday in e.days), key=lambda e: (e.start, e.end)
    )
    blocks: list[PlanBlock] = []
    cursor = base + agent.wake
    for entry in entries:
        start, end = base + entry.start, base + entry.end
        if end <= cursor:
            continue
        start = max(start, cursor)
        if start > cursor:
            blocks.append(PlanBlock(cursor, start, agent.home, "at home"))
        blocks.append(PlanBlock(start, end, entry.location, entry.activity))
        cursor = end
    night = base + agent.sleep if agent.sleep > agent.wake else base + MINUTES_PER_DAY
    if cursor < night:
        blocks.append(PlanBlock(cursor, night, agent.home, "at home"))
        cursor = night
    blocks.append(PlanBlock(cursor, base + MINUTES_PER_DAY + agent.wake, agent.home, "sleep"))
    return overlay(blocks, _intention_blocks(agent, base))


def _intention_blocks(agent: Agent, base: int) -> list[PlanBlock]:
    out = []
    for intent in agent.intentions:
        visit = intent.get("visit")
        if not visit:
            continue
        start, end = base + visit["start"], base + visit["end"]
        out.append(PlanBlock(start, end, visit["location"], visit.get("activity", "errand"),
                             reason=intent.get("reason", "intention")))
    return out


def overlay(blocks: list[PlanBlock], overrides: list[PlanBlock]) -> list[PlanBlock]:
    """Lay ``overrides`` over a day plan, cutting the blocks they cover."""
    for ov in sorted(overrides, key=lambda b: (b.start, b.end, b.location)):
        merged: list[PlanBlock] = []
        for b in blocks:
            if b.end <= ov.start or b.start >= ov.end:
                merged.append(b)
                continue
            if b.start < ov.start:
                merged.append(PlanBlock(b.start, ov.start, b.location, b.activity, b.reason))
            if b.end > ov.end:
                merged.append(PlanBlock(ov.end, b.end, b.location, b.activity, b.reason))
        merged.append(ov)
        blocks = sorted(merged, key=lambda b: (b.start, b.end))
    return blocks


def block_at(plan: list[PlanBlock], t: int) -> PlanBlock | None:
    for block in plan:
        if block.start <= t < block.end:
            return block
    return None


def describe_plan(world: World, plan: list[PlanBlock]) -> str:
    names = []
    for b in plan:
        if b.activity == "sleep":
            continue
        loc = world.locations[b.location].name if b.location in world.locations else b.location
        names.append(f"{world.calendar.short(b.start)[3:]} {b.activity} at {loc}")
    return "; ".join(names)
