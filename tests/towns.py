"""Small engine towns built as plain specs, for tests of the town's mechanics."""

from __future__ import annotations

from typing import Any

from game.engine.clock import WEEKDAYS

H = 60


def person(aid: str, routine: list[tuple[int, int, str, str]], **extra: Any) -> dict[str, Any]:
    """An agent living at ``h_<id>``; routine entries are (start, end, place, activity) in
    minutes of the day, every day."""
    return {
        "id": aid, "name": aid.capitalize(), "home": f"h_{aid}",
        "routine": [{"days": list(WEEKDAYS), "start": s, "end": e, "location": loc,
                     "activity": act} for s, e, loc, act in routine],
        "wake": 7 * H, "sleep": 22 * H, "relationships": {}, **extra,
    }


def town(agents: list[dict[str, Any]], public: list[str], **extra: Any) -> dict[str, Any]:
    """Private homes and always-open public places, all five minutes from the first place."""
    homes = [{"id": a["home"], "kind": "private", "owners": [a["id"]]} for a in agents]
    locations = homes + [{"id": p, "name": p.capitalize(), "kind": "public"} for p in public]
    hub = public[0]
    connections = [[loc["id"], hub, 5] for loc in locations if loc["id"] != hub]
    return {"start_date": "2026-03-02", "start_time": 6 * H, "locations": locations,
            "connections": connections, "items": [], "facts": [], "agents": agents, **extra}
