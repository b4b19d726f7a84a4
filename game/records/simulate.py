"""A writer's headless run: the whole town over a loop, the player on autopilot, as data."""

from __future__ import annotations

from typing import Any

from game.chronicle import (
    chronicle,
    facts_known,
    presence_intervals,
    relationships,
    summary,
    travels,
)
from game.session import MINUTES_PER_DAY, Command, GameSession, MindFactory, ProgressFn


def simulate_story(path: str, days: int | None, seed: int | None,
                   progress: ProgressFn | None = None,
                   mind_factory: MindFactory | None = None) -> dict[str, Any]:
    """Run the story for ``days`` (default: its loop) and return the chronicle as data.
    The mind stays open: whoever made ``mind_factory``'s mind closes it."""
    session = GameSession(path, seed=seed, mind_factory=mind_factory)
    session.start()
    began, bonds = session.world.now, relationships(session.world)
    days = days or int(session.spec["mystery"]["loop_days"])
    if days < 1:
        raise ValueError("simulate at least one day")
    target = session.world.now + days * MINUTES_PER_DAY
    loop_days = int(session.spec["mystery"]["loop_days"])
    session.do(Command("skip", topic="days", minutes=min(days, loop_days)),
               progress=progress)
    # The town goes on after the victim dies: show the writer the whole span asked for.
    session.run_town_until(target, progress=progress)
    w = session.world
    return {
        "scenario": session.scenario_id, "seed": session.seed, "days": days,
        "digest": w.log.digest, "events": len(w.log),
        "murders": session.rules.state["murders"],
        "plots": {k: v["status"] for k, v in session.rules.state["plots"].items()},
        "chronicle": chronicle(w), "summary": summary(w), "ended": session.status,
        "mind": getattr(session.mind, "name", "scripted"),
        "mind_stats": session.mind.stats() if hasattr(session.mind, "stats") else {},
        "notice": session.notice,
        "facts": facts_known(w),
        "travels": travels(w),
        "relationships": {"start": bonds, "end": relationships(w)},
        "presence": presence_intervals(w, began, w.now),
    }
