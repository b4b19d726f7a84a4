"""The player's notebook: the knowledge that survives every rewind.

Clues, testimonies, contradictions and deaths are keyed by stable ids so the same
discovery made in two loops is one entry, remembered with the loop it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONTRADICTION_WINDOW = 45  # minutes: two claims this close in time must agree


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
                 evidence: list[dict[str, str]] | None = None, source: str = "") -> bool:
        if clue_id in self.clues:
            return False
        self.clues[clue_id] = {"id": clue_id, "text": text, "loop": loop, "t": t,
                               "evidence": list(evidence or []), "source": source}
        return True

    def add_fact(self, fact_id: str) -> bool:
        if fact_id in self.facts:
            return False
        self.facts.append(fact_id)
        return True

    def add_testimony(self, entry: dict[str, Any]) -> list[dict[str, Any]]:
        """Store a testimony; returns the contradictions it creates with earlier ones."""
        entry = dict(entry, id=len(self.testimonies))
        found: list[dict[str, Any]] = []
        for claim in entry["claims"]:
            for other in self.testimonies:
                if other["loop"] != entry["loop"]:
                    continue
                for c in other["claims"]:
                    if c[0] == claim[0] and abs(c[2] - claim[2]) <= CONTRADICTION_WINDOW \
                            and c[1] != claim[1]:
                        found.append({"id": len(self.contradictions) + len(found),
                                      "subject": claim[0], "t": claim[2],
                                      "a": other["id"], "b": entry["id"],
                                      "a_says": c[1], "b_says": claim[1],
                                      "loop": entry["loop"]})
        for claim in entry["claims"]:
            for loop, subject, location, t in self.sightings:
                if loop == entry["loop"] and subject == claim[0] and location != claim[1] \
                        and abs(t - claim[2]) <= CONTRADICTION_WINDOW:
                    found.append({"id": len(self.contradictions) + len(found),
                                  "subject": subject, "t": claim[2], "a": None,
                                  "b": entry["id"], "a_says": location, "b_says": claim[1],
                                  "loop": loop, "against": "your own eyes"})
                    break
        self.testimonies.append(entry)
        self.contradictions.extend(found)
        return found

    def add_sighting(self, loop: int, subject: str, location: str, t: int) -> None:
        """What the player saw with their own eyes: the evidence testimony is held to."""
        self.sightings.append([loop, subject, location, t])

    def to_state(self) -> dict[str, Any]:
        return {"clues": self.clues, "facts": self.facts, "testimonies": self.testimonies,
                "contradictions": self.contradictions, "deaths": self.deaths,
                "accusations": self.accusations, "sightings": self.sightings}

    @classmethod
    def from_state(cls, s: dict[str, Any]) -> Notebook:
        return cls(dict(s["clues"]), list(s["facts"]), list(s["testimonies"]),
                   list(s["contradictions"]), list(s["deaths"]), list(s["accusations"]),
                   list(s.get("sightings", [])))
