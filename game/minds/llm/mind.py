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

This module decides *when* to ask and what to do with the answer; ``resolver`` is
how a request is answered, ``routing`` which moments are asked, ``journal`` what a
rewind must undo; ``day_plans``, ``talk`` and ``player`` build the other requests.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from game.engine.actions import STAY, TALK, Action
from game.engine.memory import MemoryNode
from game.engine.mind import Conversation, Reflection, Situation
from game.engine.model import PlanBlock
from game.minds.scripted import ScriptedMind

from . import day_plans, player, prompts, routing, schemas
from .budget import Budget
from .cache import ResponseCache
from .client import LLMClient
from .config import LLMConfig
from .journal import Journal, Thought
from .local import LocalServer
from .player import PlayerAnswer
from .recorder import Recorder
from .resolver import Fallback, Request, Resolver
from .talk import Dialogues, conversation

if TYPE_CHECKING:
    from collections.abc import Callable

    from game.engine.world import World

MAX_TOKENS = {"choose": 24, "plan": 48, "reflect": 180, "importance": 128, "answer": 160,
              "intent": 24}  # "talk" is sized from the conversation limits
IMPORTANCE_AGENTS_PER_CALL = 3  # one call rates a few agents' days: fewer, larger requests
STALE_THOUGHT = 90  # minutes after which a thought no longer fits the situation

__all__ = ["LLMMind", "PlayerAnswer"]


class LLMMind:
    """A Mind backed by any OpenAI-compatible server; see the module docstring."""

    name = "llm"

    def __init__(self, config: LLMConfig | None = None, *, recorder: Recorder | None = None,
                 budget: Budget | None = None, cache: ResponseCache | None = None,
                 calls_per_agent_day: int = 6, decisions_per_agent_day: int = 1,
                 route: str = "social", max_tokens: dict[str, int] | None = None,
                 talk_lines: int = 4, talk_chars: int = 120,
                 separate_talks: bool = False, think_ahead: bool | None = None,
                 local_server: LocalServer | None = None) -> None:
        self.config = config or LLMConfig()
        self.local_server = local_server  # a model server this mind owns (stopped by close)
        self.client = LLMClient(self.config)
        self.recorder = recorder or Recorder("record")
        self.budget = budget or Budget()
        self.cache = cache or ResponseCache()
        self.scripted = ScriptedMind()
        if route not in routing.ROUTES:
            raise ValueError("route must be 'social' or 'all'")
        self.route = route
        self.talk_lines = talk_lines
        self.separate_talks = separate_talks
        self.think_ahead = route == "social" if think_ahead is None else think_ahead
        self.dialogues = Dialogues()
        self.talk_chars = talk_chars
        # room for every string at its longest (~3 chars per token) plus the JSON around it
        talk_tokens = (talk_lines + 2) * (talk_chars // 3 + 12) + 24
        self.max_tokens = {**MAX_TOKENS, "talk": talk_tokens, "decide": talk_tokens + 16,
                           **(max_tokens or {})}
        self.resolver = Resolver(self.config, self.client, self.recorder, self.budget,
                                 self.cache, self.max_tokens)
        self.journal = Journal(calls_per_agent_day, decisions_per_agent_day)
        self.generated_decisions = 0
        self.scripted_decisions = 0
        self._world: World | None = None
        self._clock = -1

    def __repr__(self) -> str:
        return f"LLMMind({self.client!r}, recorder={self.recorder.mode!r})"

    @property
    def requests(self) -> Counter[str]:
        """Requests made, by kind (answered from the record or cache, or sent)."""
        return self.resolver.requests

    @property
    def fallback_log(self) -> list[dict[str, Any]]:
        """Every scripted fallback: time, agent, kind and a key-free reason."""
        return self.resolver.fallback_log

    # ============================================================ Mind protocol
    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        """Scripted for routine; the model for social moments (see ``think_ahead``)."""
        self._sync(world)
        self.dialogues.forget_before(world.now)
        answers: dict[int, tuple[Any, dict[str, Action]]] = {}
        routed: dict[int, tuple[Request, dict[str, Action]]] = {}
        fire: list[tuple[Situation, Request, dict[str, Action]]] = []
        for i, s in enumerate(situations):
            thought = self.journal.consume(world.now, s.agent_id)
            if thought is not None:
                res = self._thought_result(thought)
                if world.now - thought.request.time <= STALE_THOUGHT:
                    answers[i] = (res, routing.by_label(s.allowed))
                continue
            options = routing.decision_options(world, s, self.route, self.journal)
            if options is None:
                continue
            req = routing.decision_request(world, s, options, self.talk_lines,
                                           self.talk_chars)
            if self.think_ahead:
                fire.append((s, req, options))
            else:
                routed[i] = (req, options)
        results = self.resolver.resolve([req for req, _ in routed.values()])
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
                    self.dialogues.keep(world.now, s.agent_id, action.target, res)
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
        results, pending = self.resolver.prepare(reqs)
        future = None
        if pending:
            future = self.resolver.submit([reqs[i] for i in pending])
        for j, (s, req, _) in enumerate(fire):
            part = pending.index(j) if j in pending else None
            self.journal.think(world.now, s.agent_id,
                               Thought(req, results[j], future, part,
                                       self.resolver.deadline(len(pending))))

    def _thought_result(self, t: Thought) -> Any:
        if t.result is None:
            assert t.future is not None and t.part is not None
            t.result = self.resolver.wait(t.future, t.part, t.deadline)
        if isinstance(t.result, Fallback) and not t.logged:
            self.resolver.finish([t.request], [t.result])
            t.logged = True
        return t.result

    def converse(self, world: World, speaker: str, listener: str,
                 shared: list[str], received: list[str]) -> Conversation:
        """The dialogue written with the decision to talk, or (optionally) its own call.

        The engine has already chosen which facts pass; their lines and summaries are
        added here verbatim, so what an agent learns never depends on the model.
        """
        self._sync(world)
        talk = self.dialogues.take(speaker, listener, world.now)
        if talk is None and self.separate_talks and not world.agents[listener].controlled \
                and self._charge(world, speaker, "talk"):
            model = schemas.conversation_model(speaker, listener, self.talk_lines,
                                               self.talk_chars)
            schema = schemas.json_schema(model)
            msgs = prompts.conversation(world, speaker, listener, shared, received, schema)
            res = self._ask(Request("talk", speaker, world.now, msgs, model, schema))
            if not isinstance(res, Fallback):
                talk = ([(x.speaker, x.text) for x in res.lines], res.summary_a, res.summary_b)
        if talk is None:
            return self.scripted.converse(world, speaker, listener, shared, received)
        return conversation(world, speaker, listener, talk, shared, received)

    def reflect(self, world: World, agent_id: str, recent: list[MemoryNode]) -> list[Reflection]:
        self._sync(world)
        nodes = recent[-20:]
        if not nodes or not self._charge(world, agent_id, "reflect"):
            return self.scripted.reflect(world, agent_id, recent)
        ids = [n.id for n in nodes]
        model = schemas.reflection_model(ids)
        schema = schemas.json_schema(model)
        msgs = prompts.reflection(world, agent_id, nodes, schema)
        res = self._ask(Request("reflect", agent_id, world.now, msgs, model, schema))
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
        if f"day|{day}" not in self.journal.asked:
            self.journal.ask(world.now, f"day|{day}")
            others = [a.id for a in world.order if a.id != agent_id and a.alive
                      and not a.controlled and a.plan_day != day]
            built = [(a, day_plans.plan_request(world, a, day)[1])
                     for a in [agent_id, *others]]
            wanted = [(a, req) for a, req in built
                      if req is not None and self._charge(world, a, "plan")]
            results = self.resolver.resolve([req for _, req in wanted])
            for (a, req), res in zip(wanted, results, strict=True):
                self.journal.keep_plan(world.now, f"{a}|{day}", req.key, res)
        blocks, own = day_plans.plan_request(world, agent_id, day)
        if own is None:
            return blocks
        ready = self.journal.plans.get(f"{agent_id}|{day}")
        if ready is not None and ready[0] == self.resolver.request_hash(own):
            res = ready[1]
        elif self._charge(world, agent_id, "plan"):
            res = self._ask(own)
        else:
            return blocks
        if isinstance(res, Fallback):
            return blocks
        return day_plans.with_outing(world, agent_id, blocks, day, res)

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
        for group, res in zip(groups, self.resolver.resolve(requests) if requests else [],
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
        return player.answer_player(self.resolver, world, agent_id, question,
                                    allowed_fact_ids, on_text)

    def interpret_free_text(self, text: str, allowed_intents: list[str]) -> str | None:
        """Map the player's free text to one of ``allowed_intents``, or None."""
        return player.interpret_free_text(self.resolver, text, allowed_intents)

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
        self.journal.rewind(time)
        self.recorder.rollback(time + 1)
        self._clock = time

    def _ask(self, request: Request) -> Any:
        """One request's answer or Fallback."""
        return self.resolver.resolve([request])[0]

    def _charge(self, world: World, agent_id: str, kind: str) -> bool:
        """Take one call from the agent's daily quota; False if it is spent."""
        return self.journal.charge(world.now, world.day(), agent_id, kind)

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
            "invalid_answers": self.resolver.invalid_answers,
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

    def check_reachable(self) -> str | None:
        """None if the model server answers (or this mind only replays a record); else
        one plain sentence for the player, and the town plays on scripted minds."""
        if self.recorder.mode == "replay":
            return None
        return self.client.check_reachable()

    def close(self) -> None:
        """Release the client's thread and connections, and stop a server it owns."""
        self.client.close()
        if self.local_server is not None:
            self.local_server.stop()

