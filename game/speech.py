"""How people put a fact into words: from their own point of view, with the story's pronouns.

A story writes each fact once, as a narrator would ("Silas Pell owes a moneylender ...").
Nobody in the town should recite that about themselves, or to the person it is about. This
one module turns a fact into what a given speaker says to a given listener:

- about oneself: the fact's ``own_words`` when the writer gave them, else the text with the
  speaker's name and pronouns turned into "I", "me", "my" (verbs agreeing); when that cannot
  be done safely, a line that never speaks of oneself in the third person;
- the listener becomes "you";
- what the speaker only heard is reported as hearsay ("Tobiah Marsh tells me ...");
- the framing varies with who says it, so a rumour is not recited word for word by all.

Scripted testimony, conversations, the chronicle and the model prompts all use it. It reads
the world spec only (pronouns and own words are story data) and never changes the world.
"""

from __future__ import annotations

import re
import weakref
import zlib
from dataclasses import dataclass, field

from game.engine.model import Fact
from game.engine.world import World

__all__ = ["Pronouns", "feeling", "hearsay", "own_view", "pronouns", "rumour", "parse_pronouns"]

OVERHEARD = "overheard:"
START = "start"  # known from the story's start: the speaker's own knowledge


@dataclass(frozen=True)
class Pronouns:
    subject: str  # she
    object: str  # her
    possessive: str  # her (her knife)
    plural: bool = False  # "they are", not "they is"

    def be(self) -> str:
        return "are" if self.plural else "is"


KNOWN = {
    "she": Pronouns("she", "her", "her"),
    "he": Pronouns("he", "him", "his"),
    "they": Pronouns("they", "them", "their", plural=True),
}
THEY = KNOWN["they"]


def parse_pronouns(text: str) -> Pronouns | None:
    """'she/her' -> her pronouns; None for anything this module cannot inflect."""
    first = text.strip().lower().split("/", 1)[0].strip()
    return KNOWN.get(first)


@dataclass
class _Town:
    pronouns: dict[str, Pronouns]
    own_words: dict[str, str]
    names: list[tuple[str, str]]  # (how a person is named in text, agent id), longest first
    said: dict[tuple[str, str, str], str]  # (speaker, fact, listener) -> own_view, static data
    mentions: dict[str, frozenset[str]] = field(default_factory=dict)  # text -> who it names


_TOWNS: weakref.WeakKeyDictionary[World, _Town] = weakref.WeakKeyDictionary()


def _town(world: World) -> _Town:
    town = _TOWNS.get(world)
    if town is None:
        spec = world.spec
        prons = {a["id"]: parse_pronouns(a.get("pronouns", "")) or THEY
                 for a in spec.get("agents", [])}
        own = {f["id"]: f.get("own_words", "") for f in spec.get("facts", [])
               if f.get("own_words")}
        names: list[tuple[str, str]] = []
        firsts: dict[str, list[str]] = {}
        for a in spec.get("agents", []):
            name = str(a.get("name") or a["id"])
            names.append((name, a["id"]))
            firsts.setdefault(name.split(" ", 1)[0], []).append(a["id"])
            if a.get("role"):
                names.append((f"the {a['role']}", a["id"]))
        names += [(first, ids[0]) for first, ids in firsts.items() if len(ids) == 1]
        names.sort(key=lambda n: -len(n[0]))
        town = _Town(prons, own, names, {})
        _TOWNS[world] = town
    return town


def pronouns(world: World, agent_id: str) -> Pronouns:
    return _town(world).pronouns.get(agent_id, THEY)


# --------------------------------------------------------------- first and second person
_IRREGULAR = {"is": ("am", "are"), "was": ("was", "were"), "has": ("have", "have"),
              "does": ("do", "do"), "goes": ("go", "go"), "isn't": ("am not", "aren't"),
              "wasn't": ("wasn't", "weren't"), "hasn't": ("haven't", "haven't"),
              "doesn't": ("don't", "don't")}
_NOT_VERBS = {"this", "his", "its", "as", "us", "plus", "always", "perhaps", "less", "unless"}
_OBJECT_FOLLOWERS = {"", "to", "and", "or", "the", "a", "an", "for", "with", "at", "in", "on",
                     "off", "out", "up", "down", "from", "into", "about", "when", "if", "that",
                     "because", "before", "after", "again", "once", "too", "alone", "last",
                     "every", "through", "by", "what", "how", "whether", "where"}
_STARTERS = {"the", "a", "an", "there", "it", "this", "that", "he", "she", "they", "his", "her",
             "their", "my", "your", "some", "someone", "everyone", "people", "we", "our",
             "nobody", "somebody", "you"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z']*|[^A-Za-z]+")


def _agree(verb: str, person: int) -> str:
    """The verb after 'I' (person 1) or 'you' (person 2), from its third-person form."""
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low][person - 1]
    if low in _NOT_VERBS or not low.endswith("s") or low.endswith("ss") or len(low) < 3:
        return verb
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


@dataclass(frozen=True)
class _Person:
    agent: str
    person: int  # 1: the speaker, 2: the listener

    def words(self) -> tuple[str, str, str]:
        """(subject, object, possessive)."""
        return ("I", "me", "my") if self.person == 1 else ("you", "you", "your")


def _turn(world: World, text: str, people: list[_Person]) -> str | None:
    """``text`` with each of ``people`` named as I/you; None when it cannot be done safely
    (a pronoun that might be theirs, where someone else mentioned shares it)."""
    town = _town(world)
    who = {p.agent: p for p in people}
    # Names first, so pronouns later in the sentence can be resolved to someone named.
    mentioned = _mentioned(town, text)
    pronoun_owner: dict[str, _Person] = {}
    for p in people:
        pr = town.pronouns.get(p.agent, THEY)
        if pr is THEY:
            continue  # 'they' is also the plural: never guess it is this person
        sharing = [m for m in mentioned if town.pronouns.get(m, THEY) == pr]
        if sharing == [p.agent]:
            pronoun_owner[pr.subject] = p
    out = text
    for name, agent_id in town.names:
        if agent_id not in who or name.lower() not in out.lower():
            continue
        out = _replace_name(out, name, who[agent_id])
    out = _replace_pronouns(out, pronoun_owner)
    for p in people:  # a pronoun left that may be theirs: we cannot say it safely
        pr = town.pronouns.get(p.agent, THEY)
        if p.agent in mentioned and pr.subject not in pronoun_owner and re.search(
                rf"\b({pr.subject}|{pr.object}|{pr.possessive})\b", out, re.I):
            return None
    return out


def _mentioned(town: _Town, text: str) -> frozenset[str]:
    """Who ``text`` names; cached per text, as a town's facts are told over and over."""
    found = town.mentions.get(text)
    if found is None:
        low = text.lower()
        # The substring test first: a town of a hundred names, and most are absent.
        found = frozenset(agent_id for name, agent_id in town.names
                          if name.lower() in low
                          and re.search(rf"\b{re.escape(name.lower())}\b", low))
        town.mentions[text] = found
    return found


def _replace_name(text: str, name: str, p: _Person) -> str:
    subj, obj, poss = p.words()
    pattern = re.compile(rf"\b{re.escape(name)}('s)?\b(\s+)?([A-Za-z']+)?", re.I)

    def sub(m: re.Match[str]) -> str:
        start = m.start() == 0 or text[:m.start()].rstrip().endswith((".", "!", "?", ":", ";"))
        gap, nxt = m.group(2) or "", m.group(3) or ""
        after_and = text[:m.start()].rstrip().lower().endswith(" and")
        if m.group(1):
            word = poss
        elif after_and and nxt.lower() in ("were", "are", "have", "had"):
            word = "I" if p.person == 1 else "you"
        elif nxt and nxt.lower() not in _OBJECT_FOLLOWERS and (
                start or _agree(nxt, p.person) != nxt or nxt.endswith("ed")
                or nxt.lower() in _IRREGULAR):
            word = subj
            nxt = _agree(nxt, p.person)
        elif nxt.lower() == "and" and start:
            word = subj if p.person == 2 else "I"
        else:
            word = obj
        if start:
            word = word[:1].upper() + word[1:]
        return word + gap + nxt

    return pattern.sub(sub, text)


def _replace_pronouns(text: str, owners: dict[str, _Person]) -> str:
    if not owners:
        return text
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        hit = None
        for pr_subject, person in owners.items():
            pr = KNOWN[pr_subject]
            if low in (pr.subject, pr.object, pr.possessive):
                hit = (pr, person)
        if hit is None:
            out.append(tok)
            continue
        pr, person = hit
        subj, obj, poss = person.words()
        nxt_i = i + 2 if i + 2 < len(tokens) and tokens[i + 1].isspace() else -1
        nxt = tokens[nxt_i] if nxt_i > 0 else ""
        if low == pr.subject:
            word = subj
            if nxt:
                tokens[nxt_i] = _agree(nxt, person.person)
        elif low == pr.possessive and low == pr.object:  # 'her': object or possessive?
            word = obj if nxt.lower() in _OBJECT_FOLLOWERS or not nxt else poss
        elif low == pr.possessive:
            word = poss
        else:
            word = obj
        if tok[:1].isupper() and word != "I":
            word = word[:1].upper() + word[1:]
        out.append(word)
    return "".join(out)


# --------------------------------------------------------------------------- public
def own_view(world: World, speaker: str, fact_id: str, listener: str = "") -> str:
    """The fact as ``speaker`` would state it to ``listener``: never themselves in the third
    person, the listener as 'you'. A plain statement; see ``rumour`` for the framing."""
    town = _town(world)
    key = (speaker, fact_id, listener)
    if key not in town.said:
        town.said[key] = _own_view(world, town, speaker, fact_id, listener)
    return town.said[key]


def _own_view(world: World, town: _Town, speaker: str, fact_id: str, listener: str) -> str:
    fact = world.facts[fact_id]
    if fact.about and fact.about[0] == speaker and fact_id in town.own_words:
        text = town.own_words[fact_id]
        if listener:
            text = _turn(world, text, [_Person(listener, 2)]) or text
        return text
    people = [_Person(speaker, 1)]
    if listener and listener != speaker:
        people.append(_Person(listener, 2))
    turned = _turn(world, fact.text, people)
    if turned is None and len(people) == 2:
        turned = _turn(world, fact.text, people[:1])
    if turned is not None:
        return turned
    return _not_about_me(world, speaker, fact)


def _not_about_me(world: World, speaker: str, fact: Fact) -> str:
    """A line for a fact about oneself that cannot be put in the first person safely."""
    if speaker in fact.about:
        return "There is talk about me going round; I won't repeat it."
    return fact.text


def _clause(text: str) -> str:
    """A sentence made into a clause after 'that': its first word lowered unless a name."""
    first = text.split(" ", 1)[0]
    if first.lower() in _STARTERS and first != "I":
        return text[:1].lower() + text[1:]
    return text


def _pick(options: tuple[str, ...], *keys: str) -> str:
    """The same speaker and fact always frame it the same way; others differ. Stable across
    runs (crc32, not Python's salted hash), and draws nothing from the world's RNG."""
    return options[zlib.crc32("|".join(keys).encode()) % len(options)]


RUMOURS = ("Did you hear? {c}", "Have you heard? {c}", "Word is {cl}", "People are saying {cl}",
           "I heard {cl}", "They say {cl}")
HEARSAY = ("{src} tells me {cl}", "I had it from {src} that {cl}", "{src} was saying {cl}",
           "According to {src}, {cl}")
OVERHEARD_LINES = ("I overheard {src} saying {cl}", "I caught {src} saying {cl}")
FIRST_HAND = ("{c}", "I can tell you this: {c}", "{c}")


def hearsay(world: World, speaker: str, fact_id: str, listener: str = "") -> str:
    """The fact with where the speaker had it from: first-hand, from someone, overheard."""
    agent = world.agents[speaker]
    text = own_view(world, speaker, fact_id, listener)
    known = agent.known_facts.get(fact_id)
    source = str(known[1]) if known and known[1] else ""
    fact = world.facts[fact_id]
    keys = (speaker, fact_id)
    if speaker in fact.about or source in ("", speaker, START):
        return _pick(FIRST_HAND, *keys).format(c=text)
    if source.startswith(OVERHEARD):
        who = source[len(OVERHEARD):]
        src = world.agents[who].name if who in world.agents else "someone"
        return _pick(OVERHEARD_LINES, *keys).format(src=src, cl=_clause(text))
    if source == listener:
        return f"You told me so yourself: {text}"
    if source not in world.agents:
        return _pick(RUMOURS, *keys).format(c=text, cl=_clause(text))
    src = world.agents[source].name
    return _pick(HEARSAY, *keys).format(src=src, cl=_clause(text))


def rumour(world: World, speaker: str, fact_id: str, listener: str = "") -> str:
    """Passing a fact on in conversation: hearsay framed, varied by speaker."""
    agent = world.agents[speaker]
    known = agent.known_facts.get(fact_id)
    fact = world.facts[fact_id]
    if known and known[1] not in (None, "", speaker, START) and speaker not in fact.about:
        return hearsay(world, speaker, fact_id, listener)
    text = own_view(world, speaker, fact_id, listener)
    if speaker in fact.about:
        return text
    return _pick(RUMOURS, speaker, fact_id).format(c=text, cl=_clause(text))


def feeling(world: World, speaker: str, about: str) -> str:
    """How the speaker feels about someone, with their pronouns; never the private label."""
    affinity = world.agents[speaker].affinity(about)
    obj = pronouns(world, about).object
    if affinity > 0.4:
        return f"I'm fond of {obj}"
    if affinity < -0.1:
        return f"I don't trust {obj}"
    pr = pronouns(world, about)
    return f"{pr.subject} {'are' if pr.plural else 'is'} all right".capitalize()
