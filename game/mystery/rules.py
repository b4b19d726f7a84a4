"""The mystery's rules inside the world: plots, murder, the law's watch, arrests.

Plots run as state machines checked before every batch of decisions:
dormant -> active (trigger holds) -> steps (acquire, learn_routine, recruit, act)
-> done (murder), or abandoned when the motive fails, the abandon condition
holds, the owner is watched or arrested, or every means is lost. Conspirators act
only through world actions, so others can witness each step. The ``kill`` action
is offered only when means and opportunity are real: a conspirator holds a means
item and is with the victim with no outsider present.
"""

from __future__ import annotations

from typing import Any

from game.engine.actions import Action
from game.engine.clock import MINUTES_PER_DAY
from game.engine.events import Event
from game.engine.model import Agent
from game.engine.rules import WorldRule
from game.engine.world import World

from .conditions import holds

PLAYER_KINDS = ("ask", "tell", "show", "warn", "stay_request", "search", "greet")
KILL, CONSPIRE = "kill", "conspire"
KILL_MINUTES = 20
CONSPIRE_MINUTES = 20
WATCH_MINUTES = 2 * MINUTES_PER_DAY
STAY_MINUTES = 14 * 60


class MysteryRules(WorldRule):
    name = "mystery"

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.player: str = spec["player"]
        self.law: list[str] = list(spec.get("law", []))
        self.state: dict[str, Any] = {
            "plots": {p["id"]: {"status": "dormant", "step": 0, "progress": 0,
                                "recruited": [], "reason": "", "last_check": None}
                      for p in spec["plots"]},
            "watched": {},  # agent id -> until time
            "arrested": [],
            "murders": [],  # {t, victim, killer, location, item, plot, cause}
            "found_clues": [],
            "loop_start": None,
        }
        self.plots = {p["id"]: p for p in spec["plots"]}

    # ------------------------------------------------------------ helpers
    def resolve(self, who: str) -> str:
        return self.player if who == "player" else who

    def loop_day(self, world: World) -> int:
        start = self.state["loop_start"]
        start_day = (start if start is not None else world.now) // MINUTES_PER_DAY
        return world.now // MINUTES_PER_DAY - start_day

    def is_watched(self, world: World, agent_id: str) -> bool:
        return self.state["watched"].get(agent_id, -1) > world.now

    def plot_state(self, plot_id: str) -> dict[str, Any]:
        return self.state["plots"].get(plot_id, {})

    def cabal(self, plot: dict[str, Any]) -> list[str]:
        st = self.state["plots"][plot["id"]]
        return [plot["owner"], *st["recruited"]]

    def watch(self, world: World, suspect: str, by: str) -> None:
        if suspect not in world.agents or suspect == self.player:
            return
        self.state["watched"][suspect] = world.now + WATCH_MINUTES
        watcher = world.agents[by]
        watcher.intentions = [i for i in watcher.intentions if i.get("source") != "watch"]
        watcher.intentions.append({"follow": suspect, "until": world.now + WATCH_MINUTES,
                                   "source": "watch", "priority": 3.0})
        world.emit("watch", by, "", {"suspect": suspect, "text":
                   f"{watcher.name} is keeping an eye on {world.agents[suspect].name}"})

    def arrest(self, world: World, culprit: str) -> None:
        if culprit in self.state["arrested"]:
            return
        self.state["arrested"].append(culprit)
        agent = world.agents[culprit]
        world.set_controlled(culprit, True)
        agent.intentions = []
        jail = self.spec.get("jail")
        if jail and agent.location is not None:
            world.move_agent(agent, jail)
        world.emit("arrest", culprit, "", {"text": f"{agent.name} was arrested"})

    # ------------------------------------------------------------ world hooks
    def before_decisions(self, world: World, due: list[Agent]) -> None:
        if self.state["loop_start"] is None:
            self.state["loop_start"] = world.now
        for agent in due:
            agent.intentions = [i for i in agent.intentions
                                if i.get("until") is None or i["until"] > world.now]
        for plot in self.spec["plots"]:
            self._advance_plot(world, plot)

    def _advance_plot(self, world: World, plot: dict[str, Any]) -> None:
        st = self.state["plots"][plot["id"]]
        if st["status"] in ("done", "abandoned"):
            return
        owner = world.agents[plot["owner"]]
        victim = world.agents[plot["victim"]]
        if st["status"] == "dormant":
            if holds(plot["trigger"], world, self) and holds(plot["motive_holds"], world, self):
                st["status"] = "active"
                text = f"{owner.name} resolves: {plot['motive']}"
                world.emit("plot", owner.id, "",
                           {"plot": plot["id"], "stage": "active", "text": text})
            else:
                return
        reason = self._abandon_reason(world, plot, owner, victim)
        if reason:
            st["status"], st["reason"] = "abandoned", reason
            for member in self.cabal(plot):
                agent = world.agents[member]
                agent.intentions = [i for i in agent.intentions if i.get("plot") != plot["id"]]
            world.emit("plot", owner.id, "", {"plot": plot["id"], "stage": "abandoned",
                                              "reason": reason,
                                              "text": f"{owner.name} gives up: {reason}"})
            return
        self._pursue(world, plot, st, owner, victim)

    def _abandon_reason(self, world: World, plot: dict, owner: Agent, victim: Agent) -> str:
        if not victim.alive:
            return "the victim is already dead"
        if not owner.alive or owner.id in self.state["arrested"]:
            return "the plotter is out of the game"
        if not holds(plot["motive_holds"], world, self):
            return "the motive is gone"
        if plot["abandon"] is not None and holds(plot["abandon"], world, self):
            return "the plan's conditions failed"
        if self.is_watched(world, owner.id):
            return "the plotter is being watched"
        cabal = self.cabal(plot)
        usable = [m for m in plot["means"] if self._means_reachable(world, m, cabal)]
        if not usable:
            return "the means are lost"
        return ""

    def _means_reachable(self, world: World, item_id: str, cabal: list[str]) -> bool:
        item = world.items[item_id]
        if item.holder is not None:
            return item.holder in cabal
        return item.location is not None

    def _pursue(self, world: World, plot: dict, st: dict, owner: Agent, victim: Agent) -> None:
        steps = plot["steps"]
        cabal = self.cabal(plot)
        while st["step"] < len(steps):
            step = steps[st["step"]]
            if not self._step_done(world, plot, st, step, owner, victim, cabal):
                break
            world.emit("plot", owner.id, "", {"plot": plot["id"], "stage": step["kind"],
                                              "text": f"{owner.name} completed: {step['kind']}"})
            st["step"] += 1
            st["progress"] = 0
        intents = self._intentions(world, plot, st, owner, victim, cabal)
        for member in cabal:
            agent = world.agents[member]
            agent.intentions = [i for i in agent.intentions if i.get("plot") != plot["id"]]
            agent.intentions.extend(intents.get(member, []))

    def _step_done(self, world: World, plot: dict, st: dict, step: dict, owner: Agent,
                   victim: Agent, cabal: list[str]) -> bool:
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
            return st["progress"] >= step["minutes"]
        if kind == "recruit":
            who = step["who"] or (plot["accomplices"][0] if plot["accomplices"] else None)
            return who is None or who in st["recruited"] or st.get("refused") == who
        return False  # act completes through the kill action

    def _intentions(self, world: World, plot: dict, st: dict, owner: Agent, victim: Agent,
                    cabal: list[str]) -> dict[str, list[dict]]:
        if st["step"] >= len(plot["steps"]):
            return {}
        step = plot["steps"][st["step"]]
        tag = {"plot": plot["id"]}
        m = world.now % MINUTES_PER_DAY
        awake = owner.wake <= m < owner.sleep
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
            if not _in_window(m, step["after"], step["before"]):
                return {}
            out: dict[str, list[dict]] = {}
            for member in cabal:
                if any(world.items[i].holder == member for i in plot["means"]):
                    out[member] = [{**tag, "follow": victim.id, "priority": 4.0},
                                   {**tag, "action": {"kind": KILL, "target": victim.id},
                                    "priority": 6.0}]
            return out
        return {}

    # ------------------------------------------------------------ actions
    def allowed_actions(self, world: World, agent: Agent) -> list[Action]:
        out: list[Action] = []
        if agent.location is None or agent.id in self.state["arrested"]:
            return out
        m = world.now % MINUTES_PER_DAY
        for plot in self.spec["plots"]:
            st = self.state["plots"][plot["id"]]
            if st["status"] != "active" or st["step"] >= len(plot["steps"]):
                continue
            step = plot["steps"][st["step"]]
            cabal = self.cabal(plot)
            if agent.id not in cabal:
                continue
            if step["kind"] == "recruit" and agent.id == plot["owner"]:
                who = step["who"] or plot["accomplices"][0]
                if world.agents[who].location == agent.location:
                    out.append(Action(CONSPIRE, who, duration=CONSPIRE_MINUTES,
                                      activity=plot["id"]))
            if step["kind"] == "act" and _in_window(m, step["after"], step["before"]):
                kill = self._kill_action(world, plot, agent, cabal)
                if kill is not None:
                    out.append(kill)
        return out

    def _kill_action(self, world: World, plot: dict, agent: Agent,
                     cabal: list[str]) -> Action | None:
        victim = world.agents[plot["victim"]]
        if not victim.alive or victim.location != agent.location:
            return None
        means = next((i for i in plot["means"] if world.items[i].holder == agent.id), None)
        if means is None:
            return None
        outsiders = [a for a in world.present(agent.location or "")
                     if a.id not in cabal and a.id != victim.id]
        if outsiders:
            return None
        return Action(KILL, victim.id, item=means, duration=KILL_MINUTES, activity=plot["id"])

    def permits(self, world: World, agent: Agent, action: Action) -> bool:
        """Player-only verbs (ask, tell, ...) take free parameters, so they are checked here."""
        if agent.id != self.player or action.kind not in PLAYER_KINDS:
            return False
        if agent.location is None or not agent.alive:
            return False
        if action.kind == "search":
            return True
        other = world.agents.get(action.target)
        return other is not None and other.alive and other.location == agent.location

    def apply(self, world: World, agent: Agent, action: Action) -> int | None:
        here = agent.location or ""
        if action.kind == KILL:
            return self._murder(world, agent, action)
        if action.kind == CONSPIRE:
            return self._conspire(world, agent, action)
        if action.kind in PLAYER_KINDS:
            other = world.agents.get(action.target)
            text = (f"{agent.name} searched {world.locations[here].name}"
                    if action.kind == "search" else
                    f"{agent.name} spoke with {other.name if other else '?'}")
            world.emit("player_" + action.kind, agent.id, here,
                       {"target": action.target, "topic": action.activity, "text": text,
                        "importance": 2})
            return action.duration
        return None

    def _murder(self, world: World, killer: Agent, action: Action) -> int:
        victim = world.agents[action.target]
        plot = self.plots[action.activity]
        here = killer.location or ""
        victim.alive = False
        victim.asleep = False
        item = world.items[action.item]
        record = {"t": world.now, "victim": victim.id, "killer": killer.id, "location": here,
                  "item": item.id, "plot": plot["id"], "cause": plot["cause"] or _cause(item.tags)}
        self.state["murders"].append(record)
        self.state["plots"][plot["id"]]["status"] = "done"
        for member in self.cabal(plot):
            a = world.agents[member]
            a.intentions = [i for i in a.intentions if i.get("plot") != plot["id"]]
        world.emit("murder", killer.id, here, {
            "victim": victim.id, "item": item.id, "plot": plot["id"], "importance": 10,
            "valence": -1.0, "text": f"{victim.name} was killed at {world.locations[here].name}"})
        return action.duration

    def _conspire(self, world: World, owner: Agent, action: Action) -> int:
        plot = self.plots[action.activity]
        st = self.state["plots"][plot["id"]]
        other = world.agents[action.target]
        here = owner.location or ""
        willing = other.affinity(plot["victim"]) < 0.2 or other.affinity(owner.id) > 0.5
        if willing and other.id not in st["recruited"]:
            st["recruited"].append(other.id)
        elif not willing:
            st["refused"] = other.id
        world.emit("conspire", owner.id, here, {
            "with": other.id, "plot": plot["id"], "agreed": willing, "importance": 5,
            "text": f"{owner.name} and {other.name} spoke in low voices"})
        victim_name = world.agents[plot["victim"]].name
        world.add_memory(other, "conversation",
                         f"{owner.name} asked me to help against {victim_name}",
                         8, subject=owner.id, predicate="conspired", obj=plot["victim"],
                         tags=(owner.id, "conspiracy"), valence=-0.2)
        return action.duration

    def on_event(self, world: World, event: Event) -> None:
        return None

    # ------------------------------------------------------------ state
    def to_state(self) -> dict[str, Any]:
        return self.state

    def load_state(self, state: dict[str, Any]) -> None:
        self.state = state


def _in_window(minute: int, after: int | None, before: int | None) -> bool:
    if after is None and before is None:
        return True
    a = after if after is not None else 0
    b = before if before is not None else MINUTES_PER_DAY
    return a <= minute < b if a <= b else (minute >= a or minute < b)


def _cause(tags: tuple[str, ...] | list[str]) -> str:
    if "poison" in tags:
        return "poisoned"
    if "blade" in tags or "knife" in tags:
        return "stabbed"
    if "rope" in tags:
        return "strangled"
    return "struck down"
