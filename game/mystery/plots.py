"""Plots as state machines: dormant -> active -> steps -> done (murder) or abandoned.

Checked before every batch of decisions. Conspirators act only through world actions, so
others can witness each step. The act is not a fixed hour: inside the story's window, a
killer holding the means waits for a moment that is really theirs. They set out only when
the victim is alone, and asleep (unless the victim is out, or the window is about to
close), after a spell of nerve drawn from the world's one RNG. So when and where the
murder falls follows the victim's movements, who keeps them company, who is awake and who
is watched. A killer who arrives and finds company slips away for the night, and whoever
is there sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.actions import Action
from game.engine.clock import MINUTES_PER_DAY, MINUTES_PER_HOUR
from game.engine.model import Agent
from game.engine.planning import block_at
from game.engine.world import World
from game.speech import pronouns

from . import law, plots_after
from .conditions import holds

if TYPE_CHECKING:
    from .rules import MysteryRules

KILL, CONSPIRE, LURK, BIDE = "kill", "conspire", "lurk", "bide"
KILL_MINUTES = 20
CONSPIRE_MINUTES = 20
BIDE_MINUTES = 10  # how often a waiting killer looks again for their moment
NERVE_MINUTES = 45  # the longest a killer lingers, once the window opens, before setting out
LAST_CHANCE = MINUTES_PER_HOUR  # in the window's last hour a killer no longer waits for sleep
LURK_IMPORTANCE = 6  # loud enough to wake a sleeper
RETREAT_PRIORITY = 4.0
LIE_LOW_MINUTES = MINUTES_PER_DAY  # a plotter who learns the law suspects them waits this long

Plot = dict[str, Any]
Intents = dict[str, list[dict[str, Any]]]


def advance(world: World, rules: MysteryRules, plot: Plot, deciding: set[str]) -> None:
    """Move one plot on; ``deciding`` are the agents about to decide in this batch."""
    st = rules.state["plots"][plot["id"]]
    if plots_after.pending(plot, st):
        plots_after.pursue(world, rules, plot, st)
        return
    if st["status"] in ("done", "abandoned"):
        return
    owner = world.agents[plot["owner"]]
    victim = world.agents[plot["victim"]]
    if st["status"] == "dormant":
        if not (holds(plot["trigger"], world, rules) and holds(plot["motive_holds"], world,
                                                                rules)):
            return
        activate(world, rules, plot)
    reason = _abandon_reason(world, rules, plot, owner, victim)
    if reason:
        st["status"], st["reason"] = "abandoned", reason
        for member in rules.cabal(plot):
            agent = world.agents[member]
            agent.intentions = [i for i in agent.intentions if i.get("plot") != plot["id"]]
        world.emit("plot", owner.id, "", {"plot": plot["id"], "stage": "abandoned",
                                          "reason": reason,
                                          "text": f"{owner.name} gives up: {reason}"})
        return
    if _lying_low(world, plot, st, owner):
        return
    _pursue(world, rules, plot, st, owner, victim, deciding)


def _lying_low(world: World, plot: Plot, st: dict[str, Any], owner: Agent) -> bool:
    """A plotter who has heard the law suspects them (and is not watched now, or the plot
    would be dropped) waits a day before going on, whoever told them."""
    since = law.knows_suspected(world, owner.id)
    if since is None or world.now >= since + LIE_LOW_MINUTES:
        return False
    if st.get("lying_low") != since:
        st["lying_low"] = since
        for member in [plot["owner"], *st["recruited"]]:
            agent = world.agents[member]
            agent.intentions = [i for i in agent.intentions if i.get("plot") != plot["id"]]
        world.emit("plot", owner.id, "", {
            "plot": plot["id"], "stage": "lying_low", "text": f"{owner.name} lies low for a "
            f"day: word has reached {pronouns(world, owner.id).object} that the law is "
            "watching"})
    return True


def activate(world: World, rules: MysteryRules, plot: Plot, why: str = "") -> None:
    """A dormant plot starts (its trigger held, or its owner was cornered)."""
    st = rules.state["plots"][plot["id"]]
    if st["status"] != "dormant":
        return
    st["status"] = "active"
    owner = world.agents[plot["owner"]]
    text = f"{owner.name} resolves: {plot['motive']}" + (f" ({why})" if why else "")
    world.emit("plot", owner.id, "", {"plot": plot["id"], "stage": "active", "text": text})


def _abandon_reason(world: World, rules: MysteryRules, plot: Plot, owner: Agent,
                    victim: Agent) -> str:
    if not victim.alive:
        return "the victim is already dead"
    if not owner.alive or owner.id in rules.state["arrested"]:
        return "the plotter is out of the game"
    if not holds(plot["motive_holds"], world, rules):
        return "the motive is gone"
    if plot["abandon"] is not None and holds(plot["abandon"], world, rules):
        return "the plan's conditions failed"
    if rules.is_watched(world, owner.id) and law.knows_suspected(world, owner.id) is not None:
        return "the plotter knows the law is watching"
    cabal = rules.cabal(plot)
    if not any(_means_reachable(world, m, cabal) for m in plot["means"]):
        return "the means are lost"
    return ""


def _means_reachable(world: World, item_id: str, cabal: list[str]) -> bool:
    item = world.items[item_id]
    if item.holder is not None:
        return item.holder in cabal
    return item.location is not None


def _pursue(world: World, rules: MysteryRules, plot: Plot, st: dict[str, Any], owner: Agent,
            victim: Agent, deciding: set[str]) -> None:
    steps = plot["steps"]
    cabal = rules.cabal(plot)
    while st["step"] < len(steps):
        step = steps[st["step"]]
        if not _step_done(world, plot, st, step, owner, victim, cabal):
            break
        world.emit("plot", owner.id, "", {"plot": plot["id"], "stage": step["kind"],
                                          "text": f"{owner.name} completed: {step['kind']}"})
        st.setdefault("steps_done", []).append(step["kind"])
        st["step"] += 1
        st["progress"] = 0
    intents = _intentions(world, plot, st, owner, victim, cabal, deciding)
    for member in cabal:
        agent = world.agents[member]
        agent.intentions = [i for i in agent.intentions if i.get("plot") != plot["id"]]
        agent.intentions.extend(intents.get(member, []))


def _step_done(world: World, plot: Plot, st: dict[str, Any], step: dict[str, Any],
               owner: Agent, victim: Agent, cabal: list[str]) -> bool:
    kind = step["kind"]
    if kind == "acquire":
        wanted = [step["item"]] if step["item"] else plot["means"]
        return any(world.items[m].holder in cabal for m in wanted)
    if kind == "learn_routine":
        last = st["last_check"]
        if last is not None and owner.location is not None \
                and owner.location == victim.location:
            st["progress"] += world.now - last
        st["last_check"] = world.now
        return bool(st["progress"] >= step["minutes"])
    if kind == "recruit":
        who = step["who"] or (plot["accomplices"][0] if plot["accomplices"] else None)
        return who is None or who in st["recruited"] or st.get("refused") == who
    return False  # act completes through the kill action


def _intentions(world: World, plot: Plot, st: dict[str, Any], owner: Agent, victim: Agent,
                cabal: list[str], deciding: set[str]) -> Intents:
    if st["step"] >= len(plot["steps"]):
        return {}
    step = plot["steps"][st["step"]]
    tag = {"plot": plot["id"]}
    m = world.now % MINUTES_PER_DAY
    awake = owner.awake_at(m)
    kind = step["kind"]
    if kind == "acquire":
        wanted = [step["item"]] if step["item"] else plot["means"]
        for item_id in wanted:
            item = world.items[item_id]
            if item.holder is None and item.location and awake:
                return {owner.id: [
                    {**tag, "goto": item.location, "priority": 2.0},
                    {**tag, "action": {"kind": "take", "item": item_id}, "priority": 3.0}]}
        return {}
    if kind == "learn_routine":
        return {owner.id: [{**tag, "follow": victim.id, "priority": 2.0}]} if awake else {}
    if kind == "recruit":
        who = step["who"] or plot["accomplices"][0]
        target = world.agents[who]
        if not awake or not target.alive:
            return {}
        return {owner.id: [{**tag, "follow": who, "priority": 2.0},
                           {**tag, "action": {"kind": CONSPIRE, "target": who},
                            "priority": 3.0}]}
    if kind == "act":
        return _act(world, plot, st, step, victim, cabal, deciding)
    return {}


def _act(world: World, plot: Plot, st: dict[str, Any], step: dict[str, Any], victim: Agent,
         cabal: list[str], deciding: set[str]) -> Intents:
    """Who sets out for the victim now, who waits for their moment, who slips away. A killer
    going about their evening looks up when their nerve is ready (``set_out``)."""
    m = world.now % MINUTES_PER_DAY
    tag = {"plot": plot["id"]}
    if not in_window(m, step["after"], step["before"]):
        return {member: [{**tag, "action": {"kind": BIDE}, "priority": 3.0}]
                for member in cabal if waits_up(world, plot, step, world.agents[member])}
    night = (world.now - minutes_into_window(m, step["after"])) // MINUTES_PER_DAY
    if st.get("night") != night:
        st["night"], st["lurked"], st["approach"], st["roused"] = night, False, False, False
        st["set_out"] = world.now + world.rng.randint(0, NERVE_MINUTES)
    alone = victim_alone(world, victim, cabal)
    left = minutes_left(m, step["after"], step["before"])
    ripe = alone and not st["lurked"] and world.now >= st["set_out"] and (
        victim.asleep or victim.location != victim.home or left <= LAST_CHANCE)
    out: Intents = {}
    for member in cabal:
        agent = world.agents[member]
        if not any(world.items[i].holder == member for i in plot["means"]):
            continue
        if st.get("approach") and agent.location == victim.location and not alone:
            if not st["lurked"]:
                _lurk(world, agent, victim, plot)
                st["lurked"] = True
            out[member] = [{**tag, "goto": agent.home, "priority": RETREAT_PRIORITY}]
        elif ripe:
            st["approach"] = True
            out[member] = [{**tag, "follow": victim.id, "priority": 4.0},
                           {**tag, "action": {"kind": KILL, "target": victim.id},
                            "priority": 6.0}]
        elif not st["lurked"] and _would_sleep(world, agent):
            out[member] = [{**tag, "action": {"kind": BIDE}, "priority": 3.0}]  # stay up
        elif world.now < st["set_out"] and not st["roused"] and member not in deciding:
            world.interrupt(agent, st["set_out"])
            st["roused"] = True
    return out


def waits_up(world: World, plot: Plot, step: dict[str, Any], agent: Agent) -> bool:
    """Would ``agent``, holding the means, go to bed and sleep through the opening of the
    act's window tonight? Then they stay up for it instead."""
    if not any(world.items[i].holder == agent.id for i in plot["means"]):
        return False
    block = block_at(agent.plan, world.now)
    if block is not None and block.activity != "sleep":
        return False
    opens = world.now + (((step["after"] or 0) - world.now) % MINUTES_PER_DAY)
    return block is None or opens < block.end


def _would_sleep(world: World, agent: Agent) -> bool:
    block = block_at(agent.plan, world.now)
    return block is None or block.activity == "sleep"


def _lurk(world: World, killer: Agent, victim: Agent, plot: Plot) -> None:
    here = killer.location or ""
    place = world.locations[here].name
    world.emit(LURK, killer.id, here, {
        "victim": victim.id, "plot": plot["id"], "importance": LURK_IMPORTANCE,
        "valence": -0.6,
        "text": f"{killer.name} came into {place} in the dark, saw company, and left at once"})


def victim_alone(world: World, victim: Agent, cabal: list[str]) -> bool:
    """The victim is somewhere (not on the road) with nobody but the cabal."""
    if not victim.alive or victim.location is None:
        return False
    return not [a for a in world.present(victim.location)
                if a.id != victim.id and a.id not in cabal]


def allowed(world: World, rules: MysteryRules, agent: Agent) -> list[Action]:
    """The plot actions ``agent`` may take now: conspire with a recruit, or kill."""
    out: list[Action] = []
    m = world.now % MINUTES_PER_DAY
    for plot in rules.spec["plots"]:
        st = rules.state["plots"][plot["id"]]
        if st["status"] != "active" or st["step"] >= len(plot["steps"]):
            continue
        step = plot["steps"][st["step"]]
        cabal = rules.cabal(plot)
        if agent.id not in cabal:
            continue
        if step["kind"] == "recruit" and agent.id == plot["owner"]:
            who = step["who"] or plot["accomplices"][0]
            if world.agents[who].location == agent.location:
                out.append(Action(CONSPIRE, who, duration=CONSPIRE_MINUTES, activity=plot["id"]))
        if step["kind"] == "act" and not in_window(m, step["after"], step["before"]) \
                and waits_up(world, plot, step, agent):
            opens = ((step["after"] or 0) - m) % MINUTES_PER_DAY
            out.append(Action(BIDE, duration=max(1, min(BIDE_MINUTES, opens)),
                              activity=plot["id"]))
        elif step["kind"] == "act" and in_window(m, step["after"], step["before"]):
            kill = _kill_action(world, plot, agent, cabal)
            if kill is not None:
                out.append(kill)
            wait = st.get("set_out", world.now) - world.now
            out.append(Action(BIDE, duration=max(1, min(BIDE_MINUTES, wait) if wait > 0
                                                  else BIDE_MINUTES), activity=plot["id"]))
    return out


def _kill_action(world: World, plot: Plot, agent: Agent, cabal: list[str]) -> Action | None:
    victim = world.agents[plot["victim"]]
    if not victim.alive or victim.location != agent.location:
        return None
    means = next((i for i in plot["means"] if world.items[i].holder == agent.id), None)
    if means is None or not victim_alone(world, victim, cabal):
        return None
    return Action(KILL, victim.id, item=means, duration=KILL_MINUTES, activity=plot["id"])


def murder(world: World, rules: MysteryRules, killer: Agent, action: Action) -> int:
    victim = world.agents[action.target]
    plot = rules.plots[action.activity]
    here = killer.location or ""
    victim.alive = False
    victim.asleep = False
    item = world.items[action.item]
    record = {"t": world.now, "victim": victim.id, "killer": killer.id, "location": here,
              "item": item.id, "plot": plot["id"], "cause": plot["cause"] or cause(item.tags)}
    rules.state["murders"].append(record)
    st = rules.state["plots"][plot["id"]]
    st["status"], st["killer"], st["used"] = "done", killer.id, item.id
    st.setdefault("steps_done", []).append("act")
    st["step"] += 1  # past the act: what follows is the plan after it (plots_after)
    st["progress"], st["last_check"], st["acted"] = 0, None, False
    for member in rules.cabal(plot):
        a = world.agents[member]
        a.intentions = [i for i in a.intentions if i.get("plot") != plot["id"]]
    world.emit("murder", killer.id, here, {
        "victim": victim.id, "item": item.id, "plot": plot["id"], "importance": 10,
        "valence": -1.0, "text": f"{victim.name} was killed at {world.locations[here].name}"})
    return action.duration


def conspire(world: World, rules: MysteryRules, owner: Agent, action: Action) -> int:
    plot = rules.plots[action.activity]
    st = rules.state["plots"][plot["id"]]
    other = world.agents[action.target]
    here = owner.location or ""
    willing = other.affinity(plot["victim"]) < 0.2 or other.affinity(owner.id) > 0.5
    if willing and other.id not in st["recruited"]:
        st["recruited"].append(other.id)
    elif not willing:
        st["refused"] = other.id
    world.emit("conspire", owner.id, here, {
        "with": other.id, "to": other.id, "plot": plot["id"], "agreed": willing,
        "importance": 5, "text": f"{owner.name} and {other.name} spoke in low voices"})
    victim_name = world.agents[plot["victim"]].name
    world.add_memory(other, "conversation",
                     f"{owner.name} asked me to help against {victim_name}",
                     8, subject=owner.id, predicate="conspired", obj=plot["victim"],
                     tags=(owner.id, "conspiracy"), valence=-0.2)
    return action.duration


def in_window(minute: int, after: int | None, before: int | None) -> bool:
    if after is None and before is None:
        return True
    a = after if after is not None else 0
    b = before if before is not None else MINUTES_PER_DAY
    return a <= minute < b if a <= b else (minute >= a or minute < b)


def minutes_into_window(minute: int, after: int | None) -> int:
    return (minute - (after or 0)) % MINUTES_PER_DAY


def minutes_left(minute: int, after: int | None, before: int | None) -> int:
    end = before if before is not None else MINUTES_PER_DAY
    return (end - minute) % MINUTES_PER_DAY or MINUTES_PER_DAY


def cause(tags: tuple[str, ...] | list[str]) -> str:
    if "poison" in tags:
        return "poisoned"
    if "blade" in tags or "knife" in tags:
        return "stabbed"
    if "rope" in tags:
        return "strangled"
    return "struck down"
