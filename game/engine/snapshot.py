"""The whole world as plain data, and back.

A snapshot is a recipe plus plain state (as in Concordia): the spec and seed
rebuild the static town, and the rest restores what changed, down to the RNG and
the pending decisions, so a restored world continues exactly as the original
would have. Saves, rewinds and timeline deltas are all built on this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .events import EventLog

if TYPE_CHECKING:
    from .world import World


def world_state(world: World) -> dict[str, Any]:
    version, internal, gauss = world.rng.getstate()
    return {
        "spec": world.spec,
        "seed": world.seed,
        "now": world.now,
        "rng": [version, list(internal), gauss],
        "queue": world.pending.to_state(),
        "items": {i.id: [i.location, i.holder] for i in world.items.values()},
        "agents": {a.id: a.to_state() for a in world.order},
        "log": world.log.to_state(),
        "stats": dict(world.stats),
        "rules": {r.name: plain_copy(state) for r in world.rules
                  if (state := r.to_state()) is not None},
    }


def load_world_state(world: World, snap: dict[str, Any]) -> None:
    """Overwrite a world freshly built from ``snap``'s spec and seed with its state."""
    version, internal, gauss = snap["rng"]
    world.rng.setstate((version, tuple(internal), gauss))
    world.now = snap["now"]
    world.pending.load_state(snap["queue"])
    for item_id, (loc, holder) in snap["items"].items():
        world.items[item_id].location, world.items[item_id].holder = loc, holder
    for agent_id, state in snap["agents"].items():
        world.agents[agent_id].load_state(state)
    world.reindex_occupants()
    world.log = EventLog.from_state(snap["log"])
    world.stats = dict(snap["stats"])
    for rule in world.rules:
        if rule.name in snap["rules"]:
            rule.load_state(plain_copy(snap["rules"][rule.name]))


def plain_copy(value: Any) -> Any:
    """Deep copy of plain data (faster than copy.deepcopy, and tuples become lists)."""
    if isinstance(value, dict):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(v) for v in value]
    return value
