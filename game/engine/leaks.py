"""What a text gives away: the one leak check for every word a character says.

Matching a fact's id or its exact text is not enough: a model (or a writer's persona)
paraphrases. A secret fact also has *distinctive words*: the words of its text and id
that the rest of the story does not use (not a name, a place, an item, or a word of a
public fact). Its id's words are its gist ("will_forged" -> "forged"): one of them is
enough to give the fact away. Other distinctive words count only in pairs, so a single
ordinary word ("drawer") in a reply is not a leak, and "nightshade in a locked drawer
without a licence" is.

Plain data in, plain answers out: the engine, the minds, the mystery and the story
validator all use it.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .world import World

QUOTABLE_CHARS = 12  # a fact text shorter than this is too common to tell a quote by
MIN_WORD = 4  # shorter words say too little to give a secret away
PARAPHRASE_HITS = 2  # distinctive words of one secret that together give it away
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s", "ly")
_STOP = frozenset("""
about above after again against also always another because been before being below
between both could does doing down during each even ever every from further have having
here into itself just last like made make many more most much must never next only other
ought over said same says should since some still such than that their them then there
these they this those through under until upon very want were what when where which while
who whom whose with would your yours yourself only onto once across among
""".split())
_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A crude stem, so 'smuggles', 'smuggled' and 'smuggling' are one word."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_WORD:
            return word[:-len(suffix)]
    return word


def content_words(text: str, *, partial: bool = False) -> set[str]:
    """Stems of the words that carry meaning. With ``partial`` the text is still being
    written, and a last word not yet followed by a space or stop is left out."""
    low = text.lower()
    found = _WORD.findall(low)
    if partial and found and low and low[-1].isalnum():
        found = found[:-1]
    return {stem(w) for w in found if len(w) >= MIN_WORD and w not in _STOP}


@dataclass(frozen=True)
class FactWords:
    """How a fact can be told: by id, by quote, by its gist or its distinctive words."""

    id: str
    quote: str
    secret: bool
    gist: frozenset[str]
    distinctive: frozenset[str]


class LeakCheck:
    """Which facts a text gives away. Built once per story (or world), then asked often."""

    def __init__(self, facts: Iterable[tuple[str, str, bool]], common: Iterable[str]) -> None:
        """``facts``: (id, text, secret); ``common``: text anyone may use (names, places,
        items, public facts), whose words are therefore never distinctive."""
        facts = list(facts)
        shared: set[str] = set()
        for text in common:
            shared |= content_words(text)
        for _, text, secret in facts:
            if not secret:
                shared |= content_words(text)
        self.facts: dict[str, FactWords] = {}
        for fid, text, secret in facts:
            quote = text.strip(" .")
            gist = content_words(fid.replace("_", " ")) - shared
            own = (content_words(text) | gist) - shared
            self.facts[fid] = FactWords(fid, quote if len(quote) >= QUOTABLE_CHARS else "",
                                        secret, frozenset(gist), frozenset(own))

    @classmethod
    def of_world(cls, world: World) -> LeakCheck:
        """The world's check (cached while the world keeps the same facts)."""
        cached = _BY_WORLD.get(world)
        if cached is not None and cached[0] == len(world.facts):
            return cached[1]
        common = [a.name for a in world.agents.values()]
        common += [loc.name for loc in world.locations.values()]
        common += [it.name for it in world.items.values()]
        check = cls(((f.id, f.text, f.secret) for f in world.facts.values()), common)
        _BY_WORLD[world] = (len(world.facts), check)
        return check

    def gives_away(self, text: str, fact_ids: Iterable[str], *, partial: bool = False
                   ) -> list[str]:
        """The facts among ``fact_ids`` that ``text`` names, quotes or (for a secret)
        paraphrases."""
        low = text.lower()
        words = content_words(text, partial=partial)
        out = []
        for fid in fact_ids:
            fw = self.facts.get(fid)
            if fw is None:
                continue
            if re.search(rf"(?<![\w-]){re.escape(fid.lower())}(?![\w-])", low) or (
                    fw.quote and fw.quote.lower() in low):
                out.append(fid)
            elif fw.secret and (words & fw.gist
                                or len(words & fw.distinctive) >= PARAPHRASE_HITS):
                out.append(fid)
        return out

    def patterns(self, fact_ids: Iterable[str]) -> list[str]:
        """Phrases a stream must hold back while they may still be being written: ids and
        quotes (words are checked once whole, see ``content_words(partial=True)``)."""
        out: list[str] = []
        for fid in fact_ids:
            fw = self.facts.get(fid)
            if fw is not None:
                out += [fid, fw.quote] if fw.quote else [fid]
        return out

    def named_words(self, text: str, fact_id: str) -> list[str]:
        """The distinctive words of ``fact_id`` that ``text`` uses (for a writer's warning)."""
        fw = self.facts.get(fact_id)
        if fw is None:
            return []
        return sorted(content_words(text) & fw.distinctive)


_BY_WORLD: weakref.WeakKeyDictionary[World, tuple[int, LeakCheck]] = \
    weakref.WeakKeyDictionary()
