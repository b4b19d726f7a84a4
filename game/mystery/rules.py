"""The mystery's rules inside the world: plots, murder, the law's watch, arrests, news.

``MysteryRules`` is the world's hook into the mystery. Plots are advanced by
``plots.advance`` before every batch of decisions; the ``kill`` action is offered only
when means and opportunity are real (a conspirator holds a means item and is alone with
the victim). What the town hears of arrests, accusations and deaths is in ``news``.
Everything that changes lives in ``state``, which is part of the world's snapshot: the
plots, the watch, arrests, murders, the clues found and the proof established in this
world (see ``evidence``).
"""

from __future__ import annotations

from typing import Any

from game.engine.actions import Action
from game.engine.clock import MINUTES_PER_DAY
from game.engine.events import Event
from game.engine.model import Agent
from game.engine.rules import WorldRule
from game.engine.world import World

from . import law, news, observations, plots, plots_after
from .plots import BIDE, CONSPIRE, KILL, LURK

__all__ = ["BIDE", "CONSPIRE", "KILL", "LURK", "MysteryRules", "PLAYER_KINDS", "STAY_MINUTES"]

PLAYER_KINDS = ("ask", "tell", "show", "warn", "stay_request", "search", "greet", "accuse")
WATCH_MINUTES = 2 * MINUTES_PER_DAY
STAY_MINUTES = 14 * 60


class LoopKnowledge:
    """What the player carries over from earlier loops, as loop-gated conditions see it
    (``deaths_at_least``, ``remembers``). The notebook outlives the world, so it is not
    part of the world's state: the session hands it in (``Play``); alone, the town (a
    headless ``simulate``) is in its first loop and remembers nothing."""

    def __init__(self, clues: dict[str, dict[str, Any]] | None = None,
                 deaths: list[dict[str, Any]] | None = None, loop: int = 1) -> None:
        self._clues = clues if clues is not None else {}
        self._deaths = deaths if deaths is not None else []
        self.loop = loop

    def deaths(self) -> int:
        return sum(1 for d in self._deaths if d.get("loop", 0) < self.loop)

    def remembers(self, ident: str) -> bool:
        """The notebook holds this clue or fact, first noted in an earlier loop."""
        for key in (ident, f"fact:{ident}"):
            clue = self._clues.get(key)
            if clue is not None and clue.get("loop", self.loop) < self.loop:
                return True
        return False


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
            "arrest_times": {},  # agent id -> minute they were taken to jail
            "murders": [],  # {t, victim, killer, location, item, plot, cause}
            "found_clues": [],
            "proof": {},  # clue id -> how this world proves it (see evidence.establish)
            "loop_start": None,
            "law_acted": [],  # [officer, fact id]: incriminating facts the law has acted on
        }
        self.plots = {p["id"]: p for p in spec["plots"]}
        self.knowledge = LoopKnowledge()

    # ------------------------------------------------------------ helpers
    def resolve(self, who: str) -> str:
        return self.player if who == "player" else who

    def loop_day(self, world: World) -> int:
        start = self.state["loop_start"]
        start_day = (start if start is not None else world.now) // MINUTES_PER_DAY
        return world.now // MINUTES_PER_DAY - start_day

    def is_watched(self, world: World, agent_id: str) -> bool:
        return bool(self.state["watched"].get(agent_id, -1) > world.now)

    def plot_state(self, plot_id: str) -> dict[str, Any]:
        return dict(self.state["plots"].get(plot_id, {}))

    def cabal(self, plot: dict[str, Any]) -> list[str]:
        st = self.state["plots"][plot["id"]]
        return [plot["owner"], *st["recruited"]]

    def allies_in_crime(self, who: str) -> list[str]:
        """Everyone who plots together with ``who`` (owners and recruits), in spec order."""
        out: list[str] = []
        for plot in self.spec["plots"]:
            cabal = self.cabal(plot)
            if who in cabal:
                out += [m for m in cabal if m != who and m not in out]
        return out

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

    def arrest(self, world: World, culprit: str, by: str) -> None:
        """Take ``culprit`` to jail; ``by`` (the law) announces it, and the town reacts."""
        if culprit in self.state["arrested"]:
            return
        self.state["arrested"].append(culprit)
        self.state["arrest_times"][culprit] = world.now
        agent = world.agents[culprit]
        world.set_controlled(culprit, True)
        agent.intentions = []
        jail = self.spec.get("jail")
        if jail and agent.location is not None and agent.location != jail:
            world.move_agent(agent, jail)
            agent.memory.add("observation", world.now,
                             f"I was taken to {world.locations[jail].name}", 1,
                             subject=agent.id, predicate="arrive", obj=jail, tags=("self", jail))
        world.emit("arrest", culprit, "", {"text": f"{agent.name} was arrested", "by": by})
        news.arrested(world, self, culprit, by)

    # ------------------------------------------------------------ world hooks
    def before_decisions(self, world: World, due: list[Agent]) -> None:
        if self.state["loop_start"] is None:
            self.state["loop_start"] = world.now
        for agent in due:
            agent.intentions = [i for i in agent.intentions
                                if i.get("until") is None or i["until"] > world.now]
        deciding = {a.id for a in due}
        law.react(world, self)
        for plot in self.spec["plots"]:
            plots.advance(world, self, plot, deciding)

    def allowed_actions(self, world: World, agent: Agent) -> list[Action]:
        if agent.location is None or agent.id in self.state["arrested"]:
            return []
        return plots.allowed(world, self, agent) + plots_after.allowed(world, self, agent)

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
            return plots.murder(world, self, agent, action)
        if action.kind == CONSPIRE:
            return plots.conspire(world, self, agent, action)
        if action.kind in (plots_after.CLEAN, plots_after.PUT, plots_after.VIGIL):
            return plots_after.apply(world, self, agent, action)
        if action.kind == BIDE:
            agent.asleep = False
            return action.duration
        if action.kind in PLAYER_KINDS:
            other = world.agents.get(action.target)
            text = (f"{agent.name} searched {world.locations[here].name}"
                    if action.kind == "search" else
                    f"{agent.name} spoke with {other.name if other else 'someone'}")
            world.emit("player_" + action.kind, agent.id, here,
                       {"target": action.target, "topic": action.activity, "text": text,
                        "importance": 2})
            return action.duration
        return None

    def on_event(self, world: World, event: Event) -> None:
        if event.kind == "depart" and event.actor == self.player:
            self._companions_follow(world, event.location)
        if event.kind == "arrive":
            observations.notice_present(world, event.actor, event.location)
            for agent in world.present(event.location):
                if self.is_watched(world, agent.id):
                    law.question(world, self, agent.id)
            news.bodies_found(world, self, event.actor, event.location)

    def _companions_follow(self, world: World, left: str) -> None:
        """Whoever agreed to stay with the player sets out with them, the same minute: a
        companion who trailed behind would leave the player alone on arrival."""
        for agent in world.order:
            if agent.location == left and agent.alive and any(
                    i.get("source") == "stay" and i.get("follow") == self.player
                    and i.get("until", world.now + 1) > world.now for i in agent.intentions):
                world.interrupt(agent, world.now)

    # ------------------------------------------------------------ state
    def to_state(self) -> dict[str, Any]:
        return self.state

    def load_state(self, state: dict[str, Any]) -> None:
        state.setdefault("proof", {})
        state.setdefault("arrest_times", {})
        state.setdefault("law_acted", [])
        self.state = state
