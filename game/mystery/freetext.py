"""The scripted minds' ear: plain words that clearly ask a menu question become that question.

The questions a person understands without a language model are the talk menu's: where
they were at a time, what they know of a person, an item or a fact, and whether anything
unusual happened. Anything else gets a one-line hint, never a guess: a misread question
would cost the player game time for an answer they did not ask for.
"""

from __future__ import annotations

import re

from game.commands import Command, CommandError

from .lookup import Entry, Lookup, normalise
from .play import Play

UNUSUAL_WORDS = ("unusual", "strange", "odd", "weird", "suspicious", "out of the ordinary",
                 "anything happen", "anything new", "notice anything", "seen anything",
                 "noticed anything", "what happened", "what's been happening", "any news")
WHERE_WORDS = ("where were you", "where have you been", "where did you go", "where was you",
               "whereabouts", "where you were")
_TIME = re.compile(
    r"\b(?:(?:day|d)\s*\d{1,2}\s+)?"
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\s+|yesterday\s+|today\s+)?"
    r"(?:at\s+)?(\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midnight)\b")
_PARTS_OF_DAY = {  # phrases with no clock time: when they most plausibly mean
    "last night": ("yesterday", 22), "yesterday evening": ("yesterday", 20),
    "yesterday morning": ("yesterday", 9), "yesterday afternoon": ("yesterday", 15),
    "this morning": ("today", 9), "this afternoon": ("today", 15),
    "this evening": ("today", 19), "tonight": ("today", 21),
}


def hint(name: str) -> str:
    return (f"{name} doesn't follow. Without a language model, people understand: where "
            "were you at a time, what do you know about a person, item or fact, and "
            "has anything unusual happened?")


def interpret(play: Play, look: Lookup, who: str, text: str) -> Command | None:
    """The menu question ``text`` clearly asks ``who``, or None."""
    lowered = " " + normalise(re.sub(r"[?!.,;:]", " ", re.sub(r"['’]s\b", "", text))) + " "
    raw = text.lower()
    if any(w in raw for w in WHERE_WORDS) or (" where " in lowered and " you " in lowered):
        when = _time_in(raw)
        if when is not None:
            return Command("ask", target=who, topic="where", arg=when)
    if any(w in raw for w in UNUSUAL_WORDS):
        return Command("ask", target=who, topic="unusual")
    mentioned = _mentioned(look, who, lowered)
    if mentioned is not None:
        return Command("ask", target=who, topic=mentioned.kind, arg=mentioned.id)
    return None


def _time_in(raw: str) -> str | None:
    m = _TIME.search(raw)
    if m is not None:
        return re.sub(r"\bat\s+", "", m.group(0)).strip()
    for phrase, (day, hour) in _PARTS_OF_DAY.items():
        if phrase in raw:
            return f"{day} {hour:02d}:00"
    return None


def _mentioned(look: Lookup, who: str, lowered: str) -> Entry | None:
    """The one person, item or known fact the words name (the longest name wins)."""
    best: list[tuple[int, Entry]] = []
    for entry in look.people() + look.items() + look.facts():
        if entry.kind == "person" and entry.id == who:
            continue
        for alias in {re.sub(r"['’]s\b", "", a) for a in entry.aliases}:
            if len(alias) >= 3 and f" {alias} " in lowered:
                best.append((len(alias), entry))
    if not best:
        return None
    longest = max(n for n, _ in best)
    found = {e.id: e for n, e in best if n == longest}
    if len(found) != 1:
        raise CommandError("Which do you mean: " + ", ".join(
            e.label for e in found.values()) + "?")
    return next(iter(found.values()))
