"""Catching a lie: only when someone's account of themselves cannot be true.

Every honest claim an answer makes ("I was at the brewery at 09:00", "I saw Pim there at
08:40") is a point its speaker's memory makes true, and so is everything the player saw.
Two true points about one person can always be joined by walking, so a person's own
account contradicts a true point only if the two places are further apart than the time
between them allows. That is the one test here. It never compares a claim with a guess,
never compares two third-party claims, and makes allowance for the law carrying someone
to jail; so the only accounts it can catch are false ones, and the only false accounts
the town gives are the lies its story allows.
"""

from __future__ import annotations

from typing import Any

from game.engine.world import World

from .play import Play

Claim = list[Any]  # [subject, location, minute]


def _apart(world: World, a: str, b: str) -> int:
    """The fewest minutes between two places (unreachable: forever)."""
    minutes = world.travel_time(a, b)
    return minutes if minutes is not None else 10**9


def impossible(play: Play, own: Claim, other: Claim) -> bool:
    """Can ``own`` (a person's account of themselves) and ``other`` (a true point about the
    same person) not both be true?"""
    subject, here, t = own
    _, there, t2 = other
    if here == there or subject != other[0]:
        return False
    taken = play.rules.state.get("arrest_times", {}).get(subject)
    if taken is not None and min(t, t2) < taken <= max(t, t2):
        return False  # the law moved them; walking times say nothing across that
    return abs(t - t2) < _apart(play.world, here, there)


def contradictions(play: Play, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Contradictions the new testimony ``entry`` makes with what this loop already holds."""
    nb = play.notebook
    found: list[dict[str, Any]] = []
    own_topic = entry["topic"] == "where"
    for claim in entry["claims"]:
        mine = own_topic and claim[0] == entry["speaker"]
        for other in nb.testimonies:
            if other["loop"] != entry["loop"] or other["id"] == entry["id"]:
                continue
            other_own = other["topic"] == "where"
            for c in other["claims"]:
                if c[0] != claim[0]:
                    continue
                if mine and impossible(play, claim, c):
                    found.append(_record(play, claim, c, other["id"], entry["id"]))
                elif other_own and c[0] == other["speaker"] and impossible(play, c, claim):
                    found.append(_record(play, c, claim, entry["id"], other["id"]))
        if not mine:
            continue
        for loop, subject, location, t in nb.sightings:
            seen = [subject, location, t]
            if loop == entry["loop"] and impossible(play, claim, seen):
                found.append(_record(play, claim, seen, None, entry["id"]))
                break
    unique: dict[tuple[Any, ...], dict[str, Any]] = {}
    for c in found:
        unique.setdefault((c["subject"], c["t"], c["a_says"], c["b_says"]), c)
    out = list(unique.values())
    for i, c in enumerate(out):
        c["id"] = len(nb.contradictions) + i
    nb.contradictions.extend(out)
    return out


def _record(play: Play, own: Claim, other: Claim, by: int | None, liar_said: int
            ) -> dict[str, Any]:
    """``liar_said``: the testimony holding the false account; ``by``: the one that showed
    it false (None: the player's own eyes)."""
    return {"id": 0, "subject": own[0], "t": own[2], "a": by, "b": liar_said,
            "a_says": other[1], "b_says": own[1], "seen_at": other[2], "loop": play.loop,
            "against": "your own eyes" if by is None else ""}
