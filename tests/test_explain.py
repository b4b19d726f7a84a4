"""`validate --explain` says, per plot, what the plan reached and what blocked it."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

from game.cli import main
from game.records.explain import explain_story
from game.scenario.loader import load_story, load_story_text

BROKEN = Path(__file__).resolve().parents[1] / "tests" / "broken_stories"


def test_explain_names_a_victim_alone_only_behind_a_closed_door() -> None:
    lines = explain_story(load_story(BROKEN / "act_window_closed.toml"), (1, 2))
    text = "\n".join(lines)
    assert "0 of 12 moments of the act window (closed to them then: shop)" in text
    assert text.count("only where the plotter may not enter") == 2
    assert lines[-1] == "  in short: the act is reached in 0 of 2 seeds"


def test_explain_follows_the_plan_to_the_murder_once_guests_may_enter() -> None:
    text = (BROKEN / "act_window_closed.toml").read_text().replace(
        'owners = ["vic"]', 'owners = ["vic"]\nafter_hours = "guests"')
    lines = explain_story(load_story_text(text, "guests.toml"), (1, 2, 3))
    seeds = [line for line in lines if line.startswith("  seed ")]
    assert len(seeds) == 3 and all("; murder D1 " in line and "by Kay" in line for line in seeds)
    assert lines[-1] == "  in short: the act is reached in 3 of 3 seeds"


def test_explain_says_a_trigger_never_held() -> None:
    lines = explain_story(load_story(BROKEN / "trigger_never_holds.toml"), (1,))
    assert any(line.endswith("no murder: its trigger never held") for line in lines), lines


def test_explain_is_deterministic_and_reached_from_the_cli() -> None:
    story = load_story(BROKEN / "no_connections.toml")
    assert explain_story(story, (4, 5)) == explain_story(story, (4, 5))
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["validate", "--explain", "--seeds", "2", str(BROKEN / "no_connections.toml")])
    assert code == 0
    assert "plot kay_plot: Kay against Vic, act window 22:00-04:00" in out.getvalue()
    assert out.getvalue().count("  seed ") == 2
