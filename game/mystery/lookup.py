"""What the player typed -> ids: names, unique prefixes and ids, with or without "the".

Front ends pass text; the session turns it into ids here, once, so a command recorded in
the timeline always holds ids and replays the same whatever the player called things.
A name that fits several things is a question back to the player, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from game.commands import CommandError
from game.engine.world import World

from .notebook import Notebook

ARTICLES = ("the", "a", "an")
KIND_NAMES = {"person": "person", "place": "place", "item": "item", "fact": "fact",
              "clue": "clue"}
_PREFIXES = ("fact:", "item:", "clue:", "person:", "place:")
MAX_LISTED = 6


@dataclass(frozen=True)
class Entry:
    kind: str  # person | place | item | fact | clue
    id: str
    label: str  # what the player sees
    aliases: tuple[str, ...]  # normalised forms that name it exactly


def normalise(text: str) -> str:
    """Lower case, single spaces, no quotes or trailing punctuation, no leading article."""
    t = text.strip().strip("\"'`“”‘’").lower()
    t = re.sub(r"[\s_]+", " ", t).strip(" .,!?;:")
    words = t.split(" ")
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def _entry(kind: str, ident: str, label: str, *more: str) -> Entry:
    names = {normalise(ident), normalise(label), *(normalise(m) for m in more if m)}
    return Entry(kind, ident, label, tuple(sorted(n for n in names if n)))


class Lookup:
    """Resolves typed names against one world and the player's notebook."""

    def __init__(self, world: World, notebook: Notebook, player: str) -> None:
        self.world = world
        self.notebook = notebook
        self.player = player

    # ----------------------------------------------------------------- tables
    def people(self) -> list[Entry]:
        out = []
        for a in self.world.order:
            if a.id == self.player:
                continue
            first = a.name.split()[0] if a.name else ""
            out.append(_entry("person", a.id, a.name, first))
        return out

    def places(self) -> list[Entry]:
        return [_entry("place", loc.id, loc.name) for loc in self.world.locations.values()]

    def items(self, ids: Iterable[str] | None = None) -> list[Entry]:
        wanted = set(ids) if ids is not None else None
        return [_entry("item", i.id, i.name) for i in self.world.items.values()
                if wanted is None or i.id in wanted]

    def facts(self) -> list[Entry]:
        """Only the facts the player knows: naming an unknown one must not confirm it."""
        return [_entry("fact", f, self.world.facts[f].text, f"fact:{f}")
                for f in self.notebook.facts if f in self.world.facts]

    def clues(self) -> list[Entry]:
        """Clues answer to their number in the notebook ('3', '#3', 'clue 3'), their text
        and their id."""
        out = []
        for number, (cid, clue) in enumerate(self.notebook.clues.items(), start=1):
            extra = cid.split(":", 1)[1] if cid.startswith("fact:") else ""
            out.append(_entry("clue", cid, clue["text"], extra, str(number), f"#{number}",
                              f"clue {number}"))
        return out

    # ----------------------------------------------------------------- resolving
    def person(self, text: str) -> str:
        return self.pick(text, self.people(), "person")

    def place(self, text: str) -> str:
        return self.pick(text, self.places(), "place")

    def item(self, text: str, ids: Iterable[str] | None = None, what: str = "item") -> str:
        return self.pick(text, self.items(ids), what)

    def fact(self, text: str) -> str:
        return self.pick(text, self.facts(), "fact you know")

    def clue(self, text: str) -> str:
        return self.pick(text, self.clues(), "clue in your notebook")

    def thing(self, text: str, kinds: tuple[str, ...]) -> Entry:
        """One of several kinds ('person', 'item', 'fact', 'clue'), exact names first."""
        tables = {"person": self.people, "item": self.items, "fact": self.facts,
                  "clue": self.clues, "place": self.places}
        entries = [e for kind in kinds for e in tables[kind]()]
        what = " or ".join(dict.fromkeys(KIND_NAMES[k] for k in kinds))
        return self._match(text, entries, what)

    def pick(self, text: str, entries: list[Entry], what: str) -> str:
        return self._match(text, entries, what).id

    def _match(self, text: str, entries: list[Entry], what: str) -> Entry:
        query = normalise(text)
        for prefix in _PREFIXES:
            if query.startswith(prefix) and len(query) > len(prefix):
                bare = query[len(prefix):]
                exact = [e for e in entries if query in e.aliases or bare == normalise(e.id)]
                if len(exact) == 1:
                    return exact[0]
        if not query:
            raise CommandError(f"name a {what}")
        for test in (_exact, _prefix, _word_prefix):
            found = list({e.id: e for e in entries if test(query, e)}.values())
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = "; ".join(_short(e.label) for e in found[:MAX_LISTED])
                more = "…" if len(found) > MAX_LISTED else ""
                raise CommandError(f"{text.strip()!r} could be: {names}{more} (say which)")
        raise CommandError(f"there is no {what} called {text.strip()!r}")


def _short(label: str, most: int = 40) -> str:
    """A long name (a clue's or a fact's text) cut to a recognisable start."""
    label = label.rstrip(". ")
    return label if len(label) <= most else label[:most].rsplit(" ", 1)[0] + "…"


def _exact(query: str, e: Entry) -> bool:
    return query in e.aliases


def _prefix(query: str, e: Entry) -> bool:
    return any(a.startswith(query) for a in e.aliases)


def _word_prefix(query: str, e: Entry) -> bool:
    """'gate log' fits "the lock's gate log": the query starts at a word of the name."""
    return any(f" {query}" in f" {a}" for a in e.aliases)
