"""The validator catches what used to fail silently, and the CLI prints story text as text.

Each test here is one of the silent failures a new writer met (issue 14): it fails on the
code before the fix.
"""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from game.cli import main
from game.engine.naming import the
from game.records.simulate import simulate_story
from game.scenario.feasibility import BEDTIME_CLAMPED, KILLER_STAYS_UP
from game.scenario.loader import load_story, load_story_text
from game.scenario.toml_lines import LineMap
from game.session import GameSession

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "broken_stories"


def _story_with_header(parts: int) -> str:
    base = (ROOT / "story" / "tutorial.toml").read_text(encoding="utf-8")
    header = ".".join(f"p{i}" for i in range(parts))
    return f"{base}\n[{header}]\nx = 1\n"


def test_line_mapping_does_work_linear_in_a_headers_parts() -> None:
    small, big = LineMap(_story_with_header(1_000)), LineMap(_story_with_header(50_000))
    grown = big.steps - small.steps
    assert grown <= 2 * 49_000, f"{grown} steps for 49,000 more parts: not linear"


def test_an_error_under_a_long_header_is_reported_at_the_header() -> None:
    text = _story_with_header(30)
    header_line = text.count("\n") - 1
    result = load_story_text(text, "long.toml")
    assert [(e.line, e.dotted) for e in result.errors] == [(header_line, "p0")]


def test_a_50000_part_header_is_refused_at_its_line_before_parsing() -> None:
    text = _story_with_header(50_000)
    result = load_story_text(text, "long.toml")
    assert result.errors[0].line == text.count("\n") - 1
    assert "50000 dotted parts" in result.errors[0].message


@pytest.mark.parametrize("name", ["the pilgrim's dagger", "The pilgrim's dagger",
                                  "pilgrim's dagger"])
def test_an_item_name_takes_the_article_once(name: str) -> None:
    assert the(name) == "the pilgrim's dagger"
    assert the("Doreen's knife") == "Doreen's knife"


def test_a_taken_item_named_with_the_reads_once_in_the_chronicle() -> None:
    data = simulate_story(str(BROKEN / "item_named_with_the.toml"), 2, 1)
    texts = [e["text"] for day in data["chronicle"] for e in day["events"]]
    assert any("took the pilgrim's dagger" in t for t in texts), texts[:20]
    assert not any("the the" in t.lower() for t in texts)


def test_a_story_without_connections_simulates() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["simulate", str(BROKEN / "no_connections.toml"), "--json"])
    assert code == 0


@pytest.mark.parametrize("name", ["impossible_start_date", "year_zero", "huge_seed"])
def test_a_story_that_once_crashed_simulate_is_refused_at_validation(name: str) -> None:
    path = str(BROKEN / f"{name}.toml")
    proc = subprocess.run([sys.executable, "-m", "game", "simulate", path],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"{path}:7: error: scenario." in proc.stderr


def test_problems_are_one_line_each_when_piped() -> None:
    long_name = BROKEN / "act_window_closed.toml"
    proc = subprocess.run([sys.executable, "-m", "game", "validate", str(long_name)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    lines = proc.stdout.splitlines()
    assert all(line.startswith(str(long_name)) for line in lines), lines
    assert any(len(line) > 120 for line in lines)


def test_rich_markup_in_story_text_prints_as_text(tmp_path: Path) -> None:
    path = str(BROKEN / "markup_in_kind.toml")
    proc = subprocess.run([sys.executable, "-m", "game", "validate", path],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "got '[/x]'" in proc.stdout and "Traceback" not in proc.stderr
    text = (BROKEN / "no_connections.toml").read_text().replace(
        'name = "Kay"', 'name = "Odile [/x] Marchant"').replace(
        'title = "A Broken Story"', 'title = "[bold]Story[/x]"')
    story = tmp_path / "markup.toml"
    story.write_text(text)
    for args in (["simulate", str(story)], ["play", "--text", "--commands", "/dev/null",
                                            str(story)]):
        proc = subprocess.run([sys.executable, "-m", "game", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=300)
        assert proc.returncode == 0, proc.stderr[-500:]
        assert "Traceback" not in proc.stderr
        assert "Odile [/x] Marchant" in proc.stdout or args[0] == "play"


def test_validate_names_a_bedtime_after_midnight_while_the_engine_clamps_it() -> None:
    result = load_story(BROKEN / "sleep_after_midnight.toml")
    assert any("after midnight" in w.message for w in result.warnings) == BEDTIME_CLAMPED


def _town(text: str) -> GameSession:
    result = load_story_text(text, "entry.toml")
    assert result.ok, [str(e) for e in result.errors]
    session = GameSession(result, seed=1)
    session.start()
    return session


EVENING = 20 * 60  # the shop closes at 17:00


@pytest.mark.parametrize("rule, with_owner, expected", [
    ("", True, False),  # default: after hours only staff, owners and residents
    ('after_hours = "guests"', True, True),  # guests: anyone while an insider is inside
    ('after_hours = "guests"', False, False),
])
def test_who_may_enter_after_hours(rule: str, with_owner: bool, expected: bool) -> None:
    text = (BROKEN / "act_window_closed.toml").read_text().replace(
        'owners = ["vic"]', f'owners = ["vic"]\n{rule}')
    session = _town(text)
    w = session.world
    w.move_agent(w.agents["vic"], "shop" if with_owner else "hall")
    assert w.may_enter(w.agents["kay"], "shop", EVENING) is expected
    assert w.may_enter(w.agents["vic"], "shop", EVENING)
    session.close()


def test_a_locked_door_opens_to_whoever_holds_its_key() -> None:
    text = (BROKEN / "act_window_closed.toml").read_text().replace(
        'owners = ["vic"]', 'owners = ["vic"]\nkey = "shop_key"').replace(
        "[[characters]]", '[[items]]\nid = "shop_key"\nname = "shop key"\nholder = "lou"\n\n'
        "[[characters]]", 1)
    session = _town(text)
    w = session.world
    kay, lou = w.agents["kay"], w.agents["lou"]
    assert not w.may_enter(kay, "shop", EVENING) and w.may_enter(lou, "shop", EVENING)
    w.items["shop_key"].holder = "kay"
    assert w.may_enter(kay, "shop", EVENING) and not w.may_enter(lou, "shop", EVENING)
    session.close()


def test_the_bedtime_warning_says_what_the_engine_does() -> None:
    """Until the engine lets a bedtime fall after midnight, `validate` warns about one; once
    it does (the town's sleep-past-midnight change), the warning must go. This test fails
    on whichever side is out of step."""
    text = (BROKEN / "no_connections.toml").read_text().replace(
        'persona = "The law."\nhome = "hall"\n', 'persona = "The law."\nhome = "hall"\n'
        'sleep = "01:30"\n')
    result = load_story_text(text, "late.toml")
    warned = any("after midnight" in w.message for w in result.warnings)
    session = _town(text)
    session.run_town_until(24 * 60 + 45)  # 00:45 on the first night
    asleep = session.world.agents["lou"].asleep
    session.close()
    assert warned == asleep


def test_a_plotter_up_past_midnight_acts_once_the_engine_lets_them(tmp_path: Path) -> None:
    """The issue's first silent failure: bedtime 01:30, act window from 00:30. With the
    engine's day ending at midnight this cannot kill, and `validate` says so; once the
    engine honours the bedtime it must kill in every seed, and `validate` is quiet."""
    text = (BROKEN / "sleep_after_midnight.toml").read_text().replace(
        'persona = "The law."\nhome = "hall"', 'persona = "The law."\nhome = "shop"').replace(
        'after = "22:00", before = "04:00"', 'after = "00:30", before = "04:00"')
    story = tmp_path / "late.toml"
    story.write_text(text)
    result = load_story(story)
    plans = [w.message for w in result.warnings if w.dotted.startswith(("plots", "characters"))
             and "outside its opening hours" not in w.message]
    killed = [bool(simulate_story(str(story), None, seed)["murders"]) for seed in (1, 2, 3)]
    if BEDTIME_CLAMPED:
        assert killed == [False] * 3 and plans, plans
    else:
        assert killed == [True] * 3 and plans == [], plans


def test_a_seed_too_large_to_save_is_one_line_on_the_command_line() -> None:
    for verb in (["simulate", "story/tutorial.toml"], ["play", "--text", "--commands",
                                                        "/dev/null"]):
        proc = subprocess.run([sys.executable, "-m", "game", *verb, "--seed",
                               "99999999999999999999999"], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "a seed runs from 0 to 9223372036854775807" in proc.stderr


def test_the_sleeping_plotter_warning_says_what_the_plots_do(tmp_path: Path) -> None:
    """Kay goes to bed at 22:00, the act window opens at 22:00, and Vic sleeps alone. While
    the plots let a sleeping plotter sleep through the window, `validate` warns; once they
    keep a killer holding the means up for it, Kay kills and the warning must go."""
    text = (BROKEN / "plotter_asleep.toml").read_text().replace(
        'persona = "The law."\nhome = "hall"', 'persona = "The law."\nhome = "shop"')
    story = tmp_path / "asleep.toml"
    story.write_text(text)
    warned = any("for the whole act window" in w.message for w in load_story(story).warnings)
    killed = [bool(simulate_story(str(story), None, seed)["murders"]) for seed in (1, 2)]
    assert warned == (not KILLER_STAYS_UP)
    assert killed == [not warned] * 2
