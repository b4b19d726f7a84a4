"""The Ninth Lock, played as a player would: the walkthrough reaches the true ending only
after two deaths, and every shortcut an attacker might try with what they learned in
earlier loops fails: accusing on day 1 with every clue and every fact, accusing from
anywhere, accusing on rumours, citing what has not happened yet in this loop."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.mystery.notebook import Notebook
from game.session import Command, CommandError, GameSession
from game.textplay import TextGame

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "story" / "main.toml"
WALKTHROUGH = ROOT / "tests" / "playthroughs" / "main_true_ending.txt"
COUNTS = ("motive", "means", "opportunity")
CULPRITS = ("silas", "doreen")


def play(lines: list[str]) -> tuple[GameSession, str]:
    session = GameSession(MAIN)
    session.start()
    out = io.StringIO()
    TextGame(session, out).run(lines)
    return session, out.getvalue()


@pytest.fixture(scope="module")
def walked() -> tuple[GameSession, str]:
    return play(WALKTHROUGH.read_text().splitlines())


@pytest.fixture
def attacker(walked) -> Iterator[GameSession]:
    """The walkthrough's session, knowing all it learned in three loops; whatever a test
    adds to the notebook is forgotten afterwards."""
    session = walked[0]
    kept = copy.deepcopy(session.notebook.to_state())
    yield session
    session.notebook = Notebook.from_state(kept)


def test_the_walkthrough_reaches_the_true_ending_after_two_deaths(walked) -> None:
    session, out = walked
    assert "went wrong inside the game" not in out
    assert session.status == "ended" and session.ending is not None
    assert session.ending["true_ending"], session.ending["title"]
    assert session.loop == 3
    causes = [d["cause"] for d in session.notebook.deaths]
    assert len(causes) == 2
    assert "nightshade" in causes[0] and "knife" in causes[1]  # Silas first, then Doreen
    assert [a["confirmed"] for a in session.notebook.accusations] == [True, True, True]


def test_the_walkthrough_prints_no_ids_or_template_fragments(walked) -> None:
    _, out = walked
    shown = "\n".join(line for line in out.splitlines() if not line.startswith(">"))
    assert not re.findall(r"\b(?:seen|fact|news|lie|death):\w", shown)  # clue ids
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", shown)  # snake_case
    for fragment in ("(s)", "{", "}", "None"):
        assert fragment not in shown, fragment


def _knowing_everything(session: GameSession) -> list[str]:
    """Every story fact the player could ever cite, noted as if told first-hand in an
    earlier loop, on top of everything the walkthrough found. Returns all clue ids."""
    for fact in session.story.facts:
        witness = (fact.witnesses or fact.known_by or ["otto"])[0]
        session.notebook.add_clue(f"fact:{fact.id}", fact.text, 1, 0,
                                  [e.model_dump() for e in fact.evidence], "an earlier loop",
                                  "testimony", witness)
    return list(session.notebook.clues)


def _holding(session: GameSession, culprit: str, count: str, clues: list[str]) -> list[str]:
    """The clues the law would accept for this count against this culprit now."""
    found = []
    for clue in clues:
        verdict = session.weigh([{"culprit": culprit, **{k: clue for k in COUNTS}}])
        if next(f for f in verdict.findings if f.count == count).holds:
            found.append(clue)
    return found


def test_accusing_every_culprit_on_day_one_with_every_clue_fails(attacker) -> None:
    session = attacker
    clues = _knowing_everything(session)
    session.do(Command("rewind", arg="0"))
    session.do(Command("skip", topic="until", arg="1 08:30"))
    session.do(Command("go", target="constabulary"))
    assert session.law_here(), "the constable should be at her post"
    for culprit in CULPRITS:
        holding = {count: _holding(session, culprit, count, clues) for count in COUNTS}
        assert holding["means"] == [] and holding["opportunity"] == [], holding
    entries = [{"culprit": c, "motive": clues[0], "means": clues[0], "opportunity": clues[0]}
               for c in CULPRITS]
    for count in COUNTS:  # the attacker cites, for each count, every clue in turn
        for clue in clues:
            for entry in entries:
                entry[count] = clue
            assert not session.judge(entries)
    out = session.do(Command("accuse", extra=[
        {"culprit": "silas", "motive": "tavern_slate", "means": "seen:ines:take:silas:nightshade",
         "opportunity": "bridge_note"},
        {"culprit": "doreen", "motive": "bequest_draft", "means": "whetstone",
         "opportunity": "towpath_prints"}]))
    assert "not convinced" in " ".join(out.lines)
    assert session.rules.state["arrested"] == []
    assert "not in this loop" in " ".join(out.lines) or "this loop" in " ".join(out.lines)


def test_accusing_from_anywhere_is_refused_and_costs_nothing(attacker) -> None:
    session = attacker
    session.do(Command("rewind", arg="0"))
    before, history = session.now, len(session.history)
    with pytest.raises(CommandError, match="in person"):
        session.do(Command("accuse", extra=[{"culprit": "silas", "motive": "tavern_slate",
                                             "means": "whetstone",
                                             "opportunity": "bridge_note"}]))
    assert session.now == before and len(session.history) == history


def test_a_rumour_never_proves_anything() -> None:
    session = GameSession(MAIN)
    session.start()
    session.do(Command("skip", topic="until", arg="5 09:30"))  # four days of gossip
    session.notebook.add_clue("rumour:doreen_bequest", "", 1, 0,
                              [{"culprit": "doreen", "kind": "motive"}],
                              "heard from Pim Hollow", "hearsay", "pim")  # whoever told you
    hearsay = [cid for cid, c in session.notebook.clues.items()
               if c["kind"] == "hearsay" and c["evidence"]]
    assert hearsay
    for cid in hearsay:
        clue = session.notebook.clues[cid]
        for e in clue["evidence"]:
            verdict = session.weigh([{"culprit": e["culprit"], **{k: cid for k in COUNTS}}])
            finding = next(f for f in verdict.findings if f.count == e["kind"])
            assert not verdict.convinced and "hearsay" in finding.problem, finding


def test_evidence_not_yet_true_in_this_loop_does_not_count(attacker) -> None:
    session = attacker
    seen = "seen:ines:take:silas:nightshade"  # what the player saw in loops 2 and 3
    assert seen in session.notebook.clues
    session.do(Command("rewind", arg="0"))
    session.do(Command("skip", topic="until", arg="5 08:51"))  # Silas has the plan, not yet
    session.do(Command("go", target="herbalist"))               # the nightshade
    entry = {"culprit": "silas", "motive": "tavern_slate", "means": seen,
             "opportunity": "bridge_note"}
    motive, means, opportunity = session.weigh([entry]).findings
    assert "not seen it happen in this loop" in means.problem, means
    assert "not read it in this loop" in motive.problem  # the slate: not searched yet
    assert "not found it in this loop" in opportunity.problem
    session.do(Command("wait", minutes=15))  # he comes in and takes it while you watch
    motive, means, opportunity = session.weigh([entry]).findings
    assert means.holds, means
    session.do(Command("search"))
    forced = session.weigh([dict(entry, means="poison_drawer")]).findings[1]
    assert forced.holds, forced
