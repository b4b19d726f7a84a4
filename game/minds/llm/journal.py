"""What the mind has spent and asked for, kept so that a rewind can undo it.

When the player rewinds, the mind must forget the quota it used, the social decisions
it asked for, and the plans and thoughts it fetched after that moment; otherwise the
same moments, played again, would take a different path and replay would not be
exact. Every such change is one entry in a journal, undone newest first.
"""

from __future__ import annotations

import concurrent.futures
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .resolver import Request


@dataclass
class Thought:
    """A decision asked for at one decision point and acted on at the next."""

    request: Request
    result: Any  # the answer once known (record, cache, or arrived)
    future: concurrent.futures.Future[Any] | None  # the batch it went out in, if any
    part: int | None  # its index in that batch
    deadline: float
    logged: bool = False


class Journal:
    """Daily call quotas, one social decision per plan block, prefetched plans and
    thoughts in flight, each change journaled with the world minute it happened at."""

    def __init__(self, calls_per_agent_day: int, decisions_per_agent_day: int) -> None:
        self.calls_per_agent_day = calls_per_agent_day
        self.decisions_per_agent_day = decisions_per_agent_day
        self.used: Counter[str] = Counter()  # "agent|day|kind" and "agent|day" quotas
        self.asked: set[str] = set()  # "agent|block start", "day|n": asked once
        self.entries: list[tuple[int, str, str]] = []  # (time, what, key)
        self.plans: dict[str, tuple[str, Any]] = {}  # "agent|day" -> (request hash, answer)
        self.thoughts: dict[str, Thought] = {}  # "agent|time" -> a decision in flight
        self.open: dict[str, str] = {}  # agent -> key of its unconsumed thought

    def charge(self, now: int, day: int, agent_id: str, kind: str) -> bool:
        """Take one call from the agent's daily quota; False if it is spent."""
        key = f"{agent_id}|{day}"
        if self.used[key] >= self.calls_per_agent_day:
            return False
        if kind == "decide" and self.used[f"{key}|decide"] >= self.decisions_per_agent_day:
            return False
        for k in (key, f"{key}|{kind}"):
            self.used[k] += 1
            self.entries.append((now, "used", k))
        return True

    def ask(self, now: int, marker: str) -> None:
        """Note that ``marker`` (a plan block, a day's plans) has been asked about."""
        self.asked.add(marker)
        self.entries.append((now, "asked", marker))

    def keep_plan(self, now: int, key: str, request_hash: str, answer: Any) -> None:
        self.plans[key] = (request_hash, answer)
        self.entries.append((now, "plan", key))

    def think(self, now: int, agent_id: str, thought: Thought) -> None:
        """File a decision in flight; the agent acts on it at its next decision."""
        key = f"{agent_id}|{now}"
        self.thoughts[key] = thought
        self.open[agent_id] = key
        self.entries.append((now, "think", key))

    def consume(self, now: int, agent_id: str) -> Thought | None:
        """The agent's unconsumed thought, if any, now taken."""
        key = self.open.pop(agent_id, None)
        if key is None:
            return None
        self.entries.append((now, "consume", key))
        return self.thoughts[key]

    def rewind(self, time: int) -> None:
        """Undo every entry made after world ``time``."""
        while self.entries and self.entries[-1][0] > time:
            _, what, key = self.entries.pop()
            if what == "used":
                self.used[key] -= 1
            elif what == "plan":
                self.plans.pop(key, None)
            elif what == "think":
                self.thoughts.pop(key, None)
                agent = key.split("|")[0]
                if self.open.get(agent) == key:
                    del self.open[agent]
            elif what == "consume":
                self.open[key.split("|")[0]] = key
            else:
                self.asked.discard(key)
