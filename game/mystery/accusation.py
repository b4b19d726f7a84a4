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

from dataclasses import dataclass

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
    if not law_here(play):
        names = [play.world.agents[a].name for a in play.rules.law if a in play.world.agents]
        who = " or ".join(names) or "the law"
        raise CommandError(f"an accusation is made to the law in person: go to {who}, or ask "
                           f"{who} to stay with you")
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


@dataclass(frozen=True)
class Finding:
    """What the law makes of one count against one culprit: '' problem means it holds."""

    culprit: str
    count: str
    clue: str
    problem: str

    @property
    def holds(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Verdict:
    convinced: bool
    findings: list[Finding]


def weigh(play: Play, entries: list[dict[str, str]]) -> Verdict:
    """Convinced only if every named culprit has, for all three counts, a clue that proves
    it now. No time passes."""
    findings = [Finding(e.get("culprit", ""), count, e.get(count, ""),
                        _problem(play, e.get("culprit", ""), count, e.get(count, "")))
                for e in entries for count in COUNTS]
    return Verdict(bool(entries) and all(f.holds for f in findings), findings)


def verdict_lines(play: Play, verdict: Verdict) -> list[str]:
    """The law's reading of each count, as the player reads it."""
    w, nb = play.world, play.notebook
    lines: list[str] = []
    for f in verdict.findings:
        if f.count == COUNTS[0]:
            lines.append(f"{w.agents[f.culprit].name if f.culprit in w.agents else 'Nobody'}:")
        clue = nb.clues.get(f.clue)
        cited = f"clue {nb.number(f.clue)}, {describe(clue)}" if clue else "no clue"
        lines.append(f"  {f.count}: {'holds' if f.holds else 'does not hold'} ({cited})"
                     f"{': ' + f.problem if f.problem else ''}.")
    return lines


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
    return weigh(play, entries).convinced


def run_accuse(play: Play, cmd: Command) -> Outcome:
    w = play.world
    law = law_here(play)[0]
    verdict = weigh(play, cmd.extra)
    convinced = verdict.convinced
    play.notebook.accusations.append({"loop": play.loop, "t": w.now, "entries": cmd.extra,
                                      "confirmed": convinced, "to": law.id})
    names = [w.agents[e["culprit"]].name for e in cmd.extra]
    lines = [f"You lay it all before {law.name}.", *verdict_lines(play, verdict)]
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
