"""Synthetic towns of N agents and M locations, for tests and benchmarks.

The generator uses its own ``random.Random(seed)`` only to *build the spec*; the
world it feeds still owns the one RNG that drives the simulation.
"""

from __future__ import annotations

import random
from typing import Any

from .clock import WEEKDAYS

ACTIVITIES = ("working", "trading", "cooking", "mending nets", "reading", "tending the garden")


def synthetic_spec(n_agents: int, n_locations: int, seed: int = 0,
                   n_facts: int | None = None) -> dict[str, Any]:
    if n_locations < 2:
        raise ValueError("a synthetic town needs at least 2 locations")
    gen = random.Random(seed)
    n_public = max(1, n_locations // 2)
    locations = []
    for i in range(n_locations):
        public = i < n_public
        locations.append({
            "id": f"loc{i}", "name": f"{'Square' if public else 'House'} {i}",
            "kind": "public" if public else "private",
            "pos": [gen.uniform(0, 100), gen.uniform(0, 100)],
            "hours": [[6 * 60, 23 * 60]] if public and i % 3 == 1 else [],
            "owners": [],
        })
    connections = [[f"loc{i}", f"loc{i + 1}", gen.randint(5, 20)] for i in range(n_locations - 1)]
    for _ in range(n_locations):
        a, b = gen.sample(range(n_locations), 2)
        connections.append([f"loc{a}", f"loc{b}", gen.randint(5, 30)])
    homes = [loc["id"] for loc in locations[n_public:]] or [locations[0]["id"]]
    works = [loc["id"] for loc in locations[:n_public]]
    agents: list[dict[str, Any]] = []
    for i in range(n_agents):
        home, work = homes[i % len(homes)], gen.choice(works)
        lunch = gen.choice(works)
        agents.append({
            "id": f"a{i}", "name": f"Agent {i}", "persona": "a townsperson",
            "role": "worker", "home": home, "work": work,
            "routine": [
                {"days": list(WEEKDAYS[:6]), "start": 8 * 60, "end": 12 * 60,
                 "location": work, "activity": gen.choice(ACTIVITIES)},
                {"days": list(WEEKDAYS), "start": 12 * 60, "end": 13 * 60,
                 "location": lunch, "activity": "eating lunch"},
                {"days": list(WEEKDAYS[:6]), "start": 13 * 60, "end": 17 * 60,
                 "location": work, "activity": gen.choice(ACTIVITIES)},
                {"days": list(WEEKDAYS), "start": 18 * 60, "end": 20 * 60,
                 "location": gen.choice(works), "activity": "socialising"},
            ],
            "relationships": {},
            "wake": 6 * 60 + gen.randint(0, 90), "sleep": 21 * 60 + gen.randint(0, 120),
        })
    for i, agent in enumerate(agents):
        for j in gen.sample(range(n_agents), min(n_agents - 1, 4)):
            if j != i:
                agent["relationships"][f"a{j}"] = {"affinity": round(gen.uniform(-0.5, 1.0), 2),
                                                   "label": "neighbour"}
    n_facts = n_agents // 2 + 1 if n_facts is None else n_facts
    facts = [{"id": f"f{i}", "text": f"rumour number {i} about the harbour",
              "importance": gen.randint(3, 9), "about": [],
              "known_by": [f"a{gen.randrange(n_agents)}"]} for i in range(n_facts)]
    return {"start_date": "2026-03-02", "start_time": 6 * 60, "locations": locations,
            "connections": connections, "items": [], "facts": facts, "agents": agents}
