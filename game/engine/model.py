"""The things a world is made of: locations, items, facts and agents.

Static description (names, personas, routines) and dynamic state (where an agent
is, what it knows) live on the same objects; ``to_state``/``from_state`` carry only
what changes, while the static part is rebuilt from the world spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .clock import MINUTES_PER_DAY, MINUTES_PER_HOUR
from .memory import MemoryStream

# What a spec may leave out. Times are minutes of the day.
DEFAULT_WAKE = 7 * MINUTES_PER_HOUR
DEFAULT_SLEEP = 22 * MINUTES_PER_HOUR
DEFAULT_FACT_IMPORTANCE = 5  # of 1-10: how readily a fact is passed on


def in_day_window(minute_of_day: int, start: int, end: int) -> bool:
    """``start <= m < end`` on a clock face: an ``end`` at or before ``start`` wraps past
    midnight."""
    if end > start:
        return start <= minute_of_day < end
    return minute_of_day >= start or minute_of_day < end


@dataclass
class Location:
    id: str
    name: str
    kind: str = "public"  # "public" or "private"
    description: str = ""
    pos: tuple[float, float] = (0.0, 0.0)
    hours: list[tuple[int, int]] = field(default_factory=list)  # empty: always open
    owners: list[str] = field(default_factory=list)
    after_hours: str = "staff"  # "staff": only insiders; "guests": anyone while one is inside
    key: str | None = None  # an item whose holder may enter at any hour

    def is_open(self, minute_of_day: int) -> bool:
        if not self.hours:
            return True
        for start, end in self.hours:
            if start <= minute_of_day < end or start <= minute_of_day + MINUTES_PER_DAY < end:
                return True
        return False


@dataclass
class Item:
    id: str
    name: str
    tags: tuple[str, ...] = ()
    description: str = ""
    location: str | None = None
    holder: str | None = None


@dataclass(frozen=True)
class Gathering:
    """A fact's event: something happening at a place on one day, in a window, with a host.
    ``day`` counts from 0 (the loop's first day); ``start``/``end`` are minutes of that day
    (``end`` may pass midnight)."""

    place: str
    day: int
    start: int
    end: int
    host: str = ""

    @property
    def begins(self) -> int:
        return self.day * MINUTES_PER_DAY + self.start

    @property
    def ends(self) -> int:
        return self.day * MINUTES_PER_DAY + self.end


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    importance: int = DEFAULT_FACT_IMPORTANCE
    about: tuple[str, ...] = ()
    secret: bool = False
    incriminates: tuple[str, ...] = ()  # whom it puts under suspicion: their stake in silence
    confidants: tuple[str, ...] = ()  # a secret may be told to these, and to nobody else
    volunteers: bool = False  # the people it incriminates would still bring it up
    event: Gathering | None = None


@dataclass
class Relationship:
    affinity: float
    label: str = ""


@dataclass(frozen=True)
class RoutineEntry:
    days: tuple[str, ...]  # weekday keys, e.g. ("mon", "tue")
    start: int  # minute of day
    end: int
    location: str
    activity: str


@dataclass(frozen=True)
class PlanBlock:
    start: int  # absolute world minutes
    end: int
    location: str
    activity: str
    reason: str = "routine"

    def to_state(self) -> list[Any]:
        return [self.start, self.end, self.location, self.activity, self.reason]


@dataclass
class Agent:
    id: str
    name: str
    index: int
    persona: str = ""  # what anyone may know of them
    private: str = ""  # what only they know: never in a prompt that answers the player
    traits: tuple[str, ...] = ()
    role: str = ""
    home: str = ""
    work: str = ""
    routine: tuple[RoutineEntry, ...] = ()
    goals: tuple[str, ...] = ()
    voice: dict[str, list[str]] = field(default_factory=dict)
    is_player: bool = False
    wake: int = DEFAULT_WAKE
    sleep: int = DEFAULT_SLEEP
    memory: MemoryStream = field(default_factory=MemoryStream)
    # dynamic state
    relationships: dict[str, Relationship] = field(default_factory=dict)
    location: str | None = None
    travel_to: str | None = None
    activity: str = ""
    action: dict[str, Any] | None = None
    action_end: int = 0
    plan: list[PlanBlock] = field(default_factory=list)
    plan_day: int = -1
    known_facts: dict[str, list[Any]] = field(default_factory=dict)  # id -> [t, source]
    told: dict[str, list[str]] = field(default_factory=dict)  # fact id -> listeners
    intentions: list[dict[str, Any]] = field(default_factory=list)
    last_talk: dict[str, int] = field(default_factory=dict)
    alive: bool = True
    asleep: bool = False
    controlled: bool = False  # driven from outside (the player), never by a mind
    version: int = 0  # bumps when the pending decision is replaced
    reflect_due: bool = False

    def awake_at(self, minute_of_day: int) -> bool:
        """Whether ``minute_of_day`` falls between waking and bedtime; a bedtime at or
        before the waking time is after midnight (sleep "01:30" keeps them up till then)."""
        return in_day_window(minute_of_day, self.wake, self.sleep)

    def affinity(self, other: str) -> float:
        rel = self.relationships.get(other)
        return rel.affinity if rel else 0.0

    def knows(self, fact_id: str) -> bool:
        return fact_id in self.known_facts

    def to_state(self) -> dict[str, Any]:
        return {
            "relationships": {k: [r.affinity, r.label] for k, r in self.relationships.items()},
            "location": self.location,
            "travel_to": self.travel_to,
            "activity": self.activity,
            "action": dict(self.action) if self.action else None,
            "action_end": self.action_end,
            "plan": [b.to_state() for b in self.plan],
            "plan_day": self.plan_day,
            "known_facts": {k: list(v) for k, v in self.known_facts.items()},
            "told": {k: list(v) for k, v in self.told.items()},
            "intentions": [dict(i) for i in self.intentions],
            "last_talk": dict(self.last_talk),
            "alive": self.alive,
            "asleep": self.asleep,
            "controlled": self.controlled,
            "version": self.version,
            "reflect_due": self.reflect_due,
            "memory": self.memory.to_state(),
        }

    def load_state(self, s: dict[str, Any]) -> None:
        self.relationships = {k: Relationship(v[0], v[1]) for k, v in s["relationships"].items()}
        self.location = s["location"]
        self.travel_to = s["travel_to"]
        self.activity = s["activity"]
        self.action = s["action"]
        self.action_end = s["action_end"]
        self.plan = [PlanBlock(*b) for b in s["plan"]]
        self.plan_day = s["plan_day"]
        # in the order they were learnt, whatever order the save kept (``social.news``)
        self.known_facts = {k: list(v) for k, v in sorted(
            s["known_facts"].items(), key=lambda item: item[1][0])}
        self.told = {k: list(v) for k, v in s["told"].items()}
        self.intentions = [dict(i) for i in s["intentions"]]
        self.last_talk = dict(s["last_talk"])
        self.alive = s["alive"]
        self.asleep = s["asleep"]
        self.controlled = s["controlled"]
        self.version = s["version"]
        self.reflect_due = s["reflect_due"]
        self.memory = MemoryStream.from_state(s["memory"], self.memory.weights)
