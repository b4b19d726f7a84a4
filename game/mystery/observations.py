"""What people saw: which sightings are worth mentioning, and which of them are evidence.

Both the player's own eyes and every townsperson's memory stream hold observations of
what happened where they stood. Two questions are asked of them: is this *unusual* (worth
telling when asked "anything unusual?"), and does it *prove* something (a plotter seen
taking a weapon is means; seen whispering with an accomplice is motive; seen coming for
the victim in the night is opportunity). The answers depend only on what happened, never
on who the player suspects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.engine.clock import MINUTES_PER_DAY, MINUTES_PER_HOUR
from game.engine.memory import MemoryNode
from game.engine.model import Agent
from game.engine.world import World

from .plots import LURK
from .plots_after import CLEAN, PUT
from .wording import the

if TYPE_CHECKING:
    from .rules import MysteryRules

UNUSUAL_IMPORTANCE = 4  # a sighting at least this important is always worth mentioning
NIGHT_FROM, NIGHT_UNTIL = 22 * MINUTES_PER_HOUR, 5 * MINUTES_PER_HOUR
PRESENT = "present"  # the memory of someone found already there on arrival
PRESENT_IMPORTANCE = 1
REPORTED = ("arrive", PRESENT, "depart", "activity", "take", "give", CLEAN, PUT, "conspire", LURK,
            "murder", "announce", "reaction", "body")


_HANDLING = {"take": "take", "give": "hand over", CLEAN: "wash", PUT: "put down"}


@dataclass(frozen=True)
class Sighting:
    """One observation that proves something: ``key`` names it stably across loops."""

    key: str
    deed: str  # "Silas Pell take the tincture of nightshade" (after "saw")
    evidence: tuple[tuple[str, str], ...]  # (culprit, count)


def at_night(minute_of_day: int) -> bool:
    return minute_of_day >= NIGHT_FROM or minute_of_day < NIGHT_UNTIL


def where(world: World, node: MemoryNode) -> str:
    return next((t for t in node.tags if t in world.locations), "")


def unusual(world: World, observer: Agent, node: MemoryNode) -> bool:
    """Would ``observer`` think this worth mentioning? Important deeds always are; so is
    anyone coming into a private place that is not theirs at night."""
    if node.kind != "observation" or node.subject in ("", observer.id) \
            or node.subject not in world.agents or node.predicate not in REPORTED:
        return False
    if node.importance >= UNUSUAL_IMPORTANCE:
        return True
    if node.predicate not in ("arrive", PRESENT):
        return False
    place = world.locations.get(where(world, node))
    who = world.agents[node.subject]
    return (place is not None and place.kind == "private" and who.id not in place.owners
            and place.id not in (who.home, who.work) and at_night(node.created % MINUTES_PER_DAY))


def notice_present(world: World, arriver: str, location: str) -> None:
    """Someone who walks in sees who is already there (events only show what changes)."""
    agent = world.agents[arriver]
    if not agent.alive or agent.asleep:
        return
    place = world.locations[location].name
    for other in world.present(location, exclude=arriver):
        world.add_memory(agent, "observation", f"{other.name} was at {place}",
                         PRESENT_IMPORTANCE, subject=other.id, predicate=PRESENT, obj=location,
                         tags=(other.id, PRESENT, location))


def sighting(world: World, rules: MysteryRules, node: MemoryNode) -> Sighting | None:
    """The evidence an observation carries, if any."""
    if node.kind != "observation" or node.subject not in world.agents:
        return None
    who = world.agents[node.subject]
    if node.predicate in _HANDLING and node.object in _means(rules):
        item = world.items[node.object]
        verb = _HANDLING[node.predicate]
        return Sighting(f"{node.predicate}:{who.id}:{item.id}", f"{who.name} {verb} "
                        f"{the(item.name)}", ((who.id, "means"),))
    if node.predicate == "conspire":
        other = world.agents.get(node.object)
        deed = (f"{who.name} draw {other.name} aside and talk in low voices" if other
                else f"{who.name} whispering with someone")
        return Sighting(f"conspire:{who.id}:{node.object}", deed, ((who.id, "motive"),))
    if node.predicate == LURK:
        place = world.locations.get(where(world, node))
        at = f" to {the(place.name)}" if place else ""
        return Sighting(f"lurk:{who.id}",
                        f"{who.name} come{at} in the night and leave again at once",
                        ((who.id, "opportunity"),))
    return None


def _means(rules: MysteryRules) -> set[str]:
    return {m for p in rules.spec["plots"] for m in p["means"]}
