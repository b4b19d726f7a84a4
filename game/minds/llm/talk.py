"""Conversations: the model writes what is said, the engine decides what is learned.

A decision to talk may carry its dialogue (one call instead of two); it waits here
until the engine runs that conversation at the same minute. The facts the engine
chose to pass are then added as lines and to both memory summaries verbatim, so what
an agent learns never depends on the model. A model's line or summary that gives away a
fact its speaker does not know, or a secret about the speaker, is dropped: it would
become a memory, and memories are what characters later tell the player.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.leaks import PARAPHRASE_HITS, LeakCheck, content_words
from game.engine.mind import Conversation
from game.speech import own_view, pronouns, rumour

from .prompts import PRIVATE_LABEL

if TYPE_CHECKING:
    from game.engine.world import World

TALK_MINUTES = 10  # a conversation with nothing to pass on
MINUTES_PER_FACT = 5  # each fact passed on makes it longer

# (lines as (speaker id, text), the speaker's memory of it, the listener's)
Dialogue = tuple[list[tuple[str, str]], str, str]


class Dialogues:
    """Dialogues written with a talk decision, waiting for the engine's conversation."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str, int], Dialogue] = {}

    def forget_before(self, now: int) -> None:
        self._kept = {k: v for k, v in self._kept.items() if k[2] >= now}

    def keep(self, now: int, me: str, other: str, answer: Any) -> None:
        """Keep the dialogue of a decision to talk, if the answer wrote a usable one."""
        lines = [(x.speaker, x.text.strip()) for x in getattr(answer, "lines", [])
                 if x.speaker in (me, other) and x.text.strip()]
        mine = getattr(answer, "summary_self", "").strip()
        theirs = getattr(answer, "summary_other", "").strip()
        if lines and mine and theirs:
            self._kept[(me, other, now)] = (lines, mine, theirs)

    def take(self, speaker: str, listener: str, now: int) -> Dialogue | None:
        return self._kept.pop((speaker, listener, now), None)


def conversation(world: World, speaker: str, listener: str, dialogue: Dialogue,
                 shared: list[str], received: list[str]) -> Conversation:
    """The model's dialogue with the facts that pass added, word for word."""
    a, b = world.agents[speaker], world.agents[listener]
    lines, said_a, said_b = dialogue
    passing = set(shared) | set(received)
    lines = [(who, text) for who, text in lines
             if who in (speaker, listener) and not unsayable(world, who, text, passing)]
    if unsayable(world, speaker, said_a, passing):
        said_a = f"I talked with {b.name}."
    if unsayable(world, listener, said_b, passing):
        said_b = f"I talked with {a.name}."
    for fact_id in shared:
        lines.append((a.id, rumour(world, a.id, fact_id, b.id)))
    for fact_id in received:
        lines.append((b.id, rumour(world, b.id, fact_id, a.id)))
    told = "; ".join(own_view(world, a.id, f) for f in shared)
    heard = "; ".join(own_view(world, a.id, f) for f in received)
    b_heard = "; ".join(own_view(world, b.id, f) for f in shared)
    b_told = "; ".join(own_view(world, b.id, f) for f in received)
    summary_a = said_a + (f" I told {b.name}: {told}" if told else "") + (
        f" I heard: {heard}" if heard else "")
    summary_b = said_b + (f" I heard from {a.name}: {b_heard}" if b_heard else "") + (
        f" I told {pronouns(world, a.id).object}: {b_told}" if b_told else "")
    return Conversation(lines, summary_a, summary_b,
                        duration=TALK_MINUTES + MINUTES_PER_FACT * len(shared + received))


def unsayable(world: World, agent_id: str, text: str, passing: set[str] | None = None) -> bool:
    """Whether model-written ``text`` in this agent's mouth (or plans) gives away a fact it
    does not know, a secret about itself, or its private side; ``passing``: facts the
    engine has chosen to pass on, which may be said."""
    who = world.agents[agent_id]
    hidden = [f for f, fact in world.facts.items() if f not in (passing or set())
              and (not who.knows(f) or (fact.secret and agent_id in fact.about))]
    return bool(LeakCheck.of_world(world).gives_away(text, hidden)) or \
        echoes_private(world, agent_id, text)


def echoes_private(world: World, agent_id: str, text: str) -> bool:
    """Whether ``text`` repeats the agent's private side (its ``private`` text is in the
    prompts for its own decisions, so a model told to repeat its prompt could say it)."""
    agent = world.agents[agent_id]
    if not agent.private:
        return False
    if PRIVATE_LABEL.lower() in text.lower():
        return True  # the prompt itself, repeated
    own = content_words(agent.private) - content_words(f"{agent.persona} {agent.name}")
    return len(content_words(text) & own) >= PARAPHRASE_HITS
