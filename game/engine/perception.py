"""Perception: agents who share a location observe what happens there.

Sleepers only notice loud things (``LOUD_IMPORTANCE``). An observation important
enough to matter (the world's ``replan_importance``) makes the observer drop its
current activity and re-plan its day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import Event

if TYPE_CHECKING:
    from .world import World

NOT_PERCEIVED = frozenset({"talk"})  # conversations are recorded by social.converse
LOUD_IMPORTANCE = 6  # sleepers notice events at least this important
DEFAULT_REPLAN_IMPORTANCE = 7  # the world's replan_importance unless the spec sets it


def perceive(world: World, event: Event) -> None:
    if event.kind in NOT_PERCEIVED:
        return
    importance = int(event.data.get("importance", 2))
    text = event.data.get("text") or f"{event.actor} {event.kind}"
    target = event.data.get("item") or event.data.get("to") or event.location
    tags = (event.actor, event.kind, event.location)
    valence = float(event.data.get("valence", 0.0))
    for observer in world.present(event.location, exclude=event.actor):
        if observer.asleep and importance < LOUD_IMPORTANCE:
            continue
        world.add_memory(observer, "observation", text, importance, subject=event.actor,
                         predicate=event.kind, obj=target, tags=tags, valence=valence)
        if importance >= world.replan_importance and not observer.controlled:
            observer.plan_day = -1
            world.interrupt(observer)
