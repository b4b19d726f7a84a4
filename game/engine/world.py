"""The world: state, one seeded RNG, and a discrete-event scheduler.

Time jumps from one decision point to the next: every agent has exactly one
pending decision in a heap keyed by (time, agent index, version). Ties break by
agent index, the order agents appear in the spec, so runs never depend on hash or
set ordering. All decisions due at the same minute are handed to the mind in one
batch, then applied in agent order.

A world is built from a *spec*: plain data describing locations, items, facts and
agents (see ``game.engine.synthetic`` or ``game.scenario`` for producers).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterable
from typing import Any

from . import perception, reflection, social
from .actions import (
    GIVE,
    GIVE_MINUTES,
    LONGEST_STAY_MINUTES,
    MOVE,
    SHORTEST_STAY_MINUTES,
    SLEEP,
    STAY,
    TAKE,
    TAKE_MINUTES,
    TALK,
    TALK_MINUTES,
    WAIT,
    WAIT_MINUTES,
    Action,
)
from .clock import DEFAULT_START_DATE, MINUTES_PER_DAY, MINUTES_PER_HOUR, Calendar
from .events import Event, EventLog
from .memory import MemoryNode, MemoryStream, RetrievalWeights
from .mind import Mind, Situation
from .model import (
    DEFAULT_FACT_IMPORTANCE,
    DEFAULT_SLEEP,
    DEFAULT_WAKE,
    Agent,
    Fact,
    Item,
    Location,
    Relationship,
    RoutineEntry,
)
from .perception import DEFAULT_REPLAN_IMPORTANCE
from .planning import PLAN_LEAD_MINUTES, block_at, describe_plan
from .reflection import DEFAULT_REFLECTION_THRESHOLD
from .rules import WorldRule

ProgressFn = Callable[[int, int], None]
IMPORTANCE_BATCH = 12  # memories a mind re-rates per agent per day, the most recent first
DEFAULT_START_TIME = 7 * MINUTES_PER_HOUR  # minute of the first day a spec's town wakes to
RECALL_COUNT = 6  # memories a decision may draw on


class InvalidAction(ValueError):
    """Raised when someone asks the world for an action it does not allow."""


class World:
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
        self.locations: dict[str, Location] = {}
        self.items: dict[str, Item] = {}
        self.facts: dict[str, Fact] = {}
        self.agents: dict[str, Agent] = {}
        self._queue: list[tuple[int, int, int]] = []
        self._order: list[Agent] = []
        self._occupants: dict[str, list[Agent]] = {}  # location -> agents, in index order
        self.stats: dict[str, int] = {"decisions": 0, "invalid_decisions": 0, "batches": 0}
        self._build(spec)
        self._travel = self._all_pairs_travel(spec.get("connections", []))
        self._reindex_locations()
        for agent in self._order:
            if not agent.controlled:
                self._schedule(agent, self.now)

    # ----------------------------------------------------------------- building
    def _build(self, spec: dict[str, Any]) -> None:
        for raw in spec["locations"]:
            self.locations[raw["id"]] = Location(
                raw["id"], raw.get("name", raw["id"]), raw.get("kind", "public"),
                raw.get("description", ""), tuple(raw.get("pos", (0.0, 0.0))),
                [tuple(h) for h in raw.get("hours", [])], list(raw.get("owners", [])),
            )
        for raw in spec.get("items", []):
            self.items[raw["id"]] = Item(
                raw["id"], raw.get("name", raw["id"]), tuple(raw.get("tags", ())),
                raw.get("description", ""), raw.get("location"), raw.get("holder"),
            )
        for raw in spec.get("facts", []):
            self.facts[raw["id"]] = Fact(raw["id"], raw["text"],
                                         int(raw.get("importance", DEFAULT_FACT_IMPORTANCE)),
                                         tuple(raw.get("about", ())), bool(raw.get("secret")))
        mem, default = spec.get("memory", {}), RetrievalWeights()
        weights = RetrievalWeights(
            mem.get("recency", default.recency), mem.get("importance", default.importance),
            mem.get("relevance", default.relevance),
            mem.get("decay_per_hour", default.decay_per_hour),
        )
        for index, raw in enumerate(spec["agents"]):
            agent = Agent(
                id=raw["id"], name=raw.get("name", raw["id"]), index=index,
                persona=raw.get("persona", ""), traits=tuple(raw.get("traits", ())),
                role=raw.get("role", ""), home=raw["home"], work=raw.get("work", ""),
                routine=tuple(
                    RoutineEntry(tuple(r["days"]), r["start"], r["end"], r["location"],
                                 r.get("activity", "busy"))
                    for r in raw.get("routine", [])
                ),
                goals=tuple(raw.get("goals", ())), voice=dict(raw.get("voice", {})),
                is_player=bool(raw.get("is_player", False)),
                wake=int(raw.get("wake", DEFAULT_WAKE)), sleep=int(raw.get("sleep", DEFAULT_SLEEP)),
                memory=MemoryStream(weights=weights),
            )
            agent.relationships = {
                other: Relationship(float(r["affinity"]), r.get("label", ""))
                for other, r in raw.get("relationships", {}).items()
            }
            agent.location = raw.get("start_location", raw["home"])
            agent.controlled = agent.is_player
            self.agents[agent.id] = agent
            self._order.append(agent)
        for raw in spec.get("facts", []):
            for holder in raw.get("known_by", []):
                self.agents[holder].known_facts[raw["id"]] = [self.now, "start"]

    def _all_pairs_travel(self, connections: list[list[Any]]) -> dict[str, dict[str, int]]:
        """Floyd-Warshall; locations are few (tens), so the cubic cost is negligible."""
        ids = list(self.locations)
        inf = 10**9
        dist = {a: {b: (0 if a == b else inf) for b in ids} for a in ids}
        for a, b, minutes in connections:
            m = int(minutes)
            if m < dist[a][b]:
                dist[a][b] = dist[b][a] = m
        for k in ids:
            dk = dist[k]
            for i in ids:
                di = dist[i]
                dik = di[k]
                if dik == inf:
                    continue
                for j in ids:
                    alt = dik + dk[j]
                    if alt < di[j]:
                        di[j] = alt
        return {a: {b: d for b, d in row.items() if d < inf} for a, row in dist.items()}

    # ----------------------------------------------------------------- queries
    @property
    def order(self) -> list[Agent]:
        return self._order

    def travel_time(self, a: str, b: str) -> int | None:
        return self._travel.get(a, {}).get(b)

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

    def _reindex_locations(self) -> None:
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
        if location_id in (agent.home, agent.work) or agent.id in loc.owners:
            return True
        if loc.kind == "private":
            return any(ag.id in loc.owners or ag.home == location_id
                       for ag in self.present(location_id))
        return loc.is_open(at % MINUTES_PER_DAY)

    def allowed_actions(self, agent_id: str) -> list[Action]:
        """Everything ``agent_id`` may do right now; minds must pick from this list."""
        agent = self.agents[agent_id]
        if not agent.alive or agent.location is None:
            return []
        here = agent.location
        out: list[Action] = []
        block = block_at(agent.plan, self.now)
        chunk = LONGEST_STAY_MINUTES
        if block is not None and block.location == here:
            chunk = max(SHORTEST_STAY_MINUTES, min(LONGEST_STAY_MINUTES, block.end - self.now))
        activity = block.activity if block is not None and block.location == here else "idle"
        if activity == "sleep" and here != agent.home:
            activity = "idle"
        out.append(Action(STAY, here, duration=chunk, activity=activity))
        if here == agent.home:
            wake_at = self._next_wake(agent)
            out.append(Action(SLEEP, here, duration=max(SHORTEST_STAY_MINUTES, wake_at - self.now),
                              activity="sleep"))
        for loc_id, minutes in self._travel[here].items():
            if loc_id != here and self.may_enter(agent, loc_id, self.now + minutes):
                out.append(Action(MOVE, loc_id, duration=max(1, minutes)))
        awake = [other for other in self.present(here, exclude=agent.id) if not other.asleep]
        for other in awake:
            out.append(Action(TALK, other.id, duration=TALK_MINUTES))
        for item in self.items.values():
            if item.location == here and item.holder is None:
                out.append(Action(TAKE, item=item.id, duration=TAKE_MINUTES))
            elif item.holder == agent.id:
                for other in awake:
                    out.append(Action(GIVE, other.id, item=item.id, duration=GIVE_MINUTES))
        out.append(Action(WAIT, here, duration=WAIT_MINUTES))
        for rule in self.rules:
            out.extend(rule.allowed_actions(self, agent))
        return out

    def _next_wake(self, agent: Agent) -> int:
        base = self.day() * MINUTES_PER_DAY
        wake = base + agent.wake
        return wake if wake > self.now + SHORTEST_STAY_MINUTES else wake + MINUTES_PER_DAY

    # --------------------------------------------------------------- scheduling
    def _schedule(self, agent: Agent, t: int) -> None:
        agent.version += 1
        heapq.heappush(self._queue, (t, agent.index, agent.version))

    def interrupt(self, agent: Agent, at: int | None = None) -> None:
        """Replace an agent's pending decision (e.g. after an alarming observation)."""
        if agent.controlled or not agent.alive or agent.location is None:
            return
        agent.asleep = False
        self._schedule(agent, self.now + 1 if at is None else at)

    def next_decision_time(self) -> int | None:
        while self._queue:
            t, idx, version = self._queue[0]
            agent = self._order[idx]
            if version == agent.version and agent.alive and not agent.controlled:
                return t
            heapq.heappop(self._queue)
        return None

    def set_controlled(self, agent_id: str, controlled: bool) -> None:
        """Hand an agent to the player (no mind decides for it) or back to its mind."""
        agent = self.agents[agent_id]
        agent.controlled = controlled
        if controlled:
            agent.version += 1
        elif agent.alive:
            self._schedule(agent, max(self.now, agent.action_end))

    # ------------------------------------------------------------------ running
    def run_until(self, t_end: int, progress: ProgressFn | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  progress_every: int = 64) -> bool:
        """Advance to ``t_end``; resumable. Returns False if ``should_stop`` ended it early."""
        batches = 0
        while True:
            t = self.next_decision_time()
            if t is None or t > t_end:
                break
            self._advance_clock(t)
            due: list[Agent] = []
            while self._queue and self._queue[0][0] == t:
                _, idx, version = heapq.heappop(self._queue)
                agent = self._order[idx]
                if version == agent.version and agent.alive and not agent.controlled:
                    due.append(agent)
            self._decide(due)
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
                self._arrive(agent)
        for agent in due:
            agent.asleep = False
            if agent.reflect_due:
                reflection.reflect(self, agent)
            if agent.plan_day != self.day() \
                    and self.minute_of_day() >= agent.wake - PLAN_LEAD_MINUTES:
                self.make_plan(agent)
        for rule in self.rules:
            rule.before_decisions(self, due)
        due = [a for a in due if a.alive and not a.controlled and a.location is not None]
        situations = [self.situation(agent) for agent in due]
        choices = self.mind.decide(self, situations) if situations else []
        self.stats["batches"] += 1
        versions = [agent.version for agent in due]
        for agent, version, situation, action in zip(due, versions, situations, choices,
                                                     strict=True):
            if agent.version != version:
                continue  # drawn into a conversation earlier in this batch: choice is stale
            self.stats["decisions"] += 1
            if action in situation.allowed and action.kind in (TALK, GIVE) \
                    and not self._still_with(agent, action.target):
                action = situation.allowed[0]  # the other left earlier in this batch
            if action not in situation.allowed:
                self.stats["invalid_decisions"] += 1
                self.log.append(self.now, "invalid_decision", agent.id, agent.location or "",
                                {"action": action.label() if isinstance(action, Action)
                                 else str(action)[:80]})
                action = situation.allowed[0]
            self._apply(agent, action)

    def _still_with(self, agent: Agent, other_id: str) -> bool:
        other = self.agents[other_id]
        return other.alive and not other.asleep and other.location == agent.location

    def make_plan(self, agent: Agent) -> None:
        agent.plan = self.mind.plan_day(self, agent.id, self.day())
        agent.plan_day = self.day()
        summary = describe_plan(self, agent.plan)
        self.add_memory(agent, "plan", f"My plan for today: {summary}", 3,
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
                     if n.kind in ("observation", "conversation")][-IMPORTANCE_BATCH:]
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
        names = " ".join(p for p in present)
        query = f"{self.locations[here].name} {names} {block.activity if block else ''}"
        now = self.now
        return Situation(agent.id, now, here, present, self.allowed_actions(agent.id), block,
                         list(agent.intentions),
                         recall=lambda: agent.memory.retrieve(query, now, k=RECALL_COUNT))

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
        here = agent.location or ""
        duration = action.duration
        agent.action = action.to_state()
        kind = action.kind
        if kind == MOVE:
            self.move_agent(agent, None)
            agent.travel_to = action.target
            self.emit("depart", agent.id, here,
                      {"to": action.target,
                       "text": f"{agent.name} left {self.locations[here].name} for "
                               f"{self.locations[action.target].name}",
                       "importance": 1})
        elif kind == TALK:
            duration = social.converse(self, agent, self.agents[action.target])
        elif kind == TAKE:
            item = self.items[action.item]
            item.location, item.holder = None, agent.id
            self.emit("take", agent.id, here, {"item": item.id,
                      "text": f"{agent.name} took the {item.name}", "importance": 4})
        elif kind == GIVE:
            item, other = self.items[action.item], self.agents[action.target]
            item.holder = other.id
            self.emit("give", agent.id, here, {"item": item.id, "to": other.id,
                      "text": f"{agent.name} gave the {item.name} to {other.name}",
                      "importance": 4})
        elif kind in (STAY, SLEEP, WAIT):
            activity = action.activity or ("waiting" if kind == WAIT else "idle")
            agent.asleep = kind == SLEEP
            if activity != agent.activity:
                agent.activity = activity
                self.emit("activity", agent.id, here, {
                    "activity": activity, "importance": 1,
                    "text": f"{agent.name} is {_gerund(activity)} at {self.locations[here].name}",
                })
        else:
            handled = None
            for rule in self.rules:
                handled = rule.apply(self, agent, action)
                if handled is not None:
                    break
            if handled is None:
                raise InvalidAction(f"no rule handles action kind {kind!r}")
            duration = handled
        agent.action_end = self.now + duration
        if not agent.controlled and agent.alive:
            self._schedule(agent, self.now + max(1, duration))
        return duration

    def _arrive(self, agent: Agent) -> None:
        dest = agent.travel_to or agent.home
        self.move_agent(agent, dest)
        agent.travel_to, agent.activity = None, ""
        # Agents remember where they went: testimony ("where were you?") is built from this.
        agent.memory.add("observation", self.now, f"I went to {self.locations[dest].name}", 1,
                         subject=agent.id, predicate="arrive", obj=dest, tags=("self", dest))
        self.emit("arrive", agent.id, dest,
                  {"text": f"{agent.name} arrived at {self.locations[dest].name}",
                   "importance": 2})

    def finish_travel(self, agent_id: str) -> None:
        """Complete a controlled agent's journey (its time has already been spent)."""
        agent = self.agents[agent_id]
        if agent.location is None:
            self._arrive(agent)

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
        if fact_id in agent.known_facts:
            return False
        agent.known_facts[fact_id] = [self.now, source]
        return True

    def add_memory(self, agent: Agent, kind: str, text: str, importance: int,
                   **kwargs: Any) -> None:
        agent.memory.add(kind, self.now, text, importance, **kwargs)
        if agent.memory.importance_since_reflection >= self.reflection_threshold:
            agent.reflect_due = True

    # ---------------------------------------------------------------- snapshot
    def snapshot(self) -> dict[str, Any]:
        """The whole world as plain data; ``World.restore`` continues it exactly."""
        version, internal, gauss = self.rng.getstate()
        return {
            "spec": self.spec,
            "seed": self.seed,
            "now": self.now,
            "rng": [version, list(internal), gauss],
            "queue": [list(e) for e in sorted(self._queue)],
            "items": {i.id: [i.location, i.holder] for i in self.items.values()},
            "agents": {a.id: a.to_state() for a in self._order},
            "log": self.log.to_state(),
            "stats": dict(self.stats),
            "rules": {r.name: plain_copy(state) for r in self.rules
                      if (state := r.to_state()) is not None},
        }

    @classmethod
    def restore(cls, snap: dict[str, Any], mind: Mind,
                rules: Iterable[WorldRule] = ()) -> World:
        world = cls(snap["spec"], snap["seed"], mind, rules)
        version, internal, gauss = snap["rng"]
        world.rng.setstate((version, tuple(internal), gauss))
        world.now = snap["now"]
        world._queue = [tuple(e) for e in snap["queue"]]  # type: ignore[misc]
        heapq.heapify(world._queue)
        for item_id, (loc, holder) in snap["items"].items():
            world.items[item_id].location, world.items[item_id].holder = loc, holder
        for agent_id, state in snap["agents"].items():
            world.agents[agent_id].load_state(state)
        world._reindex_locations()
        world.log = EventLog.from_state(snap["log"])
        world.stats = dict(snap["stats"])
        for rule in world.rules:
            if rule.name in snap["rules"]:
                rule.load_state(plain_copy(snap["rules"][rule.name]))
        return world


def plain_copy(value: Any) -> Any:
    """Deep copy of plain data (faster than copy.deepcopy, and tuples become lists)."""
    if isinstance(value, dict):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(v) for v in value]
    return value


def _gerund(activity: str) -> str:
    return activity if " " in activity or activity.endswith("ing") else f"busy with {activity}"
