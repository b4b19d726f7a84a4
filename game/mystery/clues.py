"""Clue discovery: what the player learns from facts, searches and their own eyes.

A clue is something that happened in the simulation, never a scripted reveal: a fact the
player came to know (by testimony from someone who knows it first-hand, from a document,
from a place, or as mere hearsay), a story clue whose condition holds where they search,
or a deed they saw or were told of by someone who saw it. Clues go into the notebook,
which survives rewinds, with their kind and source; whatever establishes a clue in this
world is recorded as proof (``evidence.establish``), which does not.
"""

from __future__ import annotations

from game import speech
from game.engine.memory import MemoryNode
from game.engine.world import World

from . import observations
from .conditions import holds
from .evidence import Provenance, establish
from .play import Play

WITNESS_MIN_IMPORTANCE = 2  # player memories at least this important reach the feed
OVERHEARD = "overheard:"
NEWS = "news:"
TALKED = "talked_with"
HIDDEN_KINDS = ("plan", "reflection")  # the player's own inner voice never reaches the feed


def learn_fact(play: Play, fact_id: str, how: Provenance, at: int | None = None) -> list[str]:
    """The player learns a fact, in a way ``how`` (at minute ``at``, default now); returns the
    ids of new notebook clues."""
    w = play.world
    w.learn_fact(play.me, fact_id, how.witness if how.kind == "testimony" else how.source)
    play.notebook.add_fact(fact_id)
    if fact_id.startswith(NEWS):
        return []  # news is known, and told on; it is not a clue to anything
    evidence = play.mystery["fact_evidence"].get(fact_id, [])
    clue_id = f"fact:{fact_id}"
    added = play.notebook.add_clue(clue_id, w.facts[fact_id].text, play.loop,
                                   w.now if at is None else at, evidence, how.source, how.kind,
                                   how.witness, counts=counts(play, clue_id))
    establish(play, clue_id, how)
    return [clue_id] if added else []


def counts(play: Play, clue_id: str) -> bool:
    """False for a red herring: it looks like evidence, and the law finds it leads nowhere."""
    return clue_id not in play.mystery.get("red_herrings", [])


def told_by(play: Play, fact_id: str, teller: str) -> Provenance:
    """A fact from ``teller``'s own mouth: testimony if they know it first-hand."""
    w = play.world
    if teller == play.player:
        return Provenance("witnessed", "you know it yourself", witness=teller)
    name = w.agents[teller].name if teller in w.agents else "someone"
    if teller in play.mystery.get("witnesses", {}).get(fact_id, []):
        return Provenance("testimony", name, witness=teller)
    return Provenance("hearsay", f"heard from {name}", witness=teller)


def known_from_start(play: Play, fact_id: str) -> Provenance:
    if play.player in play.mystery.get("witnesses", {}).get(fact_id, []):
        return Provenance("witnessed", "you have always known", witness=play.player)
    return Provenance("hearsay", "talk you have always heard")


def search_here(play: Play) -> tuple[list[str], list[str]]:
    """Story clues whose condition holds where the player stands: (lines, new clue ids)."""
    w, here = play.world, play.here()
    lines: list[str] = []
    found: list[str] = []
    for clue in play.mystery["clues"]:
        if clue["location"] != here or not holds(clue["when"], w, play.rules):
            continue
        if clue["id"] not in play.rules.state["found_clues"]:
            play.rules.state["found_clues"].append(clue["id"])
        how = Provenance(clue.get("kind", "physical"),
                         f"found at {w.locations[here].name}")
        if play.notebook.add_clue(clue["id"], clue["text"], play.loop, w.now, clue["evidence"],
                                  how.source, how.kind, counts=counts(play, clue["id"])):
            found.append(clue["id"])
        establish(play, clue["id"], how)
        lines.append(f"Found: {clue['text']}")
        for fact_id in clue["reveals"]:
            found += learn_fact(play, fact_id, how)
    return lines, found


def note_sighting(play: Play, witness: str, node: MemoryNode) -> list[str]:
    """If ``node`` (in ``witness``'s memory) shows a deed that proves something, note it as a
    witnessed clue, proven by that witness in this world. Returns new clue ids."""
    w = play.world
    seen = observations.sighting(w, play.rules, node)
    if seen is None:
        return []
    mine = witness == play.player
    clue_id = f"seen:{witness}:{seen.key}"
    who = "You" if mine else w.agents[witness].name
    text = f"{who} saw {seen.deed}, {w.calendar.format(node.created)}."
    how = Provenance("witnessed", "your own eyes" if mine else w.agents[witness].name,
                     witness=witness)
    evidence = [{"culprit": c, "kind": k} for c, k in seen.evidence]
    added = play.notebook.add_clue(clue_id, text, play.loop, node.created, evidence,
                                   how.source, how.kind, witness)
    establish(play, clue_id, how)
    return [clue_id] if added else []


def collect_witnessed(play: Play) -> tuple[list[tuple[int, str]], list[str]]:
    """The player's new memories as (minute, text) feed lines, and the clues they make."""
    me, w, nb = play.me, play.world, play.notebook
    lines: list[tuple[int, str]] = []
    new: list[str] = []
    nodes = me.memory.nodes[play.seen_memory:]
    play.seen_memory = len(me.memory)
    for node in nodes:
        if node.kind in HIDDEN_KINDS or node.subject == play.player:
            continue
        shown = player_line(w, node)
        if shown is not None and (node.importance >= WITNESS_MIN_IMPORTANCE
                                  or node.kind == "conversation"):
            lines.append((node.created, shown[1]))
        where = observations.where(w, node)
        if node.kind == "observation" and where and node.subject in w.agents:
            nb.add_sighting(play.loop, node.subject, where, node.created)
        new += note_sighting(play, play.player, node)
        if node.kind == "conversation" and node.predicate == TALKED and node.subject in w.agents:
            for fact_id in node.tags:  # what they told the player, in their own words
                if fact_id in w.facts:
                    new += learn_fact(play, fact_id, told_by(play, fact_id, node.subject),
                                      node.created)
    for fact_id, (when, source) in list(me.known_facts.items()):
        how = _heard(play, fact_id, str(source))
        if how is not None:
            new += learn_fact(play, fact_id, how, int(when))
    return lines, new


def player_line(w: World, node: MemoryNode) -> tuple[str, str] | None:
    """(kind, text): one memory of the player's as the player reads it, in the second
    person ("Rosa Finch told you: ..."); None for what is not theirs to read."""
    other = w.agents[node.subject].name if node.subject in w.agents else "Someone"
    fact = w.facts.get(node.object)
    if node.predicate == "heard" and fact is not None:
        return "news", f"News: {fact.text}"
    me = next((a.id for a in w.order if a.is_player), "")
    if node.predicate == "overheard" and fact is not None:
        return "heard", f"You overheard {other}: {_in_words(w, node.subject, fact.id, '')}"
    if node.kind == "conversation":
        told = [_in_words(w, node.subject, f, me) for f in node.tags if f in w.facts]
        if told:
            return "heard", f"{other} told you: " + " ".join(told)
        return "heard", f"You talked with {other}."
    if node.kind == "observation":
        return "saw", node.text.rstrip(".") + "."
    return None


def _in_words(w: World, speaker: str, fact_id: str, listener: str) -> str:
    """A fact as the one who said it put it: their 'I', the player's 'you'."""
    if speaker not in w.agents:
        return w.facts[fact_id].text
    return speech.own_view(w, speaker, fact_id, listener)


def _heard(play: Play, fact_id: str, source: str) -> Provenance | None:
    """How the player came by a fact someone told them or they overheard; None for facts
    learned through the player's own verbs (those recorded how when they happened)."""
    w = play.world
    if source in w.agents:
        return told_by(play, fact_id, source)
    if source.startswith(OVERHEARD) and source[len(OVERHEARD):] in w.agents:
        return Provenance("hearsay", f"overheard from {w.agents[source[len(OVERHEARD):]].name}")
    return None
