"""Clue discovery: what the player learns from facts, searches and their own eyes.

A clue is something that happened in the simulation, never a scripted reveal: a fact
the player came to know, a story clue whose condition holds where they search, or an
action they watched (a means being taken, a whispered conspiracy). Clues go into the
notebook, which survives rewinds.
"""

from __future__ import annotations

from .play import Play

WITNESS_MIN_IMPORTANCE = 2  # player memories at least this important reach the feed


def learn_fact(play: Play, fact_id: str, source: str) -> list[str]:
    """The player learns a fact; returns the ids of any new notebook clues."""
    w = play.world
    w.learn_fact(play.me, fact_id, source)
    if not play.notebook.add_fact(fact_id):
        return []
    evidence = play.mystery["fact_evidence"].get(fact_id, [])
    clue_id = f"fact:{fact_id}"
    if play.notebook.add_clue(clue_id, w.facts[fact_id].text, play.loop, w.now, evidence,
                              source):
        return [clue_id]
    return []


def search_here(play: Play) -> tuple[list[str], list[str]]:
    """Story clues whose condition holds where the player stands: (lines, new clue ids)."""
    from .conditions import holds

    w, here = play.world, play.here()
    lines: list[str] = []
    found: list[str] = []
    for clue in play.mystery["clues"]:
        if clue["location"] != here or not holds(clue["when"], w, play.rules):
            continue
        if clue["id"] not in play.rules.state["found_clues"]:
            play.rules.state["found_clues"].append(clue["id"])
        if play.notebook.add_clue(clue["id"], clue["text"], play.loop, w.now, clue["evidence"],
                                  "search"):
            found.append(clue["id"])
        lines.append(f"Found: {clue['text']}")
        for fact_id in clue["reveals"]:
            found += learn_fact(play, fact_id, "a clue")
    return lines, found


def collect_witnessed(play: Play) -> list[tuple[int, str]]:
    """Turn the player's new memories into (minute, text) feed lines and emergent clues."""
    me, w, nb = play.me, play.world, play.notebook
    lines: list[tuple[int, str]] = []
    nodes = me.memory.nodes[play.seen_memory:]
    play.seen_memory = len(me.memory)
    means = {m for p in play.mystery["plots"] for m in p["means"]}
    for node in nodes:
        if node.kind == "plan" or node.subject == play.player:
            continue
        if node.importance >= WITNESS_MIN_IMPORTANCE or node.kind == "conversation":
            lines.append((node.created, node.text))
        where = next((t for t in node.tags if t in w.locations), "")
        if node.kind == "observation" and where and node.subject in w.agents:
            nb.add_sighting(play.loop, node.subject, where, node.created)
        if node.predicate == "take" and node.object in means:
            nb.add_clue(f"witness:take:{node.subject}:{node.object}",
                        f"You saw {w.agents[node.subject].name} take the "
                        f"{w.items[node.object].name}.", play.loop, node.created,
                        [{"culprit": node.subject, "kind": "means"}], "witnessed")
        elif node.predicate == "conspire":
            nb.add_clue(f"witness:conspire:{node.subject}", node.text + ".", play.loop,
                        node.created, [{"culprit": node.subject, "kind": "motive"}], "witnessed")
        if node.object in w.facts:
            learn_fact(play, node.object, "overheard")
    for fact_id in list(me.known_facts):
        if fact_id not in nb.facts:
            learn_fact(play, fact_id, "heard")
    return lines
