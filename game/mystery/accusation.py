"""Accusing: name the culprits and cite a clue for motive, means and opportunity each.

The magistrate is convinced only when every named culprit has evidence for all three
counts, so guessing does not pay. A malformed accusation (an unknown person, a clue the
player does not have) is refused before any time passes.
"""

from __future__ import annotations

from game.commands import MAX_ACCUSED, Command, CommandError, Outcome
from game.engine.actions import WAIT, WAIT_MINUTES, Action

from .lookup import Lookup
from .play import Play

COUNTS = ("motive", "means", "opportunity")
ACCUSE_MINUTES = 30


def prepare_accuse(play: Play, look: Lookup, cmd: Command) -> Command:
    if not cmd.extra:
        raise CommandError("accuse whom? name a culprit and a clue for motive, means and "
                           "opportunity")
    if len(cmd.extra) > MAX_ACCUSED:
        raise CommandError(f"accuse at most {MAX_ACCUSED} people at once")
    entries = []
    for raw in cmd.extra:
        missing = [k for k in ("culprit", *COUNTS) if not raw.get(k, "").strip()]
        if missing:
            raise CommandError(f"each culprit needs a clue for {', '.join(COUNTS)} "
                               f"(missing: {', '.join(missing)})")
        entry = {"culprit": look.person(raw["culprit"])}
        for count in COUNTS:
            entry[count] = look.clue(raw[count])
        entries.append(entry)
    culprits = [e["culprit"] for e in entries]
    if len(set(culprits)) != len(culprits):
        raise CommandError("each culprit once, please")
    return Command("accuse", extra=entries)


def judge(play: Play, entries: list[dict[str, str]]) -> bool:
    """True only if every named culprit has cited evidence for all three counts."""
    if not entries:
        return False
    for entry in entries:
        culprit = entry.get("culprit", "")
        for kind in COUNTS:
            clue = play.notebook.clues.get(entry.get(kind, ""))
            if clue is None or {"culprit": culprit, "kind": kind} not in clue["evidence"]:
                return False
    return True


def run_accuse(play: Play, cmd: Command) -> Outcome:
    verdict = judge(play, cmd.extra)
    w = play.world
    w.perform(play.player, Action(WAIT, play.here(), duration=WAIT_MINUTES))
    play.run_to(w.now + ACCUSE_MINUTES)
    play.notebook.accusations.append({"loop": play.loop, "t": w.now, "entries": cmd.extra,
                                      "confirmed": verdict})
    if not verdict:
        return Outcome(["The magistrate hears you out, unconvinced. "
                        "Every culprit needs evidence of motive, means and opportunity."])
    names = []
    for entry in cmd.extra:
        play.rules.arrest(w, entry["culprit"])
        names.append(w.agents[entry["culprit"]].name)
    return Outcome([f"The magistrate is convinced. {', '.join(names)} "
                    f"{'is' if len(names) == 1 else 'are'} taken into custody."])
