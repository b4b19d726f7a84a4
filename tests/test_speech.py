"""People speak from their own point of view: 'I' about themselves, 'you' to the one they
talk to, the story's pronouns for everyone else, hearsay as hearsay, and never a private
relationship label, an id, an underscore or a '(s)' on the player's screen."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from game import speech
from game.scenario.loader import load_story, load_story_text
from game.session import Command, GameSession
from game.textplay import TextGame
from tests.stories import MAIN, TUTORIAL, started


@pytest.fixture(scope="module")
def main() -> GameSession:
    return started(MAIN)


def _third_person_self(world, speaker: str, text: str) -> list[str]:
    """Ways ``text`` names its own speaker in the third person."""
    agent = world.agents[speaker]
    names = [agent.name, agent.name.split(" ")[0]]
    return [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)]


def test_a_fact_about_oneself_is_said_in_the_first_person(main) -> None:
    w = main.world
    said = speech.own_view(w, "silas", "silas_debts")
    assert said.startswith("I owe") and "Silas" not in said
    knife = speech.own_view(w, "doreen", "doreen_knife")
    assert "my gutting knife" in knife and "Doreen" not in knife
    for fact_id, fact in w.facts.items():
        for who in fact.about:
            line = speech.own_view(w, who, fact_id, "ines" if who != "ines" else "")
            assert not _third_person_self(w, who, line), (who, fact_id, line)


def test_without_own_words_the_text_is_turned_into_the_first_person(main) -> None:
    w = main.world
    # otto_saw_silas has no own_words: Otto says it from his side, Silas from his.
    assert speech.own_view(w, "otto", "otto_saw_silas").startswith("I saw Silas Pell bring")
    assert speech.own_view(w, "silas", "otto_saw_silas").startswith("Otto saw me bring")
    # Pim is told of in the middle of a sentence, with a verb after the name.
    assert "paid me a penny" in speech.own_view(w, "pim", "silas_asked_hours")


def test_the_listener_is_you_with_the_verb_agreeing(main) -> None:
    w = main.world
    line = speech.own_view(w, "rosa", "silas_asked_hours", "ines")
    assert "what time you go to bed and whether you bolt the back stair" in line
    assert "the notary" not in line and " she " not in line
    assert speech.own_view(w, "rosa", "audit_letter", "ines").startswith("You have written")


def test_an_ambiguous_self_reference_is_never_said_in_the_third_person() -> None:
    """Two women named in a fact with a bare 'her': nobody can tell whose it is, so neither
    recites it with herself in the third person."""
    text = _story_with_fact(TUTORIAL, "Tess Penhallow saw Odile Marchant drop her ledger.")
    result = load_story_text(text, "amb.toml")
    assert result.ok, result.errors
    from game.engine.world import World
    from game.minds.scripted import ScriptedMind
    from game.scenario.build import build_spec

    w = World(build_spec(result.story), 1, ScriptedMind())
    for who in ("odile", "tess"):
        line = speech.own_view(w, who, "ambiguous")
        assert not _third_person_self(w, who, line), line
    # Told by a third person, the fact is said as written.
    assert speech.own_view(w, "corin", "ambiguous").startswith("Tess Penhallow saw")


def _story_with_fact(path: Path, text: str, extra: str = "") -> str:
    story = path.read_text()
    return story + (f'\n[[facts]]\nid = "ambiguous"\ntext = "{text}"\n'
                    f'about = ["odile", "tess"]\n{extra}')


def test_pronouns_come_from_the_story(main) -> None:
    w = main.world
    assert speech.pronouns(w, "doreen").object == "her"
    assert speech.pronouns(w, "silas").object == "him"
    lines = [main.do(c).lines for c in (Command("go", target="notary"),)]
    assert lines
    fond = speech.feeling(w, "lena", "ines")
    assert fond == "I'm fond of her"
    assert speech.feeling(w, "pim", "silas") in ("I'm fond of him", "He is all right")


def test_every_character_in_the_shipped_stories_has_pronouns() -> None:
    for path in (MAIN, TUTORIAL):
        story = load_story(path).story
        assert story is not None
        assert all("pronouns" in ch.model_fields_set for ch in story.characters), path


def test_hearsay_is_reported_as_hearsay() -> None:
    s = started(MAIN)
    w = s.world
    w.learn_fact(w.agents["lena"], "doreen_knife", "tobiah")
    line = speech.hearsay(w, "lena", "doreen_knife", "ines")
    assert "Tobiah Marsh" in line and "Doreen Quill has started carrying her" in line
    w.learn_fact(w.agents["otto"], "doreen_knife", "overheard:rosa")
    assert "overheard Rosa Finch" in speech.hearsay(w, "otto", "doreen_knife", "ines") or \
        "caught Rosa Finch" in speech.hearsay(w, "otto", "doreen_knife", "ines")


def test_a_rumour_is_not_recited_word_for_word_by_everyone() -> None:
    s = started(MAIN)
    w = s.world
    said = set()
    for agent in w.order:
        if agent.id in ("doreen", "tobiah", "ines"):
            continue
        w.learn_fact(agent, "doreen_knife", "tobiah")
        said.add(speech.rumour(w, agent.id, "doreen_knife", "ines").split(" Doreen")[0])
    assert len(said) >= 3, said


def test_pronouns_and_own_words_are_checked_by_validate() -> None:
    bad = TUTORIAL.read_text().replace('pronouns = "she/her"', 'pronouns = "she"', 1)
    result = load_story_text(bad, "bad.toml")
    assert not result.ok and any("pronouns" in p.dotted for p in result.errors)
    orphan = TUTORIAL.read_text() + ('\n[[facts]]\nid = "orphan"\ntext = "A thing."\n'
                                     'own_words = "I did a thing."\n')
    result = load_story_text(orphan, "orphan.toml")
    assert any("own_words" in p.dotted for p in result.errors)
    named = TUTORIAL.read_text() + ('\n[[facts]]\nid = "named"\ntext = "Odile sings."\n'
                                    'about = ["odile"]\nown_words = "Odile Marchant sings."\n')
    result = load_story_text(named, "named.toml")
    assert result.ok and any("own_words" in p.dotted for p in result.warnings)


# ------------------------------------------------------------ the long session scan
def _session_commands(session: GameSession, rounds: int) -> list[str]:
    """Many asks, says and skips: every person present asked about every person, every fact
    the player knows, what was unusual and where they were; then time moves on."""
    w = session.world
    cmds: list[str] = []
    places = [loc for loc in w.locations.values() if loc.kind == "public"]
    for r in range(rounds):
        cmds.append(f"go {places[r % len(places)].name}")
        cmds.append("wait 30")
        cmds.append(f"skip until {r // 4 + 1} {8 + (r % 4) * 3:02d}:30")
    return cmds


def _run_scan(path: Path, rounds: int) -> str:
    session = started(path)
    out = io.StringIO()
    game = TextGame(session, out)
    w = session.world
    places = [loc for loc in w.locations.values() if loc.kind == "public"]
    for r in range(rounds):
        if session.status != "playing":
            game.run(["rewind"])
        day = min(r // 4 + 1, int(session.spec["mystery"]["loop_days"]))
        game.run([f"skip until {day} {8 + (r % 4) * 3:02d}:30",
                  f"go {places[r % len(places)].name}", "wait 20"])
        here = [a for a in w.present(session.here()) if a.id != session.rules.player]
        for agent in here[:3]:
            first = agent.name.split(" ")[0]
            lines = [f"ask {first} unusual", f"ask {first} where {day} 07:30",
                     f"say {first} where were you this morning?",
                     f"say {first} have you seen anything odd lately?"]
            for other in w.order[: 6]:
                lines.append(f"ask {first} about {other.name}")
            for fact_id in list(session.notebook.facts)[:4]:
                lines.append(f"ask {first} about {w.facts[fact_id].text[:30]}")
            game.run(lines)
    return out.getvalue()


def _labels(path: Path) -> set[str]:
    story = load_story(path).story
    assert story is not None
    return {rel.label for ch in story.characters for rel in ch.relationships.values()
            if rel.label}


@pytest.mark.parametrize("path", [MAIN, TUTORIAL], ids=["main", "tutorial"])
def test_a_long_session_shows_no_label_id_underscore_or_plural_hedge(path: Path) -> None:
    out = _run_scan(path, 14)
    shown = "\n".join(line for line in out.splitlines() if not line.startswith(">"))
    assert shown.count("\n") > 200, "the session was too short to say anything"
    assert "went wrong inside the game" not in shown
    assert "_" not in shown, [line for line in shown.splitlines() if "_" in line][:3]
    assert "(s)" not in shown
    assert not re.search(r"(?:Have you heard|Did you hear)\? (?:I can tell you|Did you hear|"
                         r"Have you heard|Word is|People are saying|They say)", shown)
    assert not re.findall(r"\b(?:seen|fact|news|lie|death):\w", shown)
    session = started(path)
    ids = [a.id for a in session.world.order]
    for ident in ids:  # an id is lowercase; a name in text is capitalised
        assert not re.search(rf"(?<![A-Za-z']){ident}(?![A-Za-z'])", shown), ident
    for label in _labels(path):
        assert f"({label})" not in shown, label
        if len(label.split()) >= 2:  # a phrase this particular is only ever a label
            assert label not in shown, label
