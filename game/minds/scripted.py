"""The scripted mind: deterministic, offline, utility-based. The default.

Every allowed action gets a utility from the agent's plan, its intentions, its
relationships and what it remembers right now; the best one wins. Randomness
comes only from the world's RNG, so a seed fixes every choice.

Memories change choices: a retrieved memory with negative valence about someone
present (a threat, a quarrel) makes the agent avoid talking to them, and a
strongly negative, important one makes it leave for home. News the agent has not
yet passed on to someone present makes it seek them out, the more the weightier
and fresher it is; what it then says comes from memory (``game.engine.social``).
"""

from __future__ import annotations

from collections import Counter

from game.engine.actions import MOVE, SLEEP, STAY, TALK, WAIT, Action
from game.engine.memory import MAX_IMPORTANCE, MemoryNode
from game.engine.mind import Conversation, Reflection, Situation
from game.engine.model import Agent, PlanBlock
from game.engine.outings import with_outings
from game.engine.planning import routine_plan
from game.engine.social import freshness, may_tell, news
from game.engine.world import World
from game.speech import own_view, pronouns, rumour

RECENT_TALK_MINUTES = 180
SMALL_TALK = 0.35  # the pull of talking to a stranger: above staying put when the roll allows
NEW_FACE = 0.1  # the extra pull of someone one has never spoken to
SEEK_PER_IMPORTANCE = 0.5  # the pull of news to tell, at the greatest importance
MIN_SEEK = 0.01  # a pull too weak to weigh


class ScriptedMind:
    name = "scripted"

    # ------------------------------------------------------------------ decide
    def decide(self, world: World, situations: list[Situation]) -> list[Action]:
        return [self.choose(world, s) for s in situations]

    def choose(self, world: World, s: Situation) -> Action:
        agent = world.agents[s.agent_id]
        target = self._target_location(world, s)
        sociable = (s.location == target and not agent.is_player
                    and not (s.plan_block is not None and s.plan_block.activity == "sleep"))
        avoid, seek = self._social_memory(world, s) if sociable else ({}, {})
        best: Action = s.allowed[0]
        best_u = float("-inf")
        talk_roll = world.rng.random()
        for action in s.allowed:
            u = self._base_utility(world, s, action, target)
            if action.kind == TALK:
                u = self._talk_utility(world, s, action.target, target, avoid, seek, talk_roll)
            elif action.kind == MOVE and action.target == agent.home and _fled(avoid):
                u += 1.5
            for intent in s.intentions:
                want = intent.get("action")
                if want and _matches(want, action):
                    u += float(intent.get("priority", 1.0))
            if u > best_u:
                best, best_u = action, u
        return best

    def _target_location(self, world: World, s: Situation) -> str:
        for intent in s.intentions:
            follow = intent.get("follow")
            if follow and follow in world.agents:
                leader = world.agents[follow]
                spot = leader.location or leader.travel_to
                if spot and leader.alive:
                    return spot
            goto = intent.get("goto")
            if goto:
                return goto
        return s.plan_block.location if s.plan_block else s.location

    def _base_utility(self, world: World, s: Situation, action: Action, target: str) -> float:
        block = s.plan_block
        at_target = s.location == target
        if action.kind == SLEEP:
            return 1.2 if at_target and block is not None and block.activity == "sleep" else -1
        if action.kind == MOVE:
            return 1.0 if action.target == target and not at_target else -0.5
        if action.kind == STAY:
            return 0.6 if at_target else 0.0
        if action.kind == WAIT:
            return 0.05
        return -0.2  # take/give/rule actions need an intention to be chosen

    def _social_memory(self, world: World, s: Situation
                       ) -> tuple[dict[str, float], dict[str, float]]:
        """Who the agent would rather avoid and who it has news for, among those present.
        Avoidance comes from retrieved memories, searched only when someone present is one
        the agent has bad memories of (retrieval is the costly part of a choice). News pulls
        as it would be told: the weightier and fresher, the stronger."""
        avoid: dict[str, float] = {}
        seek: dict[str, float] = {}
        if not s.present:
            return avoid, seek
        agent = world.agents[s.agent_id]
        wary = agent.memory.wary_of.intersection(s.present)
        if wary:
            for node in s.memories:
                if node.subject in wary and node.valence < -0.3:
                    avoid[node.subject] = min(avoid.get(node.subject, 0.0),
                                              node.valence * node.importance / 10)
        others = [world.agents[other] for other in s.present]
        for fact_id in news(world, agent):
            fact = world.facts[fact_id]
            pull = SEEK_PER_IMPORTANCE * fact.importance / MAX_IMPORTANCE
            if all(seek.get(other.id, 0.0) >= pull for other in others):
                continue  # no one it could draw the agent to more than news already does
            pull *= freshness(world, agent, fact_id)
            if pull < MIN_SEEK:
                continue
            for other in others:
                if pull > seek.get(other.id, 0.0) and may_tell(world, agent, other, fact):
                    seek[other.id] = pull
        return avoid, seek

    def _talk_utility(self, world: World, s: Situation, other_id: str, target: str,
                      avoid: dict[str, float], seek: dict[str, float], roll: float) -> float:
        agent, other = world.agents[s.agent_id], world.agents[other_id]
        if other.controlled or agent.is_player or s.location != target:
            return -1.0
        if s.plan_block is not None and s.plan_block.activity == "sleep":
            return -1.0
        u = SMALL_TALK + 0.5 * agent.affinity(other_id)
        if other_id not in agent.relationships:
            u += NEW_FACE
        u += seek.get(other_id, 0.0)
        if other_id in avoid:
            u += 2 * avoid[other_id] - 0.5
        last = agent.last_talk.get(other_id)
        if last is not None and world.now - last < RECENT_TALK_MINUTES:
            u -= 1.0
        # The roll gates chit-chat so a seed changes who talks to whom.
        return u + 0.3 if roll < u else u - 0.6

    # ------------------------------------------------------------ conversation
    def converse(self, world: World, speaker: str, listener: str,
                 shared: list[str], received: list[str]) -> Conversation:
        a, b = world.agents[speaker], world.agents[listener]
        lines = [(a.id, _line(world, a, "greeting", f"Good day, {b.name}."))]
        for fact_id in shared:
            lines.append((a.id, rumour(world, a.id, fact_id, b.id)))
        for fact_id in received:
            lines.append((b.id, rumour(world, b.id, fact_id, a.id)))
        lines.append((b.id, _line(world, b, "farewell", "Well, I must be off.")))
        summary_a, summary_b = talk_summaries(world, a.id, b.id, shared, received)
        return Conversation(lines, summary_a, summary_b, duration=10 + 5 * len(shared + received))

    # -------------------------------------------------------------- reflection
    def reflect(self, world: World, agent_id: str, recent: list[MemoryNode]) -> list[Reflection]:
        weight: Counter[str] = Counter()
        for node in recent:
            if node.subject and node.subject != agent_id and node.subject in world.agents:
                weight[node.subject] += node.importance
        out: list[Reflection] = []
        for subject, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:2]:
            evidence = [n.id for n in recent if n.subject == subject][-5:]
            name = world.agents[subject].name
            feeling = _feeling(world.agents[agent_id].affinity(subject)).format(
                them=pronouns(world, subject).object)
            out.append(Reflection(f"{name} has been on my mind lately; {feeling}.",
                                  evidence, importance=5, subject=subject))
        top = max(recent, key=lambda n: (n.importance, n.id), default=None)
        if top is not None and top.importance >= 6:
            out.append(Reflection(f"What matters most lately: {top.text}", [top.id],
                                  importance=min(10, top.importance + 1), subject=top.subject))
        return out

    # ---------------------------------------------------------------- planning
    def plan_day(self, world: World, agent_id: str, day: int) -> list[PlanBlock]:
        agent = world.agents[agent_id]
        return with_outings(world, agent, day, routine_plan(world, agent, day))


def talk_summaries(world: World, a: str, b: str, shared: list[str],
                   received: list[str]) -> tuple[str, str]:
    """What each side remembers of a talk, in its own words and with the other's pronouns."""
    return _summary(world, a, b, shared, received), _summary(world, b, a, received, shared)


def _summary(world: World, me: str, other: str, told: list[str], heard: list[str]) -> str:
    them = pronouns(world, other).object
    said = "; ".join(own_view(world, me, f).rstrip(".") for f in told)
    got = "; ".join(own_view(world, me, f).rstrip(".") for f in heard)
    return (f"I talked with {world.agents[other].name}." + (f" I told {them}: {said}." if said
            else "") + (f" I heard: {got}." if got else ""))


def _matches(want: dict, action: Action) -> bool:
    if want.get("kind") != action.kind:
        return False
    for key in ("target", "item", "activity"):
        if want.get(key) and want[key] != getattr(action, key):
            return False
    return True


def _fled(avoid: dict[str, float]) -> bool:
    return any(v <= -0.5 for v in avoid.values())


def _feeling(affinity: float) -> str:
    if affinity > 0.4:
        return "I am fond of {them}"
    if affinity < -0.3:
        return "I do not trust {them}"
    return "I am not sure what to make of {them}"


def _line(world: World, agent: Agent, key: str, default: str) -> str:
    options = agent.voice.get(key) or []
    if not options:
        return default
    return options[world.rng.randrange(len(options))]
