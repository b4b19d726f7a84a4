"""The player's notebook: the knowledge that survives every rewind.

Clues, testimonies, contradictions and deaths are keyed by stable ids, so the same
discovery made in two loops is one entry. Every clue carries its kind (see ``evidence``)
and its source; meeting a clue again through a stronger source (a witness, after the
rumour) updates what the notebook shows. Whether a clue proves anything is a question for
the world the player is in now, not for the notebook (``evidence.proof_problem``).
The player refers to clues by their number in the notebook: clue 1 is the first found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Which source a clue shows when the player meets it more than once (see evidence.KINDS).
_STRENGTH = {"hearsay": 0, "testimony": 1, "document": 2, "physical": 2, "witnessed": 3,
             "lie": 3}


@dataclass
class Notebook:
    clues: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: list[str] = field(default_factory=list)
    testimonies: list[dict[str, Any]] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    deaths: list[dict[str, Any]] = field(default_factory=list)
    accusations: list[dict[str, Any]] = field(default_factory=list)
    sightings: list[list[Any]] = field(default_factory=list)  # [loop, subject, location, t]

    def add_clue(self, clue_id: str, text: str, loop: int, t: int,
                 evidence: list[dict[str, str]] | None = None, source: str = "",
                 kind: str = "physical", witness: str = "", counts: bool = True) -> bool:
        """Note a clue; True if it is new. A clue met again through a stronger source
        shows that source from now on."""
        old = self.clues.get(clue_id)
        if old is not None:
            if _STRENGTH.get(kind, 0) > _STRENGTH.get(old.get("kind", ""), 0):
                old.update(kind=kind, source=source, witness=witness)
            return False
        self.clues[clue_id] = {"id": clue_id, "text": text, "loop": loop, "t": t,
                               "evidence": list(evidence or []), "source": source,
                               "kind": kind, "witness": witness, "counts": counts}
        return True

    def number(self, clue_id: str) -> int:
        """The clue's number as the player sees it (1 for the first clue)."""
        return list(self.clues).index(clue_id) + 1

    def by_number(self, number: int) -> str | None:
        ids = list(self.clues)
        return ids[number - 1] if 1 <= number <= len(ids) else None

    def add_fact(self, fact_id: str) -> bool:
        if fact_id in self.facts:
            return False
        self.facts.append(fact_id)
        return True

    def add_testimony(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Store a testimony and return it with its id."""
        entry = dict(entry, id=len(self.testimonies))
        self.testimonies.append(entry)
        return entry

    def add_sighting(self, loop: int, subject: str, location: str, t: int) -> None:
        """What the player saw with their own eyes: the evidence testimony is held to."""
        self.sightings.append([loop, subject, location, t])

    def to_state(self) -> dict[str, Any]:
        return {"clues": self.clues, "facts": self.facts, "testimonies": self.testimonies,
                "contradictions": self.contradictions, "deaths": self.deaths,
                "accusations": self.accusations, "sightings": self.sightings}

    @classmethod
    def from_state(cls, s: dict[str, Any]) -> Notebook:
        clues = {cid: {"kind": "physical", "witness": "", "counts": True, **c}
                 for cid, c in dict(s["clues"]).items()}
        return cls(clues, list(s["facts"]), list(s["testimonies"]),
                   list(s["contradictions"]), list(s["deaths"]), list(s["accusations"]),
                   list(s.get("sightings", [])))
