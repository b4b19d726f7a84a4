"""Hot reload: an edited story file is picked up at the same node, replaying the player's
commands on it; a story that no longer validates is shown, and the old one goes on."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.session import Command, GameSession  # noqa: E402
from game.textplay import TextGame  # noqa: E402

TUTORIAL = Path(__file__).resolve().parents[1] / "story" / "tutorial.toml"


def _copy(tmp_path: Path) -> Path:
    story = tmp_path / "mine.toml"
    shutil.copy(TUTORIAL, story)
    return story


def _edit(story: Path, old: str, new: str) -> None:
    text = story.read_text(encoding="utf-8")
    assert old in text
    story.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_reload_replays_the_history_on_the_edited_story(tmp_path: Path) -> None:
    story = _copy(tmp_path)
    session = GameSession(str(story), seed=3)
    session.start()
    session.do(Command("wait", minutes=90))
    session.do(Command("go", target="green"))
    now, nodes, history = session.now, len(session.tree), list(session.history)
    _edit(story, 'name = "Village Green"', 'name = "Market Green"')
    assert session.reload_story() == []
    assert (session.now, len(session.tree), session.history) == (now, nodes, history)
    assert session.name_of("green") == "Market Green"
    session.do(Command("wait", minutes=30))  # and play goes on
    session.close()


def test_a_story_that_no_longer_validates_keeps_the_old_one_running(tmp_path: Path) -> None:
    story = _copy(tmp_path)
    session = GameSession(str(story), seed=3)
    session.start()
    session.do(Command("wait", minutes=60))
    before = session.fingerprint()
    _edit(story, 'name = "Village Green"', 'name = "Market Green"\ncolour = "green"')
    problems = session.reload_story()
    assert len(problems) == 1 and "colour: unknown field" in problems[0]
    assert problems[0].startswith(f"{story}:")
    assert session.fingerprint() == before
    assert session.name_of("green") == "Village Green"
    session.close()


def test_text_mode_reload_command(tmp_path: Path) -> None:
    story = _copy(tmp_path)
    session = GameSession(str(story), seed=2)
    session.start()
    out = io.StringIO()
    game = TextGame(session, out)
    _edit(story, 'title = "The Lamp at Gullhaven"', 'title = "The Lamp at Gullhaven, again"')
    game.run(["wait 30", "reload"])
    assert "Reloaded The Lamp at Gullhaven, again" in out.getvalue()
    _edit(story, "loop_days = 2", "loop_days = 99")
    game.run(["reload"])
    text = out.getvalue()
    assert "The story was not reloaded; the old one goes on:" in text
    assert f"{story}:" in text and "scenario.loop_days" in text
    assert game.s.story.scenario.title == "The Lamp at Gullhaven, again"
    session.close()


def test_f5_in_the_desktop_town_reloads_the_story(tmp_path: Path) -> None:
    from game.ui import driver as d
    from game.ui.app import App

    story = _copy(tmp_path)
    app = App(story=str(story), saves_dir=str(tmp_path / "saves"),
              config_path=tmp_path / "settings.json", size=(1280, 720))
    app.push(app.title_scene())
    d.pump(app, 2)
    try:
        d.key(app, pygame.K_RETURN)
        assert app.top.name == "town"
        assert "F5 reload story" in app.top.hints
        _edit(story, 'name = "Village Green"', 'name = "Market Green"')
        d.key(app, pygame.K_F5)
        assert app.session.name_of("green") == "Market Green"
        assert app.top.result[0].startswith("Reloaded the story")
        _edit(story, "loop_days = 2", 'loop_days = "two"')
        d.key(app, pygame.K_F5)
        assert app.top.result[0] == "The story was not reloaded; the old one goes on:"
        assert "scenario.loop_days" in app.top.result[1]
        assert app.session.name_of("green") == "Market Green"
    finally:
        while app.scenes:
            app.scenes.pop().leave()
