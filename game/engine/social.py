"""Conversation and gossip between co-located agents.

Which facts pass on depends on the fact's importance and the speaker's affinity
for the listener; a speaker never repeats a fact to someone it already told, and
never volunteers a secret about itself. Both sides remember the exchange, and
bystanders may overhear an important fact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .memory import MAX_IMPORTANCE
from .model import Agent

if TYPE_CHECKING:
    from .world import World

OVERHEAR_CHANCE = 0.25
MAX_FACTS_PER_TALK = 2
TALK_IMPORTANCE = 2  # of a conversation that passed on nothing more important
CONFIDANT_AFFINITY = 0.5  # a secret about someone else is told only to a listener liked this much
AFFINITY_PER_TALK = 0.02  # talking warms both sides a little, up to 1.0


def pick_facts(world: World, speaker: Agent, listener: Agent) -> list[str]:
    """Facts the speaker chooses to pass on; draws from the world RNG in a fixed order."""
    affinity = speaker.affinity(listener.id)
    ranked = sorted(
        speaker.known_facts.items(),
        key=lambda kv: (-world.facts[kv[0]].importance, -kv[1][0], kv[0]),
    )
    chosen: list[str] = []
    for fact_id, (_, source) in ranked:
        if len(chosen) >= MAX_FACTS_PER_TALK:
            break
        fact = world.facts[fact_id]
        if source == listener.id or listener.id in speaker.told.get(fact_id, ()):
            continue
        if fact.secret and (speaker.id in fact.about or listener.id in fact.about
                            or affinity < CONFIDANT_AFFINITY):
            continue
        chance = (fact.importance / MAX_IMPORTANCE) * (0.4 + 0.6 * max(0.0, affinity))
        if world.rng.random() < chance:
            chosen.append(fact_id)
    return chosen


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
        rel = x.relationships.get(y.id)
        if rel is not None:
            rel.affinity = min(1.0, rel.affinity + AFFINITY_PER_TALK)
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
