"""The plan after the act: clean the weapon, put it back or hide it, go home, be seen.

A murder sets the plot ``done`` (the victim is dead; conditions and endings read that), but
a careful killer's plan goes on. Each step after ``act`` is a real action in the world, so
it can be witnessed and it changes the world a search can find: the dagger washed at the
kitchen basin is back on its hook, the syringe is in the reeds. Steps, in order:

- ``clean`` (``minutes``, ``location``): wash the means, where they are or at ``location``;
- ``return``: put the means back where it lay at the start of the loop;
- ``hide`` (``location``): leave the means there;
- ``go`` (``location``, default home): walk there;
- ``alibi`` (``location``, ``minutes``): be seen there for that long.

``item`` defaults to the means the killer used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.actions import Action
from game.engine.model import Agent
from game.engine.world import World

from .wording import the

if TYPE_CHECKING:
    from .rules import MysteryRules

CLEAN, PUT, VIGIL = "clean", "put", "vigil"  # VIGIL: stay put where one is seen (alibi)
AFTER_KINDS = ("clean", "return", "hide", "go", "alibi")
DEED_IMPORTANCE = 4  # as loud as taking an item: worth mentioning when asked
STEP_PRIORITY = 4.0  # above the day's plan: a killer does not go to bed with the knife
PUT_MINUTES = 2

Plot = dict[str, Any]


def pending(plot: Plot, st: dict[str, Any]) -> bool:
    """Does this plot still have steps after its act to carry out?"""
    steps = plot["steps"]
    return st["status"] == "done" and st["step"] < len(steps) \
        and steps[st["step"]]["kind"] in AFTER_KINDS


def pursue(world: World, rules: MysteryRules, plot: Plot, st: dict[str, Any]) -> None:
    """Complete whatever after-act steps are done; give the killer intentions for the next."""
    killer = world.agents[st.get("killer") or plot["owner"]]
    tag = {"plot": plot["id"]}
    killer.intentions = [i for i in killer.intentions if i.get("plot") != plot["id"]]
    if not killer.alive or killer.id in rules.state["arrested"]:
        st["step"] = len(plot["steps"])
        return
    while st["step"] < len(plot["steps"]):
        step = plot["steps"][st["step"]]
        if not _done(world, rules, plot, st, step, killer):
            break
        st.setdefault("steps_done", []).append(step["kind"])
        world.emit("plot", killer.id, "", {"plot": plot["id"], "stage": step["kind"],
                                           "text": f"{killer.name} completed: {step['kind']}"})
        st["step"] += 1
        st["progress"], st["last_check"], st["acted"] = 0, None, False
    if st["step"] >= len(plot["steps"]):
        return
    step = plot["steps"][st["step"]]
    where = place(world, rules, plot, st, step, killer)
    kind = step["kind"]
    if killer.location != where and not _may_go(world, killer, where):
        return  # shut to them now (a kitchen with hours): the step waits until it opens
    wants: list[dict[str, Any]] = [{**tag, "goto": where, "priority": STEP_PRIORITY}]
    if killer.location == where and kind != "go":
        act = {"clean": CLEAN, "alibi": VIGIL}.get(kind, PUT)
        wants.append({**tag, "action": {"kind": act}, "priority": STEP_PRIORITY + 2})
    killer.intentions.extend(wants)


def _may_go(world: World, agent: Agent, where: str) -> bool:
    here = agent.location or agent.travel_to or agent.home
    minutes = world.travel_time(here, where)
    return minutes is not None and world.may_enter(agent, where, world.now + minutes)


def item_of(plot: Plot, st: dict[str, Any], step: dict[str, Any]) -> str:
    return str(step.get("item") or st.get("used") or plot["means"][0])


def place(world: World, rules: MysteryRules, plot: Plot, st: dict[str, Any],
          step: dict[str, Any], killer: Agent) -> str:
    """Where this step is carried out."""
    if step.get("location"):
        return str(step["location"])
    kind = step["kind"]
    if kind == "return":
        return str(rules.spec.get("item_homes", {}).get(item_of(plot, st, step))
                   or killer.home)
    if kind == "clean":
        return killer.location or killer.travel_to or killer.home
    return killer.home


def _done(world: World, rules: MysteryRules, plot: Plot, st: dict[str, Any],
          step: dict[str, Any], killer: Agent) -> bool:
    kind = step["kind"]
    item = world.items[item_of(plot, st, step)]
    where = place(world, rules, plot, st, step, killer)
    if kind in ("clean", "return", "hide") and item.holder != killer.id and not st.get("acted"):
        return True  # the means left their hands some other way: nothing to do
    if kind == "clean":
        return bool(st.get("acted"))
    if kind in ("return", "hide"):
        return item.holder is None and item.location == where
    if kind == "go":
        return killer.location == where
    if kind == "alibi":
        last = st.get("last_check")
        if last is not None and killer.location == where:
            st["progress"] += world.now - last
        st["last_check"] = world.now if killer.location == where else None
        return bool(st["progress"] >= step["minutes"])
    return True


def _vigil_left(world: World, st: dict[str, Any], step: dict[str, Any]) -> int:
    """Minutes of an alibi still to be seen (the progress so far, and since it was last
    counted)."""
    last = st.get("last_check")
    done = st.get("progress", 0) + (world.now - last if last is not None else 0)
    return max(1, int(step["minutes"]) - done)


def allowed(world: World, rules: MysteryRules, agent: Agent) -> list[Action]:
    """Clean or put down the means, when a plot's next step asks it of ``agent``, here."""
    out: list[Action] = []
    for plot in rules.spec["plots"]:
        st = rules.state["plots"][plot["id"]]
        if not pending(plot, st) or st.get("killer", plot["owner"]) != agent.id:
            continue
        step = plot["steps"][st["step"]]
        item = item_of(plot, st, step)
        if agent.location != place(world, rules, plot, st, step, agent):
            continue
        if step["kind"] == "alibi":
            out.append(Action(VIGIL, duration=_vigil_left(world, st, step), activity=plot["id"]))
            continue
        if world.items[item].holder != agent.id:
            continue
        if step["kind"] == "clean":
            out.append(Action(CLEAN, item=item, duration=step["minutes"], activity=plot["id"]))
        elif step["kind"] in ("return", "hide"):
            out.append(Action(PUT, step["kind"], item=item, duration=PUT_MINUTES,
                              activity=plot["id"]))
    return out


def apply(world: World, rules: MysteryRules, agent: Agent, action: Action) -> int:
    """Carry out a clean or a put (both seen by whoever is there), or keep a vigil."""
    here = agent.location or ""
    if action.kind == VIGIL:
        agent.asleep = False
        return action.duration
    item = world.items[action.item]
    st = rules.state["plots"][action.activity]
    st["acted"] = True
    place_name = world.locations[here].name
    if action.kind == PUT:
        item.holder, item.location = None, here
        how = {"return": "put {} back at", "hide": "hid {} at"}.get(action.target, "put {} at")
        text = f"{agent.name} {how.format(the(item.name))} {place_name}"
    else:
        text = f"{agent.name} washed {the(item.name)} at {place_name}"
    world.emit(action.kind, agent.id, here, {"item": item.id, "plot": action.activity,
                                             "importance": DEED_IMPORTANCE, "text": text})
    return action.duration
