"""Calendar time with minute resolution.

World time is an int: minutes since midnight of the scenario's first day. Integers
keep arithmetic exact and snapshots trivial; the calendar is only for display.
"""

from __future__ import annotations

import datetime as _dt

MINUTES_PER_HOUR = 60
HOURS_PER_DAY = 24
MINUTES_PER_DAY = HOURS_PER_DAY * MINUTES_PER_HOUR
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_START_DATE = "2026-03-02"  # a Monday; a spec without a start date begins here


def parse_hhmm(text: str) -> int:
    """'07:30' -> 450. Raises ValueError with a readable message."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected a time like '07:30', got {text!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours <= HOURS_PER_DAY and 0 <= minutes < MINUTES_PER_HOUR) \
            or (hours == HOURS_PER_DAY and minutes):
        raise ValueError(f"expected a time between 00:00 and 24:00, got {text!r}")
    return hours * MINUTES_PER_HOUR + minutes


def format_hhmm(minute_of_day: int) -> str:
    hours, minutes = divmod(minute_of_day, MINUTES_PER_HOUR)
    return f"{hours:02d}:{minutes:02d}"


class Calendar:
    """Maps world minutes to days, weekdays and dates."""

    def __init__(self, start_date: str = DEFAULT_START_DATE) -> None:
        self.start_date = _dt.date.fromisoformat(start_date)

    def day(self, t: int) -> int:
        return t // MINUTES_PER_DAY

    def minute_of_day(self, t: int) -> int:
        return t % MINUTES_PER_DAY

    def weekday(self, t: int) -> str:
        return WEEKDAYS[(self.start_date.weekday() + self.day(t)) % len(WEEKDAYS)]

    def date(self, t: int) -> _dt.date:
        return self.start_date + _dt.timedelta(days=self.day(t))

    def format(self, t: int) -> str:
        """'Day 3 (Wed 4 Mar), 14:05' — what players and chronicles show."""
        d = self.date(t)
        return (
            f"Day {self.day(t) + 1} ({self.weekday(t).capitalize()} {d.day} {d.strftime('%b')}), "
            f"{format_hhmm(self.minute_of_day(t))}"
        )

    def short(self, t: int) -> str:
        return f"D{self.day(t) + 1} {format_hhmm(self.minute_of_day(t))}"
