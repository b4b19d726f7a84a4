"""The story-file format, as pydantic models. `hindsight schema` prints it as JSON Schema.

Times are "HH:MM" strings; ids are lowercase slugs. Only shape and types are
checked here; references between ids are cross-checked in ``validate``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from game.engine.clock import WEEKDAYS, parse_hhmm

from .conditions import Condition

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("expected an id: lowercase letters, digits and _, starting with a letter")
    return value


def _check_time(value: str) -> str:
    parse_hhmm(value)
    return value


def _check_span(value: str) -> str:
    parts = value.split("-")
    if len(parts) != 2:
        raise ValueError(f"expected opening hours like '08:00-18:00', got {value!r}")
    for p in parts:
        parse_hhmm(p)
    return value


def _check_date(value: str) -> str:
    """A real calendar day the loop can run from without leaving the calendar."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected a real date like '2026-03-02', got {value!r}") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {day.year}")
    return value


FIRST_YEAR, LAST_YEAR = 1, 9000
MAX_SEED = 2**63 - 1  # saves store the seed as a 64-bit integer

Id = Annotated[str, AfterValidator(_check_id)]
Time = Annotated[str, AfterValidator(_check_time)]
Span = Annotated[str, AfterValidator(_check_span)]
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily", "weekdays", "weekend"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioInfo(Strict):
    id: Id
    title: str
    intro: str
    version: str = "1.0"
    start_date: Annotated[str, AfterValidator(_check_date)] = Field(
        default="2026-03-02", pattern=r"^\d{4}-\d{2}-\d{2}$")
    start_time: Time = "07:00"
    loop_days: int = Field(ge=1, le=28)
    player: Id = Field(description="the character the player is: the victim")
    seed: int = Field(default=1, ge=0, le=MAX_SEED)
    jail: Id | None = Field(default=None, description="where proven culprits are held")
    law: list[Id] = Field(default_factory=list,
                          description="characters who act on evidence (constable, magistrate)")


class Location(Strict):
    id: Id
    name: str
    description: str = ""
    pos: tuple[float, float]
    kind: Literal["public", "private"] = "public"
    hours: list[Span] = Field(default_factory=list, description="empty: always open")
    owners: list[Id] = Field(default_factory=list)
    after_hours: Literal["staff", "guests"] = Field(
        default="staff", description="outside its hours (or when private): 'staff' lets in "
        "only owners, residents and those who work there; 'guests' also lets anyone in while "
        "one of them is inside")
    key: Id | None = Field(default=None, description="an item that opens this place at any "
                           "hour to whoever holds it (a locked door)")
    connections: dict[str, int] = Field(
        default_factory=dict, description="neighbour id -> travel minutes")


class Item(Strict):
    id: Id
    name: str
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    location: Id | None = None
    holder: Id | None = None
    reveals: list[Id] = Field(default_factory=list,
                              description="facts learned by whoever examines this item")


class RoutineEntry(Strict):
    days: list[DayName] = Field(min_length=1)
    start: Time
    end: Time
    location: Id
    activity: str


class Relationship(Strict):
    affinity: float = Field(ge=-1, le=1)
    label: str = ""


class Evidence(Strict):
    culprit: Id
    kind: Literal["motive", "means", "opportunity"]


class Secret(Strict):
    fact: Id = Field(description="the fact this secret protects")
    admit_when: Condition | None = Field(
        default=None, description="when the holder will admit it; never if omitted")
    deflect: str = Field(default="", description="what they say instead")


class Lie(Strict):
    """A lie the story allows: asked where they were, they name ``claim``."""

    about: Id = Field(description="the location they want to hide having been at")
    claim: Id = Field(description="the location they claim instead")
    when: Condition | None = Field(default=None, description="only while this holds")
    say: str = ""
    asked_between: tuple[Time, Time] | None = Field(
        default=None, description="only when the time asked about falls in this window of "
        "the day, e.g. ['18:00', '02:00'] for the evening of the murder")
    asked_from_day: int | None = Field(
        default=None, ge=1, description="only when the time asked about is on this loop day "
        "or later")


class Account(Strict):
    """A true account that still tells: asked where they were while really at ``location``,
    they say ``say`` (their own words, true), and the player notes it as testimony."""

    location: Id = Field(description="where they truly were")
    say: str = Field(default="", description="how they put it, in the first person")
    asked_between: tuple[Time, Time] | None = Field(
        default=None, description="only about times in this window of the day")
    evidence: list[Evidence] = Field(
        default_factory=list, description="what this true account proves (often opportunity)")


class Reaction(Strict):
    """A line said when the player tells or asks about ``fact`` while ``when`` holds."""

    fact: Id
    when: Condition | None = None
    say: str


class Voice(Strict):
    greeting: list[str] = Field(default_factory=list)
    farewell: list[str] = Field(default_factory=list)
    deflect: list[str] = Field(default_factory=list)
    accuse: list[str] = Field(default_factory=list)
    agree: list[str] = Field(default_factory=list)
    refuse: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)
    nothing_unusual: list[str] = Field(default_factory=list)


Pronouns = Literal["she/her", "he/him", "they/them"]


class Character(Strict):
    id: Id
    name: str
    persona: str = Field(description="what anyone in town may know of them")
    private: str = Field(default="", description="what only they know (never told the player)")
    traits: list[str] = Field(default_factory=list)
    role: str = ""
    home: Id
    work: Id | None = None
    wake: Time = "07:00"
    sleep: Time = "22:00"
    routine: list[RoutineEntry] = Field(default_factory=list)
    relationships: dict[str, Relationship] = Field(default_factory=dict)
    secrets: list[Secret] = Field(default_factory=list)
    lies: list[Lie] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    voice: Voice = Field(default_factory=Voice)
    portrait: str = Field(default="", description="image in assets/, optional")
    accounts: list[Account] = Field(
        default_factory=list, description="true accounts of where they were that tell")
    reactions: list[Reaction] = Field(
        default_factory=list, description="lines said when the player brings up a fact")
    pronouns: Pronouns = Field(
        default="they/them", description="how others speak of them: she/her, he/him, they/them")


class Event(Strict):
    """Something happening at a place, on one day of the loop, in a window of time."""

    place: Id = Field(description="the location it happens at")
    day: int = Field(ge=1, description="the day of the loop, counting from 1")
    start: Time
    end: Time = Field(description="may be after midnight, e.g. '18:00' to '01:00'")
    host: Id | None = Field(default=None, description="the character giving it; always goes")


class Fact(Strict):
    id: Id
    text: str
    importance: int = Field(default=5, ge=1, le=10)
    about: list[Id] = Field(default_factory=list)
    known_by: list[Id] = Field(default_factory=list)
    secret: bool = False
    confidants: list[Id] = Field(
        default_factory=list, description="who a secret fact may be told to; nobody if empty")
    volunteers: bool = Field(
        default=False, description="the people it incriminates would bring it up themselves")
    event: Event | None = Field(default=None, description="a party, meeting or market it "
                                "announces; those who hear of it decide whether to go")
    evidence: list[Evidence] = Field(default_factory=list)
    incriminates: list[Id] = Field(
        default_factory=list, description="whom the law starts watching when told this")
    witnesses: list[Id] | None = Field(
        default=None, description="who knows it first-hand and can testify to it; told by "
        "anyone else it is hearsay. Omitted: the characters in known_by")
    own_words: str = Field(
        default="", description="how the first of 'about' says it, in the first person")
    red_herring: bool = Field(
        default=False, description="looks like evidence and leads nowhere: noted, never proof")


AFTER_ACT = ("clean", "return", "hide", "go", "alibi")


class PlotStep(Strict):
    kind: Literal["acquire", "learn_routine", "recruit", "act",
                  "clean", "return", "hide", "go", "alibi"]
    item: Id | None = Field(default=None, description="acquire, clean, return, hide: which "
                            "means (default: the one used)")
    minutes: int | None = Field(default=None, ge=1, description="learn_routine: time spent "
                                "shadowing (60); clean (15), alibi (30): how long it takes")
    location: Id | None = Field(default=None, description="clean, hide, go, alibi: where "
                                "(clean: where they are; go: their home)")
    who: Id | None = Field(default=None, description="recruit: the accomplice")
    after: Time | None = Field(default=None, description="act: not before this time of day")
    before: Time | None = Field(default=None, description="act: not after this time of day")


class Plot(Strict):
    id: Id
    owner: Id
    victim: Id | None = Field(default=None, description="defaults to the player")
    motive: str
    motive_holds: Condition | None = Field(
        default=None, description="the plot is dropped when this stops holding")
    trigger: Condition | None = Field(default=None, description="when the plot starts")
    abandon: Condition | None = None
    accomplices: list[Id] = Field(default_factory=list)
    means: list[Id] = Field(min_length=1, description="items that can kill")
    steps: list[PlotStep] = Field(min_length=1)
    cause: str = Field(default="", description="how the victim dies, for the death record")


class Clue(Strict):
    id: Id
    text: str
    kind: Literal["physical", "document"] = Field(
        default="physical", description="physical: the state of a place or thing; document: "
        "something written")
    location: Id | None = Field(default=None, description="searching here can find it")
    when: Condition | None = Field(default=None, description="only findable while this holds")
    reveals: list[Id] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    red_herring: bool = Field(
        default=False, description="looks like evidence and leads nowhere: noted, never proof")


class Ending(Strict):
    id: Id
    title: str
    when: Condition
    text: str
    true_ending: bool = False


class Story(Strict):
    scenario: ScenarioInfo
    locations: list[Location] = Field(min_length=1)
    items: list[Item] = Field(default_factory=list)
    characters: list[Character] = Field(min_length=1)
    facts: list[Fact] = Field(default_factory=list)
    plots: list[Plot] = Field(default_factory=list)
    clues: list[Clue] = Field(default_factory=list)
    endings: list[Ending] = Field(default_factory=list)


def expand_days(days: Sequence[str]) -> list[str]:
    out: list[str] = []
    for d in days:
        if d == "daily":
            out.extend(WEEKDAYS)
        elif d == "weekdays":
            out.extend(WEEKDAYS[:5])
        elif d == "weekend":
            out.extend(WEEKDAYS[5:])
        else:
            out.append(d)
    return list(dict.fromkeys(out))
