"""The player's own words: in-character answers that cannot leak, and free text read
as one of the intents the game offers.

This is where player text meets the model, so it is where prompt injection is
stopped: the player's text is delimited, an answer may cite only facts the agent
knows and may reveal, and a reply that names or quotes any other fact is rejected
(and never shown while it streams).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from game.speech import hearsay

from . import prompts, schemas
from .resolver import Fallback, Request, Resolver
from .streaming import ReplyStream

if TYPE_CHECKING:
    from game.engine.world import World

QUOTABLE_CHARS = 12  # a fact text shorter than this is too common to tell a quote by
MEMORIES_IN_ANSWER = 6


@dataclass
class PlayerAnswer:
    """An in-character reply; ``cited`` holds only fact ids the agent may reveal."""

    text: str
    cited: list[str] = field(default_factory=list)
    source: str = "llm"  # "llm" or "scripted"


def answer_player(resolver: Resolver, world: World, agent_id: str, question: str,
                  allowed_fact_ids: list[str],
                  on_text: Callable[[str], None] | None = None) -> PlayerAnswer:
    """See ``LLMMind.answer_player``."""
    agent = world.agents[agent_id]
    facts = [f for f in dict.fromkeys(allowed_fact_ids) if f in world.facts and agent.knows(f)]
    forbidden = [f for f in world.facts if f not in facts]
    memories = [n for n in agent.memory.retrieve(question, world.now, k=MEMORIES_IN_ANSWER,
                                                 touch=False)
                if not mentions(world, n.text, forbidden)]
    model = schemas.answer_model(facts)
    schema = schemas.json_schema(model)

    def check(ans: Any) -> str | None:
        bad = [f for f in ans.cited_facts if f not in facts]
        if bad or mentions(world, ans.reply, forbidden):
            return "answer reveals a fact the agent may not reveal"
        return None

    msgs = prompts.answer(world, agent_id, question, facts, memories, schema)
    stream = None
    if on_text is not None:
        stream = ReplyStream(on_text, lambda text: mentions(world, text, forbidden),
                             mention_patterns(world, forbidden))
    res = resolver.resolve([Request("answer", agent_id, world.now, msgs, model, schema,
                                    check, on_delta=stream.feed if stream else None)])[0]
    if isinstance(res, Fallback):
        answer = scripted_answer(world, question, facts, agent_id)
    else:
        answer = PlayerAnswer(res.reply, [f for f in res.cited_facts if f in facts])
    if stream is not None:
        stream.finish(answer.text)
    return answer


def interpret_free_text(resolver: Resolver, text: str,
                        allowed_intents: list[str]) -> str | None:
    """See ``LLMMind.interpret_free_text``."""
    intents = list(dict.fromkeys(allowed_intents))
    if not intents:
        return None
    model = schemas.intent_model(intents)
    schema = schemas.json_schema(model)
    msgs = prompts.intent(text, intents, schema)
    res = resolver.resolve([Request("intent", "player", -1, msgs, model, schema)])[0]
    if isinstance(res, Fallback):
        return keyword_intent(text, intents)
    return res.intent if res.intent in intents else None


# ------------------------------------------------------------- leak checks
def mentions(world: World, text: str, fact_ids: list[str]) -> bool:
    """Whether ``text`` names any of ``fact_ids`` or quotes its text."""
    low = text.lower()
    for f in fact_ids:
        if re.search(rf"(?<![\w-]){re.escape(f.lower())}(?![\w-])", low):
            return True
        quote = quotable(world, f)
        if quote and quote.lower() in low:
            return True
    return False


def mention_patterns(world: World, fact_ids: list[str]) -> list[str]:
    """What ``mentions`` looks for: each fact's id, and its text when that is long enough."""
    return list(fact_ids) + [q for q in (quotable(world, f) for f in fact_ids) if q]


def quotable(world: World, fact_id: str) -> str:
    """A fact's text as ``mentions`` matches it, or "" when too short to tell a quote."""
    text = world.facts[fact_id].text.strip(" .")
    return text if len(text) >= QUOTABLE_CHARS else ""


# ------------------------------------------------------- scripted stand-ins
def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def scripted_answer(world: World, question: str, facts: list[str],
                    agent_id: str = "") -> PlayerAnswer:
    """The known fact sharing the most words with the question, or a polite no."""
    asked = _words(question)
    best = max(facts, key=lambda f: (len(asked & _words(world.facts[f].text)), f), default="")
    if best and asked & _words(world.facts[best].text):
        said = (hearsay(world, agent_id, best, prompts.player_of(world)) if agent_id in
                world.agents else world.facts[best].text)
        return PlayerAnswer(f"All I know is this: {said}", [best], "scripted")
    return PlayerAnswer("I'm sorry, I can't help you with that.", [], "scripted")


def keyword_intent(text: str, intents: list[str]) -> str | None:
    """The one intent whose words the text uses; None when none or several match."""
    words = _words(text)
    hits = [i for i in intents if words & _words(i.replace("_", " ").replace(":", " "))]
    return hits[0] if len(hits) == 1 else None
