"""The player's commands and their outcomes: the plain data every front end hands the session.

A ``Command`` is what the timeline records and a replay re-applies, so it is canonical: ids,
never names, and absolute minutes, never "8pm". ``parse_time`` is the one place a time a
player typed becomes a minute of the world.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from game.engine.clock import MINUTES_PER_DAY, MINUTES_PER_HOUR, parse_hhmm

ASK_TOPICS = ("where", "person", "unusual", "item", "fact")
SKIP_KINDS = ("hours", "until", "tonight", "morning", "days", "event", "end")
MAX_TEXT = 500  # characters of free text a player may say at once
MAX_ACCUSED = 6  # culprits in one accusation


class CommandError(ValueError):
    """The player asked for something impossible; the message says why in one line."""


@dataclass
class Command:
    """One player action. ``target`` is a person, place or item; ``topic`` the kind of ask or
    skip; ``arg`` a person, item, fact or clue id, a time, or free text; ``minutes`` a duration
    (wait), a count (skip hours/days) or an absolute minute (skip until)."""

    verb: str
    target: str = ""
    topic: str = ""
    arg: str = ""
    minutes: int = 0
    extra: list[dict[str, str]] = field(default_factory=list)  # accusation entries

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, state: Any) -> Command:
        """Rebuild a recorded command; anything malformed raises CommandError, never worse."""
        if not isinstance(state, dict):
            raise CommandError("a recorded command is not a map")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in state if k not in known)
        if unknown:
            raise CommandError(f"a recorded command has unknown fields: {', '.join(unknown)}")
        for name in ("verb", "target", "topic", "arg"):
            if not isinstance(state.get(name, ""), str):
                raise CommandError(f"a recorded command's {name} is not text")
        minutes = state.get("minutes", 0)
        if type(minutes) is not int or abs(minutes) > 10**9:
            raise CommandError("a recorded command's minutes is not a whole number")
        extra = state.get("extra", [])
        if not isinstance(extra, list) or len(extra) > MAX_ACCUSED or not all(
                isinstance(e, dict) and all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in e.items()) for e in extra):
            raise CommandError("a recorded accusation is malformed")
        if not state.get("verb"):
            raise CommandError("a recorded command has no verb")
        return cls(state["verb"], state.get("target", ""), state.get("topic", ""),
                   state.get("arg", ""), minutes, [dict(e) for e in extra])


@dataclass
class Outcome:
    """What the player learns from one command: lines to show, new clue ids, what they
    witnessed meanwhile, who spoke, contradictions caught, and whether a skip was cut short."""

    lines: list[str]
    new_clues: list[str] = field(default_factory=list)
    witnessed: list[str] = field(default_factory=list)
    speaker: str = ""
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    cancelled: bool = False


_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_DAY = re.compile(r"^(?:day|d)?\s*(\d{1,3})$")
_NAMED = {"noon": 12 * MINUTES_PER_HOUR, "midday": 12 * MINUTES_PER_HOUR, "midnight": 0}
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
TIME_HELP = "a time like '20:00', '8pm', 'tue 10:00', 'yesterday 21:30' or '2 20:00' (loop day 2)"


def parse_clock(text: str) -> int:
    """'20:00', '8pm', '8:30 am', 'noon' -> minute of the day. Raises CommandError."""
    t = text.strip().lower()
    if t in _NAMED:
        return _NAMED[t]
    m = _CLOCK.match(t)
    if m is None:
        raise CommandError(f"expected {TIME_HELP}, got {text!r}")
    hours, minutes, half = int(m.group(1)), m.group(2), m.group(3)
    if half is not None:
        if not 1 <= hours <= 12:
            raise CommandError(f"{text!r} is not a time of day")
        hours = hours % 12 + (12 if half == "pm" else 0)
    elif minutes is None:
        raise CommandError(f"expected {TIME_HELP}, got {text!r}")
    try:
        minute = parse_hhmm(f"{hours:02d}:{minutes or '00'}")
    except ValueError:
        raise CommandError(f"{text!r} is not a time of day") from None
    if minute >= MINUTES_PER_DAY:
        raise CommandError(f"{text!r} is not a time of day (use 00:00 for midnight)")
    return minute


def parse_time(text: str, *, now: int, loop_start_day: int, weekday_of_day0: int,
               prefer: str = "past") -> int:
    """A time the player typed -> an absolute world minute. Raises CommandError.

    Forms: '20:00', '8pm' (today; with ``prefer='past'`` a time still to come means
    yesterday, with 'future' a time already gone means tomorrow), 'tue 10:00' (the nearest
    Tuesday in that direction), 'yesterday 21:30', 'tomorrow 7am', and '2 20:00',
    'day 2 20:00' (loop day 2, counted from 1). ``weekday_of_day0`` is the weekday index
    (Monday 0) of world day 0."""
    words = text.strip().lower().replace(",", " ").split()
    if not words:
        raise CommandError(f"expected {TIME_HELP}")
    today = now // MINUTES_PER_DAY
    day_words, clock_words = _split_day(words)
    minute = parse_clock(" ".join(clock_words))
    if not day_words:
        t = today * MINUTES_PER_DAY + minute
        if prefer == "past" and t > now:
            t -= MINUTES_PER_DAY
        elif prefer == "future" and t <= now:
            t += MINUTES_PER_DAY
        return t
    day_text = " ".join(day_words)
    if day_text in _RELATIVE:
        return (today + _RELATIVE[day_text]) * MINUTES_PER_DAY + minute
    wanted = _weekday(day_text)
    if wanted is not None:
        step = -1 if prefer == "past" else 1
        day = today
        while loop_start_day <= day <= today + 7:
            t = day * MINUTES_PER_DAY + minute
            right_way = t <= now if prefer == "past" else t > now
            if (weekday_of_day0 + day) % 7 == wanted and right_way:
                return t
            day += step
        raise CommandError(f"there is no {_FULL_WEEKDAYS[wanted].capitalize()} "
                           f"{'before now in this loop' if step < 0 else 'ahead'}")
    m = _DAY.match(day_text)
    if m is None:
        raise CommandError(f"expected {TIME_HELP}, got {text!r}")
    loop_day = int(m.group(1))
    if loop_day < 1:
        raise CommandError("loop days count from 1")
    return (loop_start_day + loop_day - 1) * MINUTES_PER_DAY + minute


def _split_day(words: list[str]) -> tuple[list[str], list[str]]:
    """Day words come first ('day 2', 'tue', 'yesterday'); the clock is the rest."""
    if words[0] in ("day", "d") and len(words) > 2:
        return words[:2], words[2:]
    if len(words) >= 2:
        if words[-1] in ("am", "pm") and len(words) >= 3:
            return words[:-2], words[-2:]
        if words[-1] in ("am", "pm"):
            return [], words
        return words[:-1], words[-1:]
    return [], words


_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(text: str) -> int | None:
    """'tue', 'tues', 'tuesday' -> 1; anything else -> None."""
    if len(text) < 3:
        return None
    return next((i for i, day in enumerate(_FULL_WEEKDAYS) if day.startswith(text)), None)


def parse_count(text: str, what: str, *, low: int, high: int) -> int:
    """A whole number the player typed, within [low, high]. Raises CommandError."""
    t = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,9}", t):
        raise CommandError(f"{what} must be a whole number, got {text!r}")
    value = int(t)
    if not low <= value <= high:
        raise CommandError(f"{what} must be between {low} and {high}, got {value}")
    return value
