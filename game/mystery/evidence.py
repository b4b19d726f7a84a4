"""Evidence: what kind of thing a clue is, who stands behind it, and whether it proves
anything in the world as it is now.

Knowledge and proof are kept apart. The notebook is the player's knowledge: it survives
every rewind, and shows each clue's kind and source. Proof belongs to one world: whenever
something in this world establishes a clue (the player finds it, reads the document, hears
a witness say it, sees it happen, catches a lie), ``establish`` records it in the rules'
state, which is part of the world's snapshot, so a rewind takes the proof back with the
world. An accusation counts a clue only if this world holds its proof and its source can
still stand behind it: the witness alive, the document in the player's hands. Hearsay is
never recorded as proof: a rumour opens a lead and nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .play import Play
from .wording import the

KINDS = ("witnessed", "physical", "document", "testimony", "hearsay", "lie")
LABELS = {"witnessed": "witnessed", "physical": "physical", "document": "document",
          "testimony": "testimony", "hearsay": "hearsay", "lie": "caught lie"}


@dataclass(frozen=True)
class Provenance:
    """How the player came by a clue. ``source`` is what the notebook shows; ``witness`` the
    person who stands behind it (the player's own id for their own eyes); ``item`` the
    document the player must carry for it to count."""

    kind: str
    source: str
    witness: str = ""
    item: str = ""


def establish(play: Play, clue_id: str, how: Provenance) -> None:
    """Record, in this world, that ``clue_id`` is proven and how. Hearsay proves nothing."""
    if how.kind == "hearsay":
        return
    routes = play.rules.state.setdefault("proof", {}).setdefault(clue_id, [])
    route = {"kind": how.kind, "witness": how.witness, "item": how.item, "t": play.world.now}
    if not any((r["kind"], r["witness"], r["item"]) == (how.kind, how.witness, how.item)
               for r in routes):
        routes.append(route)


def proven(play: Play, clue_id: str) -> bool:
    return not proof_problem(play, clue_id)


def proof_problem(play: Play, clue_id: str) -> str:
    """Why this clue proves nothing right now, in a few words; '' when it does."""
    clue = play.notebook.clues.get(clue_id)
    if clue is None:
        return "that is not in your notebook"
    if not clue.get("counts", True):
        return "it leads nowhere"
    routes = play.rules.state.get("proof", {}).get(clue_id, [])
    problems = [_route_problem(play, r) for r in routes]
    if routes and "" in problems:
        return ""
    if problems:
        return problems[0]
    return _unproven(play, clue)


def _route_problem(play: Play, route: dict[str, Any]) -> str:
    w = play.world
    who = route.get("witness", "")
    if who and who != play.player and who in w.agents and not w.agents[who].alive:
        return f"{w.agents[who].name} is dead and cannot testify"
    item = route.get("item", "")
    if item and item in w.items and w.items[item].holder != play.player:
        return f"you would have to show {the(w.items[item].name)} itself, and you no longer " \
               "carry it"
    return ""


def _unproven(play: Play, clue: dict[str, Any]) -> str:
    kind, who = clue.get("kind", "physical"), clue.get("witness", "")
    name = play.world.agents[who].name if who in play.world.agents else ""
    if kind == "hearsay":
        return "it is hearsay: a lead, never proof. Find someone who knows it first-hand"
    if kind == "physical":
        return "you have not found it in this loop"
    if kind == "document":
        return "you have not read it in this loop"
    if kind == "lie":
        return f"{name or 'nobody'} has not lied to you in this loop"
    if who == play.player or not name:
        return "you have not seen it happen in this loop"
    return f"{name} has not told you so in this loop"


def describe(clue: dict[str, Any]) -> str:
    """'testimony: Rosa Finch' — the kind and source as the notebook shows them."""
    label = LABELS.get(clue.get("kind", ""), clue.get("kind", ""))
    source = clue.get("source", "")
    return f"{label}: {source}" if source else label
