"""Reflection: when enough has happened, an agent draws conclusions.

The trigger is the summed importance of memories since the last reflection
(default threshold 150, as in Generative Agents). The mind writes the
reflections; the engine stores them citing their evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Agent

if TYPE_CHECKING:
    from .world import World

LOOKBACK = 60  # memories a reflection looks back over
DEFAULT_REFLECTION_THRESHOLD = 150  # the world's reflection_threshold unless the spec sets it


def reflect(world: World, agent: Agent) -> None:
    recent = [n for n in agent.memory.recent(LOOKBACK) if n.kind != "reflection"]
    results = world.mind.reflect(world, agent.id, recent)
    known = {n.id for n in recent}
    for r in results:
        evidence = tuple(i for i in r.evidence if i in known)
        agent.memory.add("reflection", world.now, r.text, r.importance, subject=r.subject,
                         predicate="reflects", tags=("reflection",), evidence=evidence)
    agent.memory.importance_since_reflection = 0
    agent.reflect_due = False
    world.log.append(world.now, "reflect", agent.id, "", {"count": len(results)})
