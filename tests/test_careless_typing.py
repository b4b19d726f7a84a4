"""Nothing a player types ends the game: every bad command is one line and costs no time.

Hypothesis feeds random command lines (quotes, unicode, huge numbers, empty lines, real
verbs with nonsense, real names with nonsense) to the text front end and random commands
to ``GameSession.do``. Nothing may raise but ``CommandError``, a refused command must
leave the clock and the history where they were, and the game must go on.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.session import Command, CommandError, GameSession
from game.textplay import TextGame

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "story" / "main.toml"
TUTORIAL = ROOT / "story" / "tutorial.toml"

VERBS = ["look", "people", "map", "inventory", "notebook", "clues", "examine", "go", "greet",
         "ask", "say", "tell", "show", "warn", "stay", "search", "take", "give", "wait",
         "skip", "accuse", "rewind", "save", "load", "saves", "timeline", "help", "x"]
WORDS = ["corin", "odile", "tess", "wren", "bram", "harbour", "tavern", "the", "about",
         "where", "unusual", "until", "hours", "days", "tonight", "morning", "event", "to",
         "lock's", "gate", "log", "fact:tonic_death", "tonic_death", "foxglove_gone", ";",
         "20:00", "25:99", "8pm", "tue", "yesterday", "-1", "0", "2.5", "999999999999999999",
         "'", '"', "“", "🙂", "漢字", "é", "\t", "#", "\\", "%s", "{}", "[/x]", "NaN", "1e9"]

line = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
    st.tuples(st.sampled_from(VERBS), st.lists(st.one_of(st.sampled_from(WORDS),
                                                         st.text(max_size=12)), max_size=5))
    .map(lambda t: " ".join([t[0], *t[1]])),
    st.integers().map(lambda n: f"wait {n}"),
    st.integers().map(lambda n: f"skip hours {n}"),
)


def _started(story: Path = TUTORIAL) -> GameSession:
    s = GameSession(story)
    s.start()
    return s


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(line, max_size=8))
def test_random_lines_never_end_the_text_game(lines: list[str]) -> None:
    out = io.StringIO()
    game = TextGame(_started(), out)
    game.run(lines)  # raises on any escape: the test fails with the traceback
    assert "Traceback" not in out.getvalue()
    assert "went wrong inside the game" not in out.getvalue(), out.getvalue()[-2000:]


command = st.builds(
    Command,
    verb=st.one_of(st.sampled_from(VERBS), st.text(max_size=8)),
    target=st.one_of(st.sampled_from(WORDS), st.text(max_size=20)),
    topic=st.one_of(st.sampled_from(WORDS), st.text(max_size=10)),
    arg=st.one_of(st.sampled_from(WORDS), st.text(max_size=30)),
    minutes=st.integers(min_value=-10**12, max_value=10**12),
    extra=st.lists(st.dictionaries(st.sampled_from(["culprit", "motive", "means",
                                                     "opportunity", "x"]),
                                   st.sampled_from(WORDS), max_size=5), max_size=3),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=st.lists(command, max_size=6))
def test_random_commands_to_the_session_raise_only_command_errors(
        commands: list[Command]) -> None:
    s = _started()
    for cmd in commands:
        before = (s.world.now, len(s.history), len(s.tree), s.world.log.digest)
        try:
            s.do(cmd)
        except CommandError as exc:
            assert str(exc) and "\n" not in str(exc)  # one line
            assert (s.world.now, len(s.history), len(s.tree), s.world.log.digest) == before


REFUSED = [
    "rewind zzz", "rewind l2_nightshade", "rewind 999", "rewind -1", "wait abc",
    "skip hours 2.5", "skip days x", "wait 0", "wait -30", "skip hours -3", "skip days 0",
    "accuse bob x y z", "ask corin about nonsense", "go nowhere", "take the moon",
    "say corin", "skip until 25:99", "skip sideways", "give nothing to nobody",
]


@pytest.mark.parametrize("text", REFUSED)
def test_each_careless_command_is_one_line_and_costs_no_time(text: str) -> None:
    out = io.StringIO()
    game = TextGame(_started(), out)
    before = (game.s.world.now, len(game.s.history))
    game.handle(text)
    printed = out.getvalue().strip().splitlines()
    assert len(printed) == 1 and printed[0].startswith("! "), printed
    assert (game.s.world.now, len(game.s.history)) == before


def test_names_prefixes_and_ids_all_work_for_items() -> None:
    s = _started(MAIN)
    place = s.resolve("place", "the ninth lock")
    s.do(Command("go", target=place))
    assert s.resolve("item", "the lock's gate log") == "gate_log"
    assert s.resolve("item", "lock's gate") == "gate_log"
    assert s.resolve("item", "gate_log") == "gate_log"
    assert s.resolve("item", "GATE LOG") == "gate_log"
    out = s.do(Command("take", target="the lock's gate log"))
    assert out.lines[0] == "You take the lock's gate log."  # never 'the the'
    assert s.history[-1]["target"] == "gate_log"  # the timeline records the id


def test_one_id_form_for_facts_everywhere() -> None:
    s = _started()
    s.do(Command("go", target="harbour"))
    s.do(Command("wait", minutes=20))
    s.do(Command("ask", target="corin", topic="about", arg="fact:tonic_death"))
    s.do(Command("ask", target="corin", topic="about", arg="tonic_death"))
    assert s.history[-1]["arg"] == s.history[-2]["arg"] == "tonic_death"
    assert s.history[-1]["topic"] == "fact"


def test_skip_and_rewind_go_through_do() -> None:
    s = _started()
    s.do(Command("skip", topic="hours", arg="2"))
    assert s.world.now == 7 * 60 + 120
    s.do(Command("rewind", arg="0"))
    assert s.world.now == 7 * 60 and s.loop == 2
    assert [h["verb"] for h in s.history] == ["skip", "rewind"]


def test_scripted_minds_understand_menu_questions_in_plain_words() -> None:
    s = _started()
    s.do(Command("go", target="harbour"))
    s.do(Command("wait", minutes=20))
    where = s.do(Command("say", target="corin", arg="Where were you at 7:25 this morning?"))
    assert s.history[-1]["topic"] == "where" and "I was at" in where.lines[0]
    s.do(Command("say", target="corin", arg="What do you make of Odile?"))
    assert s.history[-1]["topic"] == "person" and s.history[-1]["arg"] == "odile"
    s.do(Command("say", target="corin", arg="Seen anything strange lately?"))
    assert s.history[-1]["topic"] == "unusual"
    now = s.world.now
    with pytest.raises(CommandError, match="doesn't follow"):
        s.do(Command("say", target="corin", arg="Lovely weather for ducks."))
    assert s.world.now == now


def test_weekday_and_day_forms_of_time() -> None:
    s = _started(MAIN)
    s.do(Command("skip", topic="days", minutes=2))
    day0 = s.world.calendar.start_date.weekday()
    tue = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][(day0 + 1) % 7]
    assert s.parse_time(f"{tue} 10:00") == 1 * 1440 + 600
    assert s.parse_time("2 10:00") == 1 * 1440 + 600
    assert s.parse_time("day 2 10am") == 1 * 1440 + 600
    assert s.parse_time("yesterday 10:00") == 1 * 1440 + 600
    with pytest.raises(CommandError):
        s.parse_time("25:99")
    with pytest.raises(CommandError):
        s.parse_time("13pm")
    sunday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][(day0 + 6) % 7]
    with pytest.raises(CommandError, match="no Sunday before now"):
        s.parse_time(f"{sunday} 10:00")  # the loop began on a Monday, two days ago


def _hindsight(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("args", [
    ["play", "--text", "story/nope.toml"],
    ["play", "--text", "saves/main.hsav"],
    ["play", "--text", "story"],
    ["play", "--text", "--commands", "no/such/file.txt"],
    ["play", "--text", "--seed", "abc"],
    ["simulate", "story/nope.toml"],
    ["play", "--bogus-option"],
    ["play", "--text", "--mind", "local", "--gguf", "/no/such/model.gguf"],
])
def test_bad_start_up_is_one_line_and_status_2(args: list[str], tmp_path: Path) -> None:
    proc = _hindsight(*args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr


def test_relative_story_path_works_from_another_folder(tmp_path: Path) -> None:
    script = tmp_path / "cmds.txt"
    script.write_text("look\nquit\n")
    proc = _hindsight("play", "--text", "story/tutorial.toml", "--commands", str(script),
                      cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Final digest" not in proc.stdout
    assert "The Lighthouse" in proc.stdout or "Lighthouse" in proc.stdout
