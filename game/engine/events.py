"""The event log: everything that happened, with a stable chained hash.

Each event is hashed as canonical JSON (sorted keys, no spaces) chained onto the
previous digest, so two runs agree on the hash only if they agree on every event
in order. The hash is what determinism tests, replays and saves compare.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    t: int
    kind: str
    actor: str
    location: str
    data: dict[str, Any]

    def to_state(self) -> list[Any]:
        return [self.seq, self.t, self.kind, self.actor, self.location, self.data]

    @classmethod
    def from_state(cls, s: list[Any]) -> Event:
        return cls(s[0], s[1], s[2], s[3], s[4], s[5])


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces; one shared encoder, as every event is hashed through it."""
    return _CANONICAL.encode(value)


@dataclass
class EventLog:
    events: list[Event] = field(default_factory=list)
    digest: str = "0" * 64
    listeners: list[Callable[[Event], None]] = field(default_factory=list)

    def append(self, t: int, kind: str, actor: str, location: str,
               data: dict[str, Any] | None = None) -> Event:
        event = Event(len(self.events), t, kind, actor, location, data or {})
        self.events.append(event)
        payload = (self.digest + canonical_json(event.to_state())).encode()
        self.digest = hashlib.sha256(payload).hexdigest()
        for listener in self.listeners:
            listener(event)
        return event

    def __len__(self) -> int:
        return len(self.events)

    def to_state(self) -> dict[str, Any]:
        return {"events": [e.to_state() for e in self.events], "digest": self.digest}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> EventLog:
        return cls(events=[Event.from_state(e) for e in state["events"]], digest=state["digest"])
