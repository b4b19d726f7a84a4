"""The player's verbs, as a table keyed by verb.

Each verb has two halves. ``prepare`` checks a command and turns what the player typed into
ids and absolute minutes; it never spends game time, so a bad command costs nothing.
``run`` performs the canonical command. The session only looks a verb up, prepares, runs,
records and snapshots. A new verb is one function pair and one line in ``VERBS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.commands import SKIP_KINDS, Command, CommandError, Outcome, parse_count
from game.engine.actions import MOVE, TAKE, TAKE_MINUTES, WAIT, WAIT_MINUTES, Action
from game.engine.clock import MINUTES_PER_DAY, MINUTES_PER_HOUR

from . import accusation, talk
from .clues import collect_witnessed, learn_fact, search_here
from .evidence import Provenance
from .lookup import Lookup
from .play import Play
from .wording import capitalised, the

MINUTES = {"search": 20}
DEFAULT_WAIT = 30
MAX_WAIT = 12 * MINUTES_PER_HOUR
TONIGHT = 21 * MINUTES_PER_HOUR
MORNING = 7 * MINUTES_PER_HOUR
EVENT_MIN_IMPORTANCE = 4  # "skip event" stops at the first memory this important

Prepare = Callable[[Play, Lookup, Command], Command]
Run = Callable[[Play, Command], Outcome]


@dataclass(frozen=True)
class Verb:
    prepare: Prepare
    run: Run


# --------------------------------------------------------------------- movement and time
def prepare_go(play: Play, look: Lookup, cmd: Command) -> Command:
    place = look.place(cmd.target)
    w = play.world
    loc = w.locations[place]
    if place == play.here():
        raise CommandError(f"you are already at {loc.name}")
    minutes = w.travel_time(play.here(), place)
    if minutes is None:
        raise CommandError(f"there is no way to {loc.name} from here")
    if not w.may_enter(play.me, place, w.now + minutes):
        why = "private" if loc.kind == "private" else "closed at that hour"
        raise CommandError(f"{loc.name} is {why}")
    return Command("go", target=place)


def run_go(play: Play, cmd: Command) -> Outcome:
    w = play.world
    minutes = w.travel_time(play.here(), cmd.target) or 1
    play.spend(Action(MOVE, cmd.target, duration=max(1, minutes)))
    people = ", ".join(a.name for a in w.present(play.here(), exclude=play.player)) or "nobody"
    return Outcome([f"You walk to {w.locations[cmd.target].name} ({minutes} min). "
                    f"Here: {people}."])


def prepare_wait(play: Play, look: Lookup, cmd: Command) -> Command:
    minutes = cmd.minutes if cmd.minutes or cmd.arg else DEFAULT_WAIT
    if cmd.arg:
        minutes = parse_count(cmd.arg, "minutes to wait", low=1, high=MAX_WAIT)
    if not 1 <= minutes <= MAX_WAIT:
        raise CommandError(f"wait between 1 and {MAX_WAIT} minutes, not {minutes}")
    return Command("wait", minutes=minutes)


def run_wait(play: Play, cmd: Command) -> Outcome:
    play.world.perform(play.player, Action(WAIT, play.here(), duration=WAIT_MINUTES))
    play.run_to(play.world.now + cmd.minutes)
    return Outcome([f"You wait {cmd.minutes} minutes."])


def prepare_skip(play: Play, look: Lookup, cmd: Command) -> Command:
    kind = cmd.topic.strip().lower()
    if kind not in SKIP_KINDS:
        raise CommandError(f"skip how far? one of: {', '.join(SKIP_KINDS)}")
    loop_days = play.mystery["loop_days"]
    value = cmd.minutes
    if kind in ("hours", "days"):
        high = loop_days * (24 if kind == "hours" else 1)
        if cmd.arg:
            value = parse_count(cmd.arg, f"{kind} to skip", low=1, high=high)
        elif not value:
            value = 1
        if not 1 <= value <= high:
            raise CommandError(f"skip between 1 and {high} {kind}, not {value}")
    elif kind == "until":
        w = play.world
        if cmd.arg:
            value = play.parse_time(cmd.arg, prefer="future")
        if value <= w.now:
            raise CommandError(f"{w.calendar.format(value)} has already passed")
    else:
        value = 0
    return Command("skip", topic=kind, minutes=value)


def skip_target(play: Play, kind: str, value: int) -> int:
    """The minute a skip aims for (the loop's end caps it)."""
    now = play.world.now
    day = now // MINUTES_PER_DAY
    if kind == "hours":
        target = now + value * MINUTES_PER_HOUR
    elif kind == "until":
        target = value
    elif kind == "tonight":
        target = day * MINUTES_PER_DAY + TONIGHT
        target = target if target > now else target + MINUTES_PER_DAY
    elif kind == "morning":
        target = (day + 1) * MINUTES_PER_DAY + MORNING
    elif kind == "days":
        target = now + value * MINUTES_PER_DAY
    else:  # event, end
        target = play.loop_end
    return min(target, play.loop_end)


def run_skip(play: Play, cmd: Command) -> Outcome:
    """Let the town (and the player's own routine) run. A cancelled skip is rewritten in
    ``cmd`` as 'until' the minute it stopped, so the timeline replays what happened."""
    w, me = play.world, play.me
    target = skip_target(play, cmd.topic, cmd.minutes)
    start_mem = len(me.memory)
    cancel = play.hooks.cancel

    def should_stop() -> bool:
        if cmd.topic == "event" and any(
                n.importance >= EVENT_MIN_IMPORTANCE for n in me.memory.nodes[start_mem:]
                if n.kind != "plan" and n.subject != play.player):
            return True
        return cancel is not None and cancel()

    w.set_controlled(play.player, False)
    cancelled = False
    try:
        done = play.run_to(target, should_stop=should_stop)
        cancelled = not done and cancel is not None and cancel()
        while me.alive and me.location is None:  # finish the walk the routine began
            w.run_until(w.next_decision_time() or w.now + 1)
    finally:
        if me.alive:
            w.set_controlled(play.player, True)
            w.finish_travel(play.player)
    if cancelled:
        cmd.topic, cmd.minutes = "until", w.now
    return Outcome([f"Time passes... it is now {w.calendar.format(w.now)}."],
                   cancelled=cancelled)


# --------------------------------------------------------------------- things
def run_search(play: Play, cmd: Command) -> Outcome:
    here = play.here()
    play.spend(Action("search", "", duration=MINUTES["search"]))
    w = play.world
    lines = [f"You search {w.locations[here].name}."]
    if not play.me.alive:  # the search ran into the murder: it stops there, finding nothing
        return Outcome(lines)
    found_lines, found = search_here(play)
    lines += found_lines
    items = [i.name for i in w.items.values() if i.location == here and i.holder is None]
    if items:
        lines.append("Items here: " + ", ".join(items))
    lines += [f"The body of {a.name} lies here." for a in w.order
              if not a.alive and a.location == here]
    if len(lines) == 1:
        lines.append("Nothing of note.")
    return Outcome(lines, new_clues=found)


def prepare_take(play: Play, look: Lookup, cmd: Command) -> Command:
    w = play.world
    here = [i.id for i in w.items.values() if i.location == play.here() and i.holder is None]
    if not here:
        raise CommandError("there is nothing here to take")
    return Command("take", target=look.item(cmd.target, here, "item here"))


def run_take(play: Play, cmd: Command) -> Outcome:
    item = play.world.items[cmd.target]
    play.spend(Action(TAKE, item=item.id, duration=TAKE_MINUTES))
    out = Outcome([f"You take {the(item.name)}."])
    kind = "document" if "document" in item.tags else "physical"
    how = Provenance(kind, capitalised(the(item.name)), item=item.id)
    for fact_id in play.mystery["item_reveals"].get(item.id, []):
        out.new_clues += learn_fact(play, fact_id, how)
    return out


def prepare_search(play: Play, look: Lookup, cmd: Command) -> Command:
    return Command("search")


VERBS: dict[str, Verb] = {
    "go": Verb(prepare_go, run_go),
    "wait": Verb(prepare_wait, run_wait),
    "skip": Verb(prepare_skip, run_skip),
    "search": Verb(prepare_search, run_search),
    "take": Verb(prepare_take, run_take),
    "give": Verb(talk.prepare_give, talk.run_give),
    "greet": Verb(talk.prepare_person, talk.run_greet),
    "stay": Verb(talk.prepare_person, talk.run_stay),
    "ask": Verb(talk.prepare_ask, talk.run_ask),
    "say": Verb(talk.prepare_say, talk.run_say),
    "tell": Verb(talk.prepare_tell, talk.run_tell),
    "show": Verb(talk.prepare_show, talk.run_show),
    "warn": Verb(talk.prepare_warn, talk.run_warn),
    "accuse": Verb(accusation.prepare_accuse, accusation.run_accuse),
}


def after_command(play: Play) -> tuple[list[tuple[int, str]], list[str]]:
    """What the player saw and heard while the command ran, and the new clues it made."""
    return collect_witnessed(play)
