"""LLMMind: generative agents on top of the scripted mind.

Movement and routine stay rule-based: ordinary decisions (walking to work,
sleeping, carrying on alone) go to ``ScriptedMind``. The model is asked only where
it matters, within a per-agent daily quota (default 6 calls):

- a day plan (one optional outing in the agent's free time, at an open place);
- a social decision when the agent is at its planned place with others present
  (carry on, wait, or talk, and to whom), once per plan block;
- each conversation the agent starts (the whole dialogue plus both memory summaries);
- reflections, citing memory ids as evidence.

Every answer is validated against a schema built for that moment (the allowed
actions, the known facts); an invalid answer is retried, then the scripted mind
decides and the fallback is recorded. Routing never depends on the network, and
fallbacks are recorded like answers, so a replay from the record takes exactly the
same path (including the scripted mind's draws from the world RNG) offline.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from game.engine.actions import STAY, TALK, WAIT, Action
from game.engine.memory import MemoryNode
from game.engine.mind import Conversation, Reflection, Situation
from game.engine.model import PlanBlock
from game.engine.planning import overlay, routine_plan
from game.minds.scripted import ScriptedMind

from . import prompts, schemas
from .budget import Budget
from .cache import ResponseCache, request_key
from .client import BadAnswer, DeltaFn, LLMClient, LLMConfig, LLMError
from .recorder import Recorder, Slot
from .streaming import ReplyStream

if TYPE_CHECKING:
    from collections.abc import Callable

    from game.engine.world import World

log = logging.getLogger("game.minds.llm")

MAX_TOKENS = {"choose": 24, "plan": 48, "reflect": 180, "importance": 128, "answer": 160,
              "intent": 24}  # "talk" is sized from the conversation limits


IMPORTANCE_AGENTS_PER_CALL = 3  # one call rates a few agents' days: fewer, larger requests
STALE_THOUGHT = 90  # minutes after which a thought no longer fits the situation


@dataclass
class Fallback:
    reason: str


@dataclass
class Request:
    kind: str
    agent: str
    time: int
    messages: list[dict[str, str]]
    model: type[BaseModel]
    schema: dict[str, Any]
    check: Callable[[Any], str | None] | None = None
    key: str = ""
    slot: Slot | None = None
    on_delta: DeltaFn | None = None  # stream the answer (the player's conversation)


@dataclass
class _Thought:
    """A decision asked for at one decision point and acted on at the next."""

    request: Request
    result: Any  # the answer once known (record, cache, or arrived)
    future: Any  # concurrent Future of the batch it went out in, if any
    part: int | None  # its index in that batch
    deadline: float
    logged: bool = False


@dataclass
class PlayerAnswer:
    """An in-character reply; ``cited`` holds only fact ids the agent may reveal."""

    text: str
    cited: list[str] = field(default_factory=list)
    source: str = "llm"  # "llm" or "scripted"


class LLMMind:
    """A Mind backed by any OpenAI-compatible server; see the module docstring."""

    name = "llm"

    def __init__(self, config: LLMConfig | None = None, *, recorder: Recorder | None = None,
                 budget: Budget | None = None, cache: ResponseCache | None = None,
                 calls_per_agent_day: int = 6, decisions_per_agent_day: int = 1,
                 route: str = "social", max_tokens: dict[str, int] | None = None,
                 talk_lines: int = 4, talk_chars: int = 120,
                 separate_talks: bool = False, think_ahead: bool | None = None) -> None:
        self.config = config or LLMConfig()
        self.client = LLMClient(self.config)
        self.recorder = recorder or Recorder("record")
        self.budget = budget or Budget()
        self.cache = cache or ResponseCache()
        self.scripted = ScriptedMind()
        self.calls_per_agent_day = calls_per_agent_day
        self.decisions_per_agent_day = decisions_per_agent_day
        if route not in ("social", "all"):
            raise ValueError("route must be 'social' or 'all'")
        self.route = route
        self.talk_lines = talk_lines
        self.separate_talks = separate_talks
        self.think_ahead = route == "social" if think_ahead is None else think_ahead
        self._dialogue: dict[tuple[str, str, int], tuple[list[tuple[str, str]], str, str]] = {}
        self.talk_chars = talk_chars
        # room for every string at its longest (~3 chars per token) plus the JSON around it
        talk_tokens = (talk_lines + 2) * (talk_chars // 3 + 12) + 24
        self.max_tokens = {**MAX_TOKENS, "talk": talk_tokens, "decide": talk_tokens + 16,
                           **(max_tokens or {})}
        self.requests: Counter[str] = Counter()
        self.fallback_log: list[dict[str, Any]] = []
        self.generated_decisions = 0
        self.scripted_decisions = 0
        self.invalid_answers = 0
        self._used: Counter[str] = Counter()  # "agent|day|kind" and "agent|day" quotas
        self._asked: set[str] = set()  # "agent|block start": one social decision per block
        self._journal: list[tuple[int, str, str]] = []  # (time, "used"|"asked"|"plan", key)
        self._plans: dict[str, tuple[str, Any]] = {}  # "agent|day" -> (request hash, answer)
        self._thoughts: dict[str, _Thought] = {}  # "agent|time" -> a decision in flight
        self._open: dict[str, str] = {}  # agent -> key of its unconsumed thought
        self._world: World | None = None
        self._clock = -1

    def __repr__(self) -> str:
        return f"LLMMind({self.client!r}, recorder={self.recorder.mode!r})"

    # ============================================================ Mind protocol
    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        """Scripted for routine; the model for social moments (see ``think_ahead``)."""
        self._sync(world)
        self._dialogue = {k: v for k, v in self._dialogue.items() if k[2] >= world.now}
        answers: dict[int, tuple[Any, dict[str, Action]]] = {}
        routed: dict[int, tuple[Request, dict[str, Action]]] = {}
        fire: list[tuple[Situation, Request, dict[str, Action]]] = []
        for i, s in enumerate(situations):
            thought = self._take_thought(world, s.agent_id)
            if thought is not None:
                res = self._thought_result(thought)
                if world.now - thought.request.time <= STALE_THOUGHT:
                    answers[i] = (res, _by_label(s.allowed))
                continue
            options = self._route(world, s)
            if options is None:
                continue
            req = self._decision_request(world, s, options)
            if self.think_ahead:
                fire.append((s, req, options))
            else:
                routed[i] = (req, options)
        results = self._resolve([req for req, _ in routed.values()])
        for i, res in zip(routed, results, strict=True):
            answers[i] = (res, routed[i][1])
        if fire:
            self._think(world, fire)
        thinking = {s.agent_id for s, _, _ in fire}
        out: list[Action] = []
        for i, s in enumerate(situations):  # scripted draws happen here, in agent order
            carry_on = next((a for a in s.allowed if a.kind == STAY), None)
            if s.agent_id in thinking and carry_on is not None:
                out.append(carry_on)  # keeps at its activity; acts on the answer next time
                continue
            res, options = answers.get(i, (None, {}))
            action = None
            if res is not None and not isinstance(res, Fallback):
                action = options.get(res.action)
            if action is not None:
                out.append(action)
                self.generated_decisions += 1
                if action.kind == TALK:
                    self._keep_dialogue(world, s.agent_id, action.target, res)
            else:
                out.append(self.scripted.choose(world, s))
                self.scripted_decisions += 1
        return out

    # ------------------------------------------------------------ think ahead
    def _think(self, world: World, fire: list[tuple[Situation, Request, dict[str, Action]]]
               ) -> None:
        """Ask now, act on the answer at the agent's next decision.

        The agent carries on with its planned activity (STAY) while the model thinks, so
        model latency overlaps the rest of the town's simulation instead of stalling it. The
        request and its place in the record are fixed now, and the answer is awaited at
        the next decision, so the outcome does not depend on how fast the server is.
        """
        reqs = [req for _, req, _ in fire]
        results, pending = self._prepare(reqs)
        future = None
        if pending:
            future = self.client.submit(self._gather([reqs[i] for i in pending]))
        for j, (s, req, _) in enumerate(fire):
            key = f"{s.agent_id}|{world.now}"
            part = pending.index(j) if j in pending else None
            self._thoughts[key] = _Thought(req, results[j], future, part,
                                           self._deadline(len(pending)))
            self._open[s.agent_id] = key
            self._journal.append((world.now, "think", key))

    def _take_thought(self, world: World, agent_id: str) -> _Thought | None:
        key = self._open.pop(agent_id, None)
        if key is None:
            return None
        self._journal.append((world.now, "consume", key))
        return self._thoughts[key]

    def _thought_result(self, t: _Thought) -> Any:
        if t.result is None:
            assert t.future is not None and t.part is not None
            try:
                t.result = self.client.wait(t.future, t.deadline)[t.part]
            except LLMError as exc:
                t.result = Fallback(self.client.redact(exc.reason))
        if isinstance(t.result, Fallback) and not t.logged:
            self._finish([t.request], [t.result])
            t.logged = True
        return t.result

    def converse(self, world: World, speaker: str, listener: str,
                 shared: list[str], received: list[str]) -> Conversation:
        """The dialogue written with the decision to talk, or (optionally) its own call.

        The engine has already chosen which facts pass; their lines and summaries are
        added here verbatim, so what an agent learns never depends on the model.
        """
        self._sync(world)
        a, b = world.agents[speaker], world.agents[listener]
        talk = self._dialogue.pop((speaker, listener, world.now), None)
        if talk is None and self.separate_talks and not b.controlled \
                and self._charge(world, speaker, "talk"):
            model = schemas.conversation_model(speaker, listener, self.talk_lines,
                                               self.talk_chars)
            schema = schemas.json_schema(model)
            msgs = prompts.conversation(world, speaker, listener, shared, received, schema)
            res = self._resolve([Request("talk", speaker, world.now, msgs, model, schema)])[0]
            if not isinstance(res, Fallback):
                talk = ([(x.speaker, x.text) for x in res.lines], res.summary_a, res.summary_b)
        if talk is None:
            return self.scripted.converse(world, speaker, listener, shared, received)
        lines, said_a, said_b = talk
        lines = list(lines)
        for fact_id in shared:
            lines.append((a.id, f"Did you hear? {world.facts[fact_id].text}"))
        for fact_id in received:
            lines.append((b.id, f"And I heard that {world.facts[fact_id].text}"))
        told = "; ".join(world.facts[f].text for f in shared)
        heard = "; ".join(world.facts[f].text for f in received)
        summary_a = said_a + (f" I told {b.name}: {told}" if told else "") + (
            f" I heard: {heard}" if heard else "")
        summary_b = said_b + (f" I heard from {a.name}: {told}" if told else "") + (
            f" I told them: {heard}" if heard else "")
        return Conversation(lines, summary_a, summary_b,
                            duration=10 + 5 * len(shared + received))

    def reflect(self, world: World, agent_id: str, recent: list[MemoryNode]) -> list[Reflection]:
        self._sync(world)
        nodes = recent[-20:]
        if not nodes or not self._charge(world, agent_id, "reflect"):
            return self.scripted.reflect(world, agent_id, recent)
        ids = [n.id for n in nodes]
        model = schemas.reflection_model(ids)
        schema = schemas.json_schema(model)
        msgs = prompts.reflection(world, agent_id, nodes, schema)
        res = self._resolve([Request("reflect", agent_id, world.now, msgs, model, schema)])[0]
        if isinstance(res, Fallback):
            return self.scripted.reflect(world, agent_id, recent)
        by_id = {n.id: n for n in nodes}
        out = []
        for ins in res.insights:
            subjects = Counter(by_id[e].subject for e in ins.evidence
                               if by_id[e].subject and by_id[e].subject != agent_id)
            subject = min(subjects, key=lambda s: (-subjects[s], s)) if subjects else ""
            out.append(Reflection(ins.text, list(dict.fromkeys(ins.evidence)),
                                  importance=ins.importance, subject=subject))
        return out

    def plan_day(self, world: World, agent_id: str, day: int) -> list[PlanBlock]:
        """The routine, plus at most one LLM-chosen outing in free time at an open place.

        The first agent to plan a day asks for everyone's plan at once (concurrently);
        later agents use that answer if their request is still the same one.
        """
        self._sync(world)
        if f"day|{day}" not in self._asked:
            self._asked.add(f"day|{day}")
            self._journal.append((world.now, "asked", f"day|{day}"))
            others = [a.id for a in world.order if a.id != agent_id and a.alive
                      and not a.controlled and a.plan_day != day]
            built = [(a, self._plan_request(world, a, day)) for a in [agent_id, *others]]
            wanted = [(a, b) for a, b in built if b[1] is not None
                      and self._charge(world, a, "plan")]
            results = self._resolve([req for _, (_, req) in wanted])
            for (a, (_, req)), res in zip(wanted, results, strict=True):
                assert req is not None
                self._plans[f"{a}|{day}"] = (req.key, res)
                self._journal.append((world.now, "plan", f"{a}|{day}"))
        blocks, req = self._plan_request(world, agent_id, day)
        if req is None:
            return blocks
        ready = self._plans.get(f"{agent_id}|{day}")
        if ready is not None and ready[0] == self._request_hash(req):
            res = ready[1]
        elif self._charge(world, agent_id, "plan"):
            res = self._resolve([req])[0]
        else:
            return blocks
        if isinstance(res, Fallback) or res.outing == "none":
            return blocks
        start = day * 1440 + res.hour * 60
        outing = PlanBlock(start, start + 60, res.outing, res.activity.strip() or "errand",
                           reason="llm plan")
        return overlay(blocks, [outing])

    def _plan_request(self, world: World, agent_id: str, day: int
                      ) -> tuple[list[PlanBlock], Request | None]:
        """The routine and the request for an outing (None if there is no free hour)."""
        agent = world.agents[agent_id]
        blocks = routine_plan(world, agent, day)
        free = _free_hours(blocks)
        places = [loc.id for loc in world.locations.values()
                  if loc.id != agent.home and (loc.kind == "public" or loc.id == agent.work)
                  and any(_open_for_hour(world, agent, loc.id, h) for h in free)]
        if not free or not places:
            return blocks, None
        hours = sorted({h % 1440 // 60 for h in free})
        model = schemas.plan_model(places, hours)
        schema = schemas.json_schema(model)

        def check(ans: Any) -> str | None:
            if ans.outing == "none":
                return None
            start = day * 1440 + ans.hour * 60
            if start not in free:
                return f"hour {ans.hour} is not free time"
            if not _open_for_hour(world, agent, ans.outing, start):
                return f"{ans.outing} is closed at {ans.hour}:00"
            return None

        routine = "; ".join(f"{b.start % 1440 // 60}:00-{b.end % 1440 // 60}:00 {b.activity} "
                            f"at {b.location}" for b in blocks if b.activity != "sleep")
        # Only memories from before the day began, so a plan asked for early is the same
        # request as the one the agent would make at its own waking time.
        memories = [n for n in agent.memory.recent(12) if n.kind in ("reflection", "plan")
                    and n.created < day * 1440][-3:]
        msgs = prompts.plan(world, agent_id, routine, places, hours, memories, schema)
        return blocks, Request("plan", agent_id, world.now, msgs, model, schema, check)

    # ======================================================== other LLM uses
    def rate_importance(self, world: World,
                        batch: dict[str, list[str]]) -> dict[str, list[int]]:
        """Importance 1-10 for each agent's fresh memories, a few agents per call and all
        calls sent together (the engine asks at midnight, see ``World._rate_importance``).

        Each agent rated costs one of its daily quota; with the quota spent, or after a
        fallback, an agent gets no scores and the rules' own ratings stand.
        """
        self._sync(world)
        wanted = [(a, texts) for a, texts in batch.items()
                  if texts and self._charge(world, a, "importance")]
        groups = [wanted[i:i + IMPORTANCE_AGENTS_PER_CALL]
                  for i in range(0, len(wanted), IMPORTANCE_AGENTS_PER_CALL)]
        requests = []
        for group in groups:
            model = schemas.importance_model(sum(len(t) for _, t in group))
            schema = schemas.json_schema(model)
            requests.append(Request("importance", group[0][0], world.now,
                                    prompts.importance(world, group, schema), model, schema))
        out: dict[str, list[int]] = {}
        for group, res in zip(groups, self._resolve(requests) if requests else [],
                              strict=True):
            if isinstance(res, Fallback):
                continue
            scores = [max(1, min(10, int(s))) for s in res.scores]
            for agent_id, texts in group:
                out[agent_id], scores = scores[:len(texts)], scores[len(texts):]
        return out

    def score_importance(self, world: World, agent_id: str, texts: list[str]) -> list[int]:
        """``rate_importance`` for one agent ([] when no scores came back)."""
        return self.rate_importance(world, {agent_id: texts}).get(agent_id, [])

    def answer_player(self, world: World, agent_id: str, question: str,
                      allowed_fact_ids: list[str],
                      on_text: Callable[[str], None] | None = None) -> PlayerAnswer:
        """An in-character answer to the player's ``question``.

        ``allowed_fact_ids``: facts the caller (the mystery) lets this agent reveal now;
        only those the agent actually knows are offered to the model. The reply may cite
        only them, and a reply that names or quotes any other fact (an unknown truth, a
        kept secret) is rejected and retried, then replaced by a scripted answer. The
        player's text is delimited and never changes what the agent can do.

        ``on_text`` (called from the client's thread) receives the reply as it streams in,
        only ever a prefix already checked for leaks (see ``streaming.ReplyStream``), and
        last of all the final answer's text.
        """
        self._sync(world)
        agent = world.agents[agent_id]
        facts = [f for f in dict.fromkeys(allowed_fact_ids)
                 if f in world.facts and agent.knows(f)]
        forbidden = [f for f in world.facts if f not in facts]
        memories = [n for n in agent.memory.retrieve(question, world.now, k=6, touch=False)
                    if not _mentions(world, n.text, forbidden)]
        model = schemas.answer_model(facts)
        schema = schemas.json_schema(model)

        def check(ans: Any) -> str | None:
            bad = [f for f in ans.cited_facts if f not in facts]
            if bad or _mentions(world, ans.reply, forbidden):
                return "answer reveals a fact the agent may not reveal"
            return None

        msgs = prompts.answer(world, agent_id, question, facts, memories, schema)
        stream = None
        if on_text is not None:
            stream = ReplyStream(on_text, lambda text: _mentions(world, text, forbidden),
                                 _mention_patterns(world, forbidden))
        res = self._resolve([Request("answer", agent_id, world.now, msgs, model, schema,
                                     check, on_delta=stream.feed if stream else None)])[0]
        if isinstance(res, Fallback):
            answer = _scripted_answer(world, question, facts)
        else:
            answer = PlayerAnswer(res.reply, [f for f in res.cited_facts if f in facts])
        if stream is not None:
            stream.finish(answer.text)
        return answer

    def interpret_free_text(self, text: str, allowed_intents: list[str]) -> str | None:
        """Map the player's free text to one of ``allowed_intents``, or None."""
        intents = list(dict.fromkeys(allowed_intents))
        if not intents:
            return None
        model = schemas.intent_model(intents)
        schema = schemas.json_schema(model)
        msgs = prompts.intent(text, intents, schema)
        res = self._resolve([Request("intent", "player", -1, msgs, model, schema)])[0]
        if isinstance(res, Fallback):
            return _keyword_intent(text, intents)
        return res.intent if res.intent in intents else None

    # ================================================================ routing
    def _sync(self, world: World) -> None:
        """Notice a rewind (a restored world, or time running backwards) and roll back."""
        if (self._world is not None and world is not self._world) or world.now < self._clock:
            self.rewind(world.now - 1 if world is not self._world else world.now)
        self._world = world
        self._clock = world.now

    def rewind(self, time: int) -> None:
        """Forget quotas and record positions used after world ``time``.

        Called automatically when a restored world first reaches the mind; a session
        that restores a snapshot taken at ``t`` may call ``rewind(t)`` to be exact.
        """
        while self._journal and self._journal[-1][0] > time:
            _, what, key = self._journal.pop()
            if what == "used":
                self._used[key] -= 1
            elif what == "plan":
                self._plans.pop(key, None)
            elif what == "think":
                self._thoughts.pop(key, None)
                agent = key.split("|")[0]
                if self._open.get(agent) == key:
                    del self._open[agent]
            elif what == "consume":
                self._open[key.split("|")[0]] = key
            else:
                self._asked.discard(key)
        self.recorder.rollback(time + 1)
        self._clock = time

    def _charge(self, world: World, agent_id: str, kind: str) -> bool:
        """Take one call from the agent's daily quota; False if it is spent."""
        day = world.day()
        key = f"{agent_id}|{day}"
        if self._used[key] >= self.calls_per_agent_day:
            return False
        if kind == "decide" and self._used[f"{key}|decide"] >= self.decisions_per_agent_day:
            return False
        for k in (key, f"{key}|{kind}"):
            self._used[k] += 1
            self._journal.append((world.now, "used", k))
        return True

    def _route(self, world: World, s: Situation) -> dict[str, Action] | None:
        """The options the model may choose from, or None for a scripted decision."""
        if len(s.allowed) < 2 or any(i.get("action") or i.get("goto") or i.get("follow")
                                     for i in s.intentions):
            return None  # plots need the scripted mind's reliability
        block = s.plan_block
        if self.route == "all":
            options = s.allowed
        else:
            if block is None or block.activity == "sleep" or s.location != block.location:
                return None
            talks = [a for a in s.allowed
                     if a.kind == TALK and not world.agents[a.target].controlled]
            if not talks:
                return None
            marker = f"{s.agent_id}|{block.start}"
            if marker in self._asked:
                return None
            options = [a for a in s.allowed if a.kind in (STAY, WAIT)] + talks
        if not self._charge(world, s.agent_id, "decide"):
            return None
        if block is not None:
            self._asked.add(f"{s.agent_id}|{block.start}")
            self._journal.append((world.now, "asked", f"{s.agent_id}|{block.start}"))
        out: dict[str, Action] = {}
        for action in options:
            out.setdefault(action.label(), action)
        return out

    def _keep_dialogue(self, world: World, me: str, other: str, res: Any) -> None:
        lines = [(x.speaker, x.text.strip()) for x in getattr(res, "lines", [])
                 if x.speaker in (me, other) and x.text.strip()]
        mine = getattr(res, "summary_self", "").strip()
        theirs = getattr(res, "summary_other", "").strip()
        if lines and mine and theirs:
            self._dialogue[(me, other, world.now)] = (lines, mine, theirs)

    def _decision_request(self, world: World, s: Situation,
                          options: dict[str, Action]) -> Request:
        talkers = [a.target for a in options.values() if a.kind == TALK]
        speakers = [s.agent_id, *talkers] if talkers and self.talk_lines else None
        model = schemas.decision_model(list(options), speakers, self.talk_lines,
                                       self.talk_chars)
        schema = schemas.json_schema(model)
        block = s.plan_block
        activity = block.activity if block else "nothing planned"
        msgs = prompts.decision(world, s.agent_id, s.time, s.location, activity, s.present,
                                s.memories, list(options.values()), schema)
        return Request("decide" if speakers else "choose", s.agent_id, s.time, msgs, model,
                       schema)

    # ============================================================== resolving
    def _resolve(self, requests: list[Request]) -> list[Any]:
        """Answers (validated models) or Fallbacks, in order; concurrent where needed."""
        results, pending = self._prepare(requests)
        if pending:
            try:
                outs = self.client.run(self._gather([requests[i] for i in pending]),
                                       self._deadline(len(pending)))
            except LLMError as exc:
                outs = [Fallback(self.client.redact(exc.reason)) for _ in pending]
            for i, res in zip(pending, outs, strict=True):
                results[i] = res
        self._finish(requests, results)
        return results

    def _prepare(self, requests: list[Request]) -> tuple[list[Any], list[int]]:
        """Claim record slots in order; answer from record or cache where possible."""
        results: list[Any] = [None] * len(requests)
        pending: list[int] = []
        for i, r in enumerate(requests):
            self.requests[r.kind] += 1
            r.key = self._request_hash(r)
            at = request_key({"request": r.key, "time": r.time, "agent": r.agent})
            r.slot = self.recorder.reserve(at, r.kind, r.time)
            entry = r.slot.entry
            if entry is not None:
                results[i] = self._from_record(r, entry)
            elif self.recorder.mode == "replay":
                results[i] = Fallback("replay: no recorded answer for this request")
            else:
                cached = self.cache.get(r.key)
                if cached is not None and not isinstance(self._validate(r, cached), str):
                    results[i] = self._validate(r, cached)
                    self.recorder.fill(r.slot, r.kind, answer=cached)
                else:
                    pending.append(i)
        return results, pending

    def _finish(self, requests: list[Request], results: list[Any]) -> None:
        """Record and log the fallbacks (answers were recorded as they arrived)."""
        for r, res in zip(requests, results, strict=True):
            if isinstance(res, Fallback):
                assert r.slot is not None
                self.recorder.fill(r.slot, r.kind, fallback=res.reason)
                self.fallback_log.append({"time": r.time, "agent": r.agent, "kind": r.kind,
                                          "reason": res.reason})

    def _request_hash(self, r: Request) -> str:
        return request_key({"model": self.config.model, "kind": r.kind,
                            "messages": r.messages, "schema": r.schema,
                            "max_tokens": self.max_tokens[r.kind],
                            "temperature": self.config.temperature})

    def _from_record(self, r: Request, entry: dict[str, Any]) -> Any:
        if "answer" not in entry:
            return Fallback(str(entry.get("fallback", "fallback")))
        parsed = self._validate(r, entry["answer"])
        return Fallback(f"recorded answer invalid: {parsed}") if isinstance(parsed, str) \
            else parsed

    def _validate(self, r: Request, text: str) -> Any:
        """The parsed answer, or a short reason string if unusable."""
        try:
            parsed = schemas.parse(r.model, text)
        except ValueError as exc:
            return str(exc)
        problem = r.check(parsed) if r.check is not None else None
        return problem if problem else parsed

    def _deadline(self, n: int) -> float:
        c = self.config
        per = (c.timeout + c.backoff_max) * (c.retries + 1) * (c.validation_retries + 1)
        waves = -(-n // max(1, c.concurrency))
        return per * waves + 10.0

    async def _gather(self, requests: list[Request]) -> list[Any]:
        outs = await asyncio.gather(*(self._call(r) for r in requests), return_exceptions=True)
        return [o if not isinstance(o, BaseException)
                else Fallback(f"internal error: {type(o).__name__}") for o in outs]

    async def _call(self, r: Request) -> Any:
        messages = list(r.messages)
        reason = "no answer"
        for _ in range(self.config.validation_retries + 1):
            spent = self.budget.exhausted()
            if spent:
                return self._early(r, Fallback(spent))
            if not self.client.available():
                return self._early(r, Fallback(self.client.status))
            self.budget.charge_call()
            try:
                done = await self.client.complete(messages, r.schema, r.kind,
                                                  self.max_tokens[r.kind], r.on_delta)
            except BadAnswer as exc:
                reason = exc.reason
                self.invalid_answers += 1
                continue
            except LLMError as exc:
                return self._early(r, Fallback(self.client.redact(exc.reason)))
            self.budget.charge_tokens(done.prompt_tokens, done.completion_tokens)
            parsed = self._validate(r, done.text)
            if not isinstance(parsed, str):
                self.cache.put(r.key, done.text)
                assert r.slot is not None
                self.recorder.fill(r.slot, r.kind, answer=done.text)
                return parsed
            reason = parsed
            self.invalid_answers += 1
            messages = [*r.messages, {"role": "assistant", "content": done.text[:300]},
                        {"role": "user", "content": f"That answer was rejected ({reason}). "
                         "Reply again with one JSON object that matches the schema."}]
        return self._early(r, Fallback(f"invalid answer after retries: {reason}"))

    def _early(self, r: Request, fb: Fallback) -> Fallback:
        """Record a fallback the moment it is known (its answer may never be consumed)."""
        assert r.slot is not None
        self.recorder.fill(r.slot, r.kind, fallback=fb.reason)
        return fb

    # ================================================================ reports
    @property
    def status(self) -> str:
        """'ok', or a sentence the UI can show (unreachable backend, budget spent)."""
        return self.budget.exhausted() or self.client.status

    @property
    def last_error(self) -> str:
        return self.client.last_error

    def stats(self) -> dict[str, Any]:
        """Counters for the simulation report (plain data, no secrets)."""
        return {
            "requests": sum(self.requests.values()),
            "requests_by_kind": dict(self.requests),
            "llm_calls": self.budget.calls,
            "http_calls": self.client.http_calls,
            "prompt_tokens": self.budget.prompt_tokens,
            "completion_tokens": self.budget.completion_tokens,
            "cache_hits": self.cache.hits,
            "replayed": self.recorder.replayed,
            "replay_misses": self.recorder.misses,
            "invalid_answers": self.invalid_answers,
            "fallbacks": len(self.fallback_log),
            "generated_decisions": self.generated_decisions,
            "scripted_decisions": self.scripted_decisions,
            "errors": dict(self.client.errors),
            "mode": self.client.mode,
            "status": self.status,
        }

    @property
    def record(self) -> dict[str, Any]:
        """Every answer used, as plain data for the save file (no keys, no config)."""
        return self.recorder.to_state()

    def to_state(self) -> dict[str, Any]:
        """Per-timeline state for snapshots: record cursor and quota journal (not the record)."""
        return {"cursor": self.recorder.cursor(),
                "journal": [list(e) for e in self._journal]}

    def load_state(self, state: dict[str, Any]) -> None:
        self.recorder.seek(state.get("cursor"))
        self._journal = [(int(t), str(w), str(k)) for t, w, k in state.get("journal", [])]
        self._used, self._asked = Counter(), set()
        for _, what, key in self._journal:
            if what == "used":
                self._used[key] += 1
            else:
                self._asked.add(key)

    def close(self) -> None:
        self.client.close()


# ------------------------------------------------------------------ helpers
def _by_label(actions: list[Action]) -> dict[str, Action]:
    out: dict[str, Action] = {}
    for action in actions:
        out.setdefault(action.label(), action)
    return out


def _free_hours(blocks: list[PlanBlock]) -> list[int]:
    """Absolute starts of whole hours spent 'at home' by routine (free time)."""
    out = []
    for b in blocks:
        if b.activity != "at home" or b.reason != "routine":
            continue
        h = -(-b.start // 60) * 60
        while h + 60 <= b.end:
            out.append(h)
            h += 60
    return out


def _open_for_hour(world: World, agent: Any, loc: str, start: int) -> bool:
    return world.may_enter(agent, loc, start) and world.may_enter(agent, loc, start + 59)


def _mentions(world: World, text: str, fact_ids: list[str]) -> bool:
    """Whether ``text`` names any of ``fact_ids`` or quotes its text."""
    low = text.lower()
    for f in fact_ids:
        if re.search(rf"(?<![\w-]){re.escape(f.lower())}(?![\w-])", low):
            return True
        quote = _quotable(world, f)
        if quote and quote.lower() in low:
            return True
    return False


def _mention_patterns(world: World, fact_ids: list[str]) -> list[str]:
    """What ``_mentions`` looks for: each fact's id, and its text when that is long enough."""
    return list(fact_ids) + [q for q in (_quotable(world, f) for f in fact_ids) if q]


def _quotable(world: World, fact_id: str) -> str:
    """A fact's text as ``_mentions`` matches it, or "" when too short to tell a quote."""
    text = world.facts[fact_id].text.strip(" .")
    return text if len(text) >= 12 else ""


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def _scripted_answer(world: World, question: str, facts: list[str]) -> PlayerAnswer:
    asked = _words(question)
    best = max(facts, key=lambda f: (len(asked & _words(world.facts[f].text)), f), default="")
    if best and asked & _words(world.facts[best].text):
        return PlayerAnswer(f"All I know is this: {world.facts[best].text}", [best], "scripted")
    return PlayerAnswer("I'm sorry, I can't help you with that.", [], "scripted")


def _keyword_intent(text: str, intents: list[str]) -> str | None:
    words = _words(text)
    hits = [i for i in intents if words & _words(i.replace("_", " ").replace(":", " "))]
    return hits[0] if len(hits) == 1 else None


