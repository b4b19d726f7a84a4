"""Accusing: in person, before the law, citing a clue for motive, means and opportunity
for every culprit.

The law must be where the player stands (go to them, or ask them to stay with you).
It weighs each cited clue against the world as it is now: a clue counts only if this
world holds its proof (``evidence.proof_problem``), so knowing the future, rumours, and
what was true in another loop prove nothing. Only when every count of every culprit
holds is anyone arrested: deduction is confirmed in batches, so guessing does not pay.
A charge that fails is not forgotten: the accused and their friends hear of it
(``news.accused``). A malformed accusation (an unknown person, a clue the player does not
have, no law present) is refused before any time passes.
"""

from __future__ import annotations

from game.commands import MAX_ACCUSED, Command, CommandError, Outcome
from game.engine.actions import Action
from game.engine.model import Agent

from . import news
from .evidence import describe, proof_problem
from .lookup import Lookup
from .play import Play
from .testimony import voice_line

COUNTS = ("motive", "means", "opportunity")
ACCUSE_MINUTES = 30


def law_here(play: Play) -> list[Agent]:
    """The law, alive, free and with the player: who may hear an accusation now."""
    w = play.world
    return [w.agents[a] for a in play.rules.law if a in w.agents and w.agents[a].alive
            and w.agents[a].location == play.here() and a not in play.rules.state["arrested"]]


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
    if not law_here(play):
        names = [play.world.agents[a].name for a in play.rules.law if a in play.world.agents]
        who = " or ".join(names) or "the law"
        raise CommandError(f"an accusation is made to the law in person: find {who}, or ask "
                           "them to stay with you")
    return Command("accuse", extra=entries)


def weigh(play: Play, entries: list[dict[str, str]]) -> tuple[bool, list[str]]:
    """(convinced, what the law says of each count). Convinced only if every named culprit
    has a clue for all three counts that proves it now."""
    w, nb = play.world, play.notebook
    lines: list[str] = []
    convinced = bool(entries)
    for entry in entries:
        culprit = entry.get("culprit", "")
        person = w.agents[culprit].name if culprit in w.agents else "nobody"
        lines.append(f"{person}:")
        for count in COUNTS:
            clue_id = entry.get(count, "")
            clue = nb.clues.get(clue_id)
            problem = _problem(play, culprit, count, clue_id)
            convinced = convinced and not problem
            cited = f"clue {nb.number(clue_id)}, {describe(clue)}" if clue else "no clue"
            lines.append(f"  {count}: {'holds' if not problem else 'does not hold'} "
                         f"({cited}){': ' + problem if problem else ''}.")
    return convinced, lines


def _problem(play: Play, culprit: str, count: str, clue_id: str) -> str:
    clue = play.notebook.clues.get(clue_id)
    if clue is None:
        return "that is not in your notebook"
    if {"culprit": culprit, "kind": count} not in clue["evidence"]:
        name = play.world.agents[culprit].name if culprit in play.world.agents else "them"
        return f"it says nothing of {name}'s {count}"
    return proof_problem(play, clue_id)


def judge(play: Play, entries: list[dict[str, str]]) -> bool:
    """True only if every named culprit has proof now for all three counts."""
    return weigh(play, entries)[0]


def run_accuse(play: Play, cmd: Command) -> Outcome:
    w = play.world
    law = law_here(play)[0]
    convinced, weighed = weigh(play, cmd.extra)
    play.notebook.accusations.append({"loop": play.loop, "t": w.now, "entries": cmd.extra,
                                      "confirmed": convinced, "to": law.id})
    names = [w.agents[e["culprit"]].name for e in cmd.extra]
    lines = [f"You lay it all before {law.name}.", *weighed]
    if convinced:
        for entry in cmd.extra:
            play.rules.arrest(w, entry["culprit"], law.id)
        lines.append(f"{law.name} is convinced. {', '.join(names)} "
                     f"{'is' if len(names) == 1 else 'are'} taken into custody.")
    else:
        for entry in cmd.extra:
            news.accused(w, play.rules, entry["culprit"], law.id)
        line = voice_line(w, law, "accuse", "Bring me proof: motive, means and opportunity.")
        lines += [f"{law.name}: {line}",
                  f"{law.name} is not convinced, and word of the charge will get about."]
    play.spend(Action("accuse", law.id, duration=ACCUSE_MINUTES))
    return Outcome(lines, speaker=law.id)
