"""Day plans: a routine for the weekday, overlaid by the agent's intentions.

This is the rule-based planner every mind may fall back on. An intention with a
``visit`` (location, day, start, end) is placed over the routine of the plan that
covers it, so a plot that needs the killer at the apothecary at noon bends that
day around it, and a party on day 2 lands in day 2's plan only. A visit without a
``day`` is dated to the first day it is planned into, so it happens once.

A day's plan runs from waking to the next waking; a bedtime at or before the
waking time falls after midnight, so a late sleeper's evening runs on past 00:00.
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
    night = base + agent.sleep if agent.sleep > agent.wake \
        else base + MINUTES_PER_DAY + agent.sleep
    if cursor < night:
        blocks.append(PlanBlock(cursor, night, agent.home, "at home"))
        cursor = night
    span_end = base + MINUTES_PER_DAY + agent.wake
    blocks.append(PlanBlock(cursor, span_end, agent.home, "sleep"))
    return overlay(blocks, intention_blocks(agent, day, base + agent.wake, span_end))


def intention_blocks(agent: Agent, day: int, span_start: int, span_end: int
                     ) -> list[PlanBlock]:
    """The dated visits that fall in ``[span_start, span_end)``: the plan of ``day``."""
    out = []
    for intent in agent.intentions:
        visit = intent.get("visit")
        if not visit:
            continue
        if visit.get("day") is None:
            visit["day"] = day  # undated: today's, and only today's
        base = int(visit["day"]) * MINUTES_PER_DAY
        start, end = base + visit["start"], base + visit["end"]
        if end <= span_start or start >= span_end:
            continue
        out.append(PlanBlock(max(start, span_start), min(end, span_end), visit["location"],
                             visit.get("activity", "errand"),
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
