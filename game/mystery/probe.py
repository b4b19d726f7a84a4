"""A look at each plot at one moment: what it waits for, for a writer's `--explain`.

Reads the world and never changes it, so sampling it after every batch of decisions
leaves the timeline exactly as an unobserved run.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.world import World

from .conditions import holds
from .plots import in_window, victim_alone
from .rules import MysteryRules


@dataclass(frozen=True)
class PlotProbe:
    plot: str
    status: str  # dormant | active | abandoned | done
    step: str  # the kind of the step the plot is on ('' when finished)
    trigger_holds: bool
    motive_holds: bool
    holds_means: bool  # a cabal member carries a means item
    means_open: bool  # a means item lies somewhere the owner may enter now
    in_window: bool  # now is inside the act window
    victim_alone: bool  # the victim is somewhere with nobody but the cabal
    victim_open: bool  # a cabal member may enter the place the victim is in
    reason: str  # why it was abandoned


def probe(world: World, rules: MysteryRules) -> list[PlotProbe]:
    """One PlotProbe per plot, in story order."""
    out = []
    for plot in rules.spec["plots"]:
        st = rules.state["plots"][plot["id"]]
        steps = plot["steps"]
        step = steps[st["step"]] if st["step"] < len(steps) else None
        act = next((s for s in steps if s["kind"] == "act"), None)
        cabal = rules.cabal(plot)
        owner, victim = world.agents[plot["owner"]], world.agents[plot["victim"]]
        items = [world.items[m] for m in plot["means"]]
        place = victim.location
        out.append(PlotProbe(
            plot["id"], st["status"], step["kind"] if step else "",
            holds(plot["trigger"], world, rules), holds(plot["motive_holds"], world, rules),
            any(it.holder in cabal for it in items),
            any(it.holder is None and it.location is not None
                and world.may_enter(owner, it.location, world.now) for it in items),
            act is not None and in_window(world.minute_of_day(), act["after"], act["before"]),
            victim_alone(world, victim, cabal),
            place is not None and any(
                world.agents[m].location == place or world.may_enter(world.agents[m], place,
                                                                       world.now)
                for m in cabal),
            st.get("reason", "")))
    return out
