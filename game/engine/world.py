"""The world: the town's state, its one seeded RNG, and the loop that runs it.

Time jumps from one decision point to the next (see ``scheduler``). All decisions
due at the same minute go to the mind in one batch, so an LLM can answer them
together, and are then applied in agent order, so runs never depend on hash or
set ordering. What an action does lives in ``acting``, reading a spec in ``spec``,
saving and restoring in ``snapshot``; this module holds them together.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from . import gatherings, perception, reflection
from .acting import allowed_actions, arrive, carry_out
from .actions import GIVE, MOVE, TALK, Action, InvalidAction
from .clock import DEFAULT_START_DATE, MINUTES_PER_DAY, MINUTES_PER_HOUR, Calendar
from .collector import collector_paused
from .events import Event, EventLog
from .memory import MemoryNode
from .mind import Mind, Situation
from .model import Agent, Fact, Item, Location
from .outings import RoutineIndex
from .perception import DEFAULT_REPLAN_IMPORTANCE
from .planning import PLAN_IMPORTANCE, PLAN_LEAD_MINUTES, block_at, describe_plan
from .reflection import DEFAULT_REFLECTION_THRESHOLD
from .rules import WorldRule
from .scheduler import DecisionQueue
from .snapshot import load_world_state, plain_copy, world_state
from .social import own_news_index
from .spec import (
    agents_from_spec,
    all_pairs_travel,
    facts_from_spec,
    items_from_spec,
    locations_from_spec,
)

__all__ = ["IMPORTANCE_BATCH", "InvalidAction", "ProgressFn", "World", "WorldRule", "plain_copy"]

ProgressFn = Callable[[int, int], None]
IMPORTANCE_BATCH = 12  # memories a mind re-rates per agent per day, the most recent first
RATED_KINDS = ("observation", "conversation")  # what a mind may re-rate: what was seen and heard
DEFAULT_START_TIME = 7 * MINUTES_PER_HOUR  # minute of the first day a spec's town wakes to
RECALL_COUNT = 6  # memories a decision may draw on


class World:
    """A town, its clock and its rules; built from a spec, driven by ``run_until``."""

    def __init__(self, spec: dict[str, Any], seed: int, mind: Mind,
                 rules: Iterable[WorldRule] = ()) -> None:
        self.spec = spec
        self.seed = seed
        self.rng = random.Random(seed)
        self.mind = mind
        self.rules: list[WorldRule] = list(rules)
        self.calendar = Calendar(spec.get("start_date", DEFAULT_START_DATE))
        self.now: int = int(spec.get("start_time", DEFAULT_START_TIME))
        self.reflection_threshold: int = int(spec.get("reflection_threshold",
                                                      DEFAULT_REFLECTION_THRESHOLD))
        self.replan_importance: int = int(spec.get("replan_importance",
                                                   DEFAULT_REPLAN_IMPORTANCE))
        self.log = EventLog()
        self.stats: dict[str, int] = {"decisions": 0, "invalid_decisions": 0, "batches": 0}
        self.locations: dict[str, Location] = locations_from_spec(spec)
        self.items: dict[str, Item] = items_from_spec(spec)
        self.facts: dict[str, Fact] = facts_from_spec(spec)
        self.own_news = own_news_index(self.facts)  # see social.news
        self._order: list[Agent] = agents_from_spec(spec, self.now, self.facts)
        self.agents: dict[str, Agent] = {agent.id: agent for agent in self._order}
        self._travel = all_pairs_travel(list(self.locations), spec.get("connections", []))
        self._moves: dict[str, list[tuple[str, int, Action, bool]]] = {}  # see move_actions
        self._company: dict[str, tuple[bool, frozenset[int]]] | None = None  # see may_enter
        self.routine_index: dict[str, RoutineIndex] = {}  # weekday -> see outings.routine_index
        self.outings: bool = bool(spec.get("outings", True))  # free time spent out (outings.py)
        self._occupants: dict[str, list[Agent]] = {}  # location -> agents, in index order
        self._residents: dict[str, list[Agent]] = {  # owners and those who live there
            loc.id: [a for a in self._order if a.id in loc.owners or a.home == loc.id]
            for loc in self.locations.values()}
        self.reindex_occupants()
        self.pending = DecisionQueue(self._order)
        for agent in self._order:
            if not agent.controlled:
                self.pending.schedule(agent, self.now)
        for agent in self._order:  # what people know of from the start, they decide on now
            for fact_id in agent.known_facts:
                if self.facts[fact_id].event is not None:
                    gatherings.consider(self, agent, self.facts[fact_id])

    # ----------------------------------------------------------------- queries
    @property
    def order(self) -> list[Agent]:
        """Every agent, in spec order: the order ties and batches follow."""
        return self._order

    def travel_time(self, a: str, b: str) -> int | None:
        return self._travel.get(a, {}).get(b)

    def routes_from(self, here: str) -> dict[str, int]:
        """Minutes to every location reachable from ``here`` (itself at 0). Do not modify."""
        return self._travel[here]

    def move_actions(self, here: str) -> list[tuple[str, int, Action, bool]]:
        """(place, minutes, the move there, always open) for every other reachable place, in
        route order. Actions are immutable, so each is built once, not at every decision."""
        moves = self._moves.get(here)
        if moves is None:
            locations = self.locations
            moves = self._moves[here] = [
                (loc_id, minutes, Action(MOVE, loc_id, duration=max(1, minutes)),
                 locations[loc_id].kind == "public" and not locations[loc_id].hours)
                for loc_id, minutes in self.routes_from(here).items() if loc_id != here]
        return moves

    def present(self, location: str, *, exclude: str = "") -> list[Agent]:
        """Living agents at ``location`` (not travelling), in stable index order."""
        return [ag for ag in self._occupants.get(location, ()) if ag.alive and ag.id != exclude]

    def move_agent(self, agent: Agent, location: str | None) -> None:
        """The one place an agent's location changes, so the occupancy index stays true."""
        if agent.location is not None:
            self._occupants[agent.location].remove(agent)
        agent.location = location
        if location is not None:
            group = self._occupants.setdefault(location, [])
            group.append(agent)
            group.sort(key=lambda a: a.index)

    def reindex_occupants(self) -> None:
        """Rebuild who is where after locations were set without ``move_agent`` (a restore)."""
        self._occupants = {loc: [] for loc in self.locations}
        for agent in self._order:
            if agent.location is not None:
                self._occupants.setdefault(agent.location, []).append(agent)

    def minute_of_day(self, t: int | None = None) -> int:
        return (self.now if t is None else t) % MINUTES_PER_DAY

    def day(self, t: int | None = None) -> int:
        return (self.now if t is None else t) // MINUTES_PER_DAY

    def may_enter(self, agent: Agent, location_id: str, at: int) -> bool:
        loc = self.locations[location_id]
        if loc.kind == "public" and not loc.hours:
            return True
        if loc.key is not None and loc.key in self.items \
                and self.items[loc.key].holder == agent.id:
            return True  # a locked door opens to whoever holds its key
        if loc.after_hours == "guests" and loc.kind == "public":
            for ag in self.present(location_id):
                if ag.id in loc.owners or location_id in (ag.home, ag.work):
                    return True  # after hours, a guest comes in while staff are inside
        if location_id == agent.home or location_id == agent.work or agent.id in loc.owners:
            return True
        if loc.kind == "private":  # in company: a resident is in, or walks in with them
            company = None if self._company is None else self._company.get(location_id)
            if company is None:
                company = self._residents_coming(location_id)
                if self._company is not None:
                    self._company[location_id] = company
            return company[0] or at in company[1]
        return loc.is_open(at % MINUTES_PER_DAY)

    def _residents_coming(self, location_id: str) -> tuple[bool, frozenset[int]]:
        """Whether a resident is in, and when residents on their way there arrive."""
        arrivals = []
        for ag in self._residents[location_id]:  # a loop, not any(): this runs a lot
            if ag.alive:
                if ag.location == location_id:
                    return True, frozenset()
                if ag.location is None and ag.travel_to == location_id:
                    arrivals.append(ag.action_end)
        return False, frozenset(arrivals)

    def allowed_actions(self, agent_id: str) -> list[Action]:
        """Everything ``agent_id`` may do right now; minds must pick from this list."""
        return allowed_actions(self, self.agents[agent_id])

    # --------------------------------------------------------------- scheduling
    def interrupt(self, agent: Agent, at: int | None = None) -> None:
        """Replace an agent's pending decision (e.g. after an alarming observation)."""
        if agent.controlled or not agent.alive or agent.location is None:
            return
        agent.asleep = False
        self.pending.schedule(agent, self.now + 1 if at is None else at)

    def next_decision_time(self) -> int | None:
        return self.pending.next_time()

    def set_controlled(self, agent_id: str, controlled: bool) -> None:
        """Hand an agent to the player (no mind decides for it) or back to its mind."""
        agent = self.agents[agent_id]
        agent.controlled = controlled
        if controlled:
            self.pending.drop(agent)
        elif agent.alive:
            self.pending.schedule(agent, max(self.now, agent.action_end))

    # ------------------------------------------------------------------ running
    def run_until(self, t_end: int, progress: ProgressFn | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  progress_every: int = 64) -> bool:
        """Advance to ``t_end``; resumable. Returns False if ``should_stop`` ended it early."""
        batches = 0
        with collector_paused():
            while True:
                t = self.pending.next_time()
                if t is None or t > t_end:
                    break
                self._advance_clock(t)
                self._decide(self.pending.pop_due(t))
                batches += 1
                if progress is not None and batches % progress_every == 0:
                    progress(self.now, t_end)
                if should_stop is not None and should_stop():
                    return False
            self._advance_clock(max(self.now, t_end))
        if progress is not None:
            progress(self.now, t_end)
        return True

    def _advance_clock(self, t: int) -> None:
        old_day = self.day()
        self.now = t
        for day in range(old_day + 1, self.day() + 1):
            for rule in self.rules:
                rule.on_day_start(self, day)
        if self.day() > old_day:
            self._rate_importance()

    def _decide(self, due: list[Agent]) -> None:
        for agent in due:
            if agent.location is None and agent.travel_to is not None:
                arrive(self, agent)
        for agent in due:
            agent.asleep = False
            if agent.reflect_due:
                reflection.reflect(self, agent)
            if agent.plan_day != self.day() \
                    and self.minute_of_day() >= agent.wake - PLAN_LEAD_MINUTES:
                self.make_plan(agent)
        due = self._rest_until_first_plan(due)
        for rule in self.rules:
            rule.before_decisions(self, due)
        due = [a for a in due if a.alive and not a.controlled and a.location is not None]
        self._company = {}  # nobody moves while the choices are laid out: ask each door once
        try:
            situations = [self.situation(agent) for agent in due]
        finally:
            self._company = None
        choices = self.mind.decide(self, situations) if situations else []
        self.stats["batches"] += 1
        versions = [agent.version for agent in due]
        for agent, version, situation, action in zip(due, versions, situations, choices,
                                                     strict=True):
            if agent.version != version:
                continue  # drawn into a conversation earlier in this batch: choice is stale
            self.stats["decisions"] += 1
            # A mind mostly returns one of the offered objects: identity first, then equality.
            offered = any(a is action for a in situation.allowed) or action in situation.allowed
            if offered and action.kind in (TALK, GIVE) \
                    and not self._still_with(agent, action.target):
                action = situation.allowed[0]  # the other left earlier in this batch
            elif not offered:
                self.stats["invalid_decisions"] += 1
                self.log.append(self.now, "invalid_decision", agent.id, agent.location or "",
                                {"action": action.label() if isinstance(action, Action)
                                 else str(action)[:80]})
                action = situation.allowed[0]
            self._apply(agent, action)

    def _rest_until_first_plan(self, due: list[Agent]) -> list[Agent]:
        """Nobody acts in a loop before their first plan: a town that starts at midnight
        sleeps until each of its people is about to wake."""
        ready = []
        for agent in due:
            if agent.plan or agent.controlled or agent.plan_day == self.day():
                ready.append(agent)
                continue
            agent.asleep = True
            plan_at = self.day() * MINUTES_PER_DAY + agent.wake - PLAN_LEAD_MINUTES
            self.pending.schedule(agent, max(self.now + 1, plan_at))
        return ready

    def _still_with(self, agent: Agent, other_id: str) -> bool:
        other = self.agents[other_id]
        return other.alive and not other.asleep and other.location == agent.location

    def make_plan(self, agent: Agent) -> None:
        agent.plan = self.mind.plan_day(self, agent.id, self.day())
        agent.plan_day = self.day()
        summary = describe_plan(self, agent.plan)
        self.add_memory(agent, "plan", f"My plan for today: {summary}", PLAN_IMPORTANCE,
                        subject=agent.id, predicate="plans", tags=("plan",))

    def _rate_importance(self) -> None:
        """At each midnight, let a mind that can (an LLM) re-rate what every agent saw and
        heard since the last time: one batch for the whole town, so an LLM can send the
        requests together. The rules' own ratings stand for minds without
        ``rate_importance`` and for any answer that does not fit."""
        rate = getattr(self.mind, "rate_importance", None)
        if rate is None:
            return
        batch: dict[str, list[MemoryNode]] = {}
        for agent in self.order:
            stream = agent.memory
            fresh = [n for n in stream.nodes[stream.rated:]
                     if n.kind in RATED_KINDS][-IMPORTANCE_BATCH:]
            stream.rated = len(stream.nodes)
            if fresh and agent.alive and not agent.controlled:
                batch[agent.id] = fresh
        if not batch:
            return
        answers = rate(self, {a: [n.text for n in nodes] for a, nodes in batch.items()})
        for agent_id, nodes in batch.items():
            scores = answers.get(agent_id, [])
            if len(scores) == len(nodes) and all(isinstance(v, int) for v in scores):
                self.agents[agent_id].memory.rescore(
                    {n.id: v for n, v in zip(nodes, scores, strict=True)})
                self.stats["importance_batches"] = self.stats.get("importance_batches", 0) + 1

    def situation(self, agent: Agent) -> Situation:
        here = agent.location or ""
        present = [a.id for a in self.present(here, exclude=agent.id)]
        block = block_at(agent.plan, self.now)
        now = self.now

        def recall() -> list[MemoryNode]:  # built only if the mind asks: most choices don't
            query = (f"{self.locations[here].name} {' '.join(present)} "
                     f"{block.activity if block else ''}")
            return agent.memory.retrieve(query, now, k=RECALL_COUNT)

        return Situation(agent.id, now, here, present, allowed_actions(self, agent), block,
                         list(agent.intentions), recall=recall)

    # ----------------------------------------------------------------- actions
    def perform(self, agent_id: str, action: Action) -> int:
        """Apply an action chosen outside any mind (the player's). Returns its duration."""
        agent = self.agents[agent_id]
        permitted = action in self.allowed_actions(agent_id) or any(
            rule.permits(self, agent, action) for rule in self.rules)
        if not permitted:
            raise InvalidAction(f"{action.label()} is not possible for {agent_id} now")
        return self._apply(agent, action)

    def _apply(self, agent: Agent, action: Action) -> int:
        duration = carry_out(self, agent, action)
        agent.action_end = self.now + duration
        if not agent.controlled and agent.alive:
            self.pending.schedule(agent, self.now + max(1, duration))
        return duration

    def finish_travel(self, agent_id: str) -> None:
        """Complete a controlled agent's journey (its time has already been spent)."""
        agent = self.agents[agent_id]
        if agent.location is None:
            arrive(self, agent)

    # ------------------------------------------------------------------ events
    def emit(self, kind: str, actor: str, location: str,
             data: dict[str, Any] | None = None) -> Event:
        event = self.log.append(self.now, kind, actor, location, data)
        if location:
            perception.perceive(self, event)
        for rule in self.rules:
            rule.on_event(self, event)
        return event

    def learn_fact(self, agent: Agent, fact_id: str, source: str) -> bool:
        """Record that ``agent`` now knows a fact; True if it is news to them. A fact with
        an event makes them decide whether to go. The caller writes the memory."""
        if fact_id in agent.known_facts:
            return False
        agent.known_facts[fact_id] = [self.now, source]
        fact = self.facts.get(fact_id)
        if fact is not None and fact.event is not None:
            gatherings.consider(self, agent, fact)
        return True

    def add_memory(self, agent: Agent, kind: str, text: str, importance: int,
                   **kwargs: Any) -> None:
        agent.memory.add(kind, self.now, text, importance, **kwargs)
        if agent.memory.importance_since_reflection >= self.reflection_threshold:
            agent.reflect_due = True

    # ---------------------------------------------------------------- snapshot
    def snapshot(self) -> dict[str, Any]:
        """The whole world as plain data; ``World.restore`` continues it exactly."""
        return world_state(self)

    @classmethod
    def restore(cls, snap: dict[str, Any], mind: Mind,
                rules: Iterable[WorldRule] = ()) -> World:
        world = cls(snap["spec"], snap["seed"], mind, rules)
        load_world_state(world, snap)
        return world
