"""Conversation, gossip and discretion between co-located agents.

What a speaker brings up comes from memory: only facts that turn up when it
recalls, cued by the listener and the news it carries, its best memories
(recency, importance, relevance) are candidates, so news that is never recalled
fades from talk behind fresher and weightier things. Two gates come first:
- stake: nobody volunteers what incriminates themselves or someone they hold
  dear, unless the fact says its subjects would (``volunteers``);
- secrecy: a secret goes only to the story's ``confidants``.
A candidate that passes is told with a chance that is the product of its
importance (linear from a small floor, so diffusion rises smoothly with it), the
speaker's trust in the listener, the listener's interest (facts about people they
know, and the speaker's own news) and its novelty (it goes stale with age, the slower
the weightier, an event once it is over, and each retelling makes the next rarer).
One's own news (a candidacy, a party one hosts) never goes stale for oneself, and a
host invites anyone to their own event.

Talking makes strangers acquaintances and moves affinity with what was said:
a shared secret draws two people together, an accusation cools the listener
towards the accused, and a warning warms them to whoever gave it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .memory import MAX_IMPORTANCE, QUERY_TERMS
from .model import DEFAULT_FACT_IMPORTANCE, Agent, Fact, Relationship

if TYPE_CHECKING:
    from .world import World

OVERHEAR_CHANCE = 0.25
MAX_FACTS_PER_TALK = 2
TALK_IMPORTANCE = 2  # of a conversation that passed on nothing more important
IMPORTANCE_FLOOR = 0.1  # the pull of the least important news, of the most important's 1.0
RECALL_IN_TALK = 8  # memories a speaker recalls about a listener, looking for news
ALLY_AFFINITY = 0.5  # someone liked this much is protected like oneself
TRUST_BASE = 0.2  # trust in a stranger; affinity 1 gives full trust, -1 almost none
MIN_TRUST = 0.05
STRANGER_INTEREST = 0.3  # a fact about people the listener does not know
SELF_INTEREST = 0.2  # a fact about the listener themself: they know it best
OPEN_INTEREST = 0.7  # a fact about nobody in particular
STALE_HALF_LIFE_MINUTES = 3 * 60  # news of ordinary importance loses half its pull in this
# time; weightier news stays news longer, in proportion (an arrest, at 8, for 4.8 hours)
NEWS_SHELF_LIFE_MINUTES = (10 * STALE_HALF_LIFE_MINUTES * MAX_IMPORTANCE
                           // DEFAULT_FACT_IMPORTANCE)  # even the weightiest: under 1/1000
NEWS_ON_MIND = 8  # the freshest news one has on one's mind; older news waits to be asked for
RETELL_DAMPING = 1.2  # the n-th retelling is 1 / (1 + n * this) as likely
ACQUAINTANCE = "acquaintance"  # the label of a relationship that talk created
ACQUAINTANCE_AFFINITY = 0.05
AFFINITY_PER_TALK = 0.02  # talking warms both sides a little, up to 1.0
AFFINITY_PER_SECRET = 0.1  # sharing a secret draws both together
AFFINITY_PER_ACCUSATION = 0.15  # hearing an important accusation cools the listener on the accused
AFFINITY_PER_WARNING = 0.03  # and warms them to the teller
AFFINITY_ACCUSED = 0.2  # being told an accusation against oneself cools one on the teller


def news(world: World, speaker: Agent) -> list[str]:
    """What the speaker still has as news: facts learnt within the shelf life, newest first,
    then its own news (which never goes stale for it); events only until they are over.
    Older ones have gone stale, so talk never weighs them (and a long game costs no more
    per talk)."""
    now, facts, known = world.now, world.facts, speaker.known_facts
    oldest = now - NEWS_SHELF_LIFE_MINUTES
    fresh: list[str] = []
    for fact_id, (learnt, _source) in reversed(known.items()):
        if learnt < oldest:  # facts are kept in the order they were learnt: the rest are older
            break
        event = facts[fact_id].event
        if event is None or now < event.ends:
            fresh.append(fact_id)
            if len(fresh) == NEWS_ON_MIND:
                break
    for fact_id in world.own_news.get(speaker.id, ()):
        event = facts[fact_id].event
        if fact_id in known and fact_id not in fresh and (event is None or now < event.ends):
            fresh.append(fact_id)
    return fresh


def own_news_index(facts: dict[str, Fact]) -> dict[str, tuple[str, ...]]:
    """Agent id -> the facts that are its own news to spread: its candidacy or anything
    about it that the story says its subjects volunteer, and the events it hosts."""
    index: dict[str, list[str]] = {}
    for fact in facts.values():
        owners = set(fact.about) if fact.volunteers else set()
        if fact.event is not None and fact.event.host:
            owners.add(fact.event.host)
        for owner in sorted(owners):
            index.setdefault(owner, []).append(fact.id)
    return {owner: tuple(ids) for owner, ids in index.items()}


def tellable(world: World, speaker: Agent, listener: Agent) -> list[str]:
    """The news that passes the gates, weightiest and freshest first."""
    known, facts = speaker.known_facts, world.facts
    ok = [f for f in news(world, speaker) if may_tell(world, speaker, listener, facts[f])]
    ok.sort(key=lambda f: (-facts[f].importance, -known[f][0], f))
    return ok


def recall_facts(world: World, speaker: Agent, listener: Agent, cue: list[str]) -> set[str]:
    """Which of the facts in ``cue`` the speaker recalls when it thinks of the listener and
    of them: those whose memories are among its best (recency, importance, relevance)."""
    tags = (listener.id, *cue[:QUERY_TERMS - 1])
    found: set[str] = set()
    for node in speaker.memory.retrieve("", world.now, k=RECALL_IN_TALK, tags=tags):
        found.update(f for f in (node.object, *node.tags) if f in cue)
    return found


def may_tell(world: World, speaker: Agent, listener: Agent, fact: Fact) -> bool:
    """The gates: not back to its source or someone already told, stake and secrecy."""
    listener_id = listener.id
    if speaker.known_facts[fact.id][1] == listener_id:
        return False
    told = speaker.told.get(fact.id)
    if told is not None and listener_id in told:
        return False
    if fact.secret:
        return listener_id in fact.confidants
    if fact.volunteers or not fact.incriminates:
        return True
    return not any(x == speaker.id or speaker.affinity(x) >= ALLY_AFFINITY
                   for x in fact.incriminates)


def tell_chance(speaker: Agent, listener: Agent, fact: Fact, trust: float,
                fresh: float) -> float:
    """How likely the speaker passes on news that got through the gates, given its trust in
    the listener (``trust_in``) and the news's ``freshness``."""
    importance = IMPORTANCE_FLOOR + (1 - IMPORTANCE_FLOOR) * fact.importance / MAX_IMPORTANCE
    if fact.event is not None and fact.event.host == speaker.id:
        trust = 1.0  # a host invites anyone
    return importance * trust * interest(speaker, listener, fact) * fresh


def trust_in(speaker: Agent, listener: Agent) -> float:
    """How far the speaker trusts the listener with news, from affinity."""
    return max(MIN_TRUST, min(1.0, TRUST_BASE + (1 - TRUST_BASE) * speaker.affinity(listener.id)))


def interest(speaker: Agent, listener: Agent, fact: Fact) -> float:
    """Facts about people the listener knows interest them most, and the speaker's own
    news is about someone they know: the one in front of them."""
    if not fact.about:
        return OPEN_INTEREST
    if listener.id in fact.about:
        return SELF_INTEREST
    if speaker.id in fact.about:
        return 1.0
    return 1.0 if any(x in listener.relationships for x in fact.about) else STRANGER_INTEREST


def freshness(world: World, speaker: Agent, fact_id: str) -> float:
    """How new a piece of ``news`` still is: it fades with age, the slower the weightier
    (unless it is the speaker's own), and with each retelling (an event that is over is
    no longer news at all)."""
    retold = 1 + RETELL_DAMPING * len(speaker.told.get(fact_id, ()))
    if fact_id in world.own_news.get(speaker.id, ()):
        return 1 / retold  # one's own news: on one's mind until told, however old
    age = max(0, world.now - speaker.known_facts[fact_id][0])
    half_life = STALE_HALF_LIFE_MINUTES * world.facts[fact_id].importance \
        / DEFAULT_FACT_IMPORTANCE
    return 0.5 ** (age / half_life) / retold


def pick_facts(world: World, speaker: Agent, listener: Agent) -> list[str]:
    """Facts the speaker chooses to pass on; draws from the world RNG in a fixed order."""
    trust, facts, roll = trust_in(speaker, listener), world.facts, world.rng.random
    willing = [f for f in tellable(world, speaker, listener)
               if roll() < tell_chance(speaker, listener, facts[f], trust,
                                       freshness(world, speaker, f))]
    if not willing:
        return []  # nothing to say: no need to search memory (the costly part of a talk)
    recalled = recall_facts(world, speaker, listener, willing)
    return [f for f in willing if f in recalled][:MAX_FACTS_PER_TALK]


def converse(world: World, a: Agent, b: Agent) -> int:
    """Run a conversation started by ``a``; returns its duration in minutes."""
    shared = pick_facts(world, a, b)
    received = pick_facts(world, b, a) if not b.is_player else []
    talk = world.mind.converse(world, a.id, b.id, shared, received)
    here = a.location or ""
    for fact_id in shared:
        _pass_fact(world, a, b, fact_id)
    for fact_id in received:
        _pass_fact(world, b, a, fact_id)
    importance = max([TALK_IMPORTANCE] + [world.facts[f].importance for f in shared + received])
    world.add_memory(a, "conversation", talk.summary_a, importance, subject=b.id,
                     predicate="talked_with", obj=a.id, tags=(b.id, "talk", *shared, *received))
    world.add_memory(b, "conversation", talk.summary_b, importance, subject=a.id,
                     predicate="talked_with", obj=b.id, tags=(a.id, "talk", *shared, *received))
    for x, y in ((a, b), (b, a)):
        x.last_talk[y.id] = world.now
        shift(x, y.id, AFFINITY_PER_TALK)
    for speaker, listener, facts in ((a, b, shared), (b, a, received)):
        for fact_id in facts:
            _react(world, speaker, listener, world.facts[fact_id])
    world.emit("talk", a.id, here, {
        "with": b.id, "facts": shared + received, "importance": TALK_IMPORTANCE,
        "text": f"{a.name} talked with {b.name}",
        "lines": [[s, t] for s, t in talk.lines],
    })
    _overhear(world, a, b, shared + received)
    duration = talk.duration
    b.action = {"kind": "talk", "target": a.id, "item": "", "duration": duration, "activity": ""}
    b.action_end = world.now + duration
    b.asleep = False
    if not b.controlled:
        world.interrupt(b, world.now + duration)
    return duration


def shift(agent: Agent, other: str, delta: float) -> None:
    """Move ``agent``'s affinity for ``other``, making them acquainted if they were not."""
    rel = agent.relationships.get(other)
    if rel is None:
        rel = agent.relationships[other] = Relationship(ACQUAINTANCE_AFFINITY, ACQUAINTANCE)
    rel.affinity = max(-1.0, min(1.0, rel.affinity + delta))


def _react(world: World, speaker: Agent, listener: Agent, fact: Fact) -> None:
    """What hearing a fact does to how the listener feels about the teller and its subjects."""
    weight = fact.importance / MAX_IMPORTANCE
    if fact.secret:
        shift(speaker, listener.id, AFFINITY_PER_SECRET)
        shift(listener, speaker.id, AFFINITY_PER_SECRET)
    accused = [x for x in fact.incriminates if x in world.agents]
    if listener.id in accused:
        shift(listener, speaker.id, -AFFINITY_ACCUSED * weight)
    elif accused:
        shift(listener, speaker.id, AFFINITY_PER_WARNING * weight)
    for x in accused:
        if x != listener.id and x in listener.relationships:
            shift(listener, x, -AFFINITY_PER_ACCUSATION * weight)


def _pass_fact(world: World, speaker: Agent, listener: Agent, fact_id: str) -> None:
    speaker.told.setdefault(fact_id, []).append(listener.id)
    if world.learn_fact(listener, fact_id, speaker.id):
        world.emit("fact_spread", speaker.id, "", {"fact": fact_id, "to": listener.id})


def _overhear(world: World, a: Agent, b: Agent, facts: list[str]) -> None:
    if not facts:
        return
    for bystander in world.present(a.location or "", exclude=a.id):
        if bystander.id == b.id or bystander.asleep:
            continue
        for fact_id in facts:
            if world.rng.random() >= OVERHEAR_CHANCE:
                continue
            fact = world.facts[fact_id]
            if world.learn_fact(bystander, fact_id, f"overheard:{a.id}"):
                world.add_memory(bystander, "observation",
                                 f"I overheard {a.name} and {b.name}: {fact.text}",
                                 fact.importance, subject=a.id, predicate="overheard",
                                 obj=fact_id, tags=(a.id, b.id, fact_id, "overheard"))
                world.emit("overheard", bystander.id, "",
                           {"fact": fact_id, "speaker": a.id, "listener": b.id})
