"""The desktop game's side of the mystery: after a skip you read what reached you, day by
day; the whole loop's chronicle is one key away; a death during a skip goes straight to
its own screen; the notebook shows each clue's kind and source, and the accusation board
works only in front of the law."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui import driver as d  # noqa: E402
from game.ui.app import App  # noqa: E402


@pytest.fixture
def app(tmp_path):
    a = App(story="tutorial.toml", saves_dir=str(tmp_path / "saves"),
            config_path=tmp_path / "settings.json", size=(1280, 720))
    a.push(a.title_scene())
    d.pump(a, 2)
    d.key(a, pygame.K_RETURN)  # a new game of the tutorial
    yield a
    while a.scenes:
        a.scenes.pop().leave()


def wait_skip(app):
    d.run_until(app, lambda: app.top.name != "skip" or app.top.phase == "done", 5000)


def texts(app) -> str:
    return " ".join(getattr(el, "html_text", "") or "" for el in app.top.elements)


def test_after_a_skip_the_digest_and_then_the_chronicle(app):
    d.key(app, pygame.K_s)
    d.key(app, pygame.K_3)  # until tomorrow morning: Odile strikes in the night
    wait_skip(app)
    assert app.top.name == "end"  # the death ended the skip on a screen of its own
    assert app.session.status == "dead"
    shown = texts(app)
    assert "What reached you before the end" in shown and "Day 1 (Mon 2 Mar)" in shown
    d.key(app, pygame.K_c)
    assert app.top.name == "chronicle"
    assert "Day 1 (Mon 2 Mar)" in texts(app)
    d.key(app, pygame.K_ESCAPE)
    assert app.top.name == "end"


def test_a_skip_that_survives_shows_every_day_it_covered(app):
    d.key(app, pygame.K_s)
    d.key(app, pygame.K_1)  # one hour
    wait_skip(app)
    assert app.top.name == "skip" and app.top.phase == "done"
    assert "Day 1 (Mon 2 Mar)" in texts(app)
    d.key(app, pygame.K_c)
    assert app.top.name == "chronicle"
    d.key(app, pygame.K_ESCAPE)
    d.key(app, pygame.K_RETURN)
    assert app.top.name == "town"


def test_the_notebook_shows_kind_and_source_and_the_board_needs_the_law(app):
    d.key(app, pygame.K_n)
    assert app.top.name == "notebook"
    shown = texts(app)
    assert "1. Last winter" in shown and "witnessed: you have always known" in shown
    d.key(app, pygame.K_5)
    board = app.top
    assert not board.accuse.is_enabled  # Bram is at the harbour, not in the lighthouse
    history = len(app.session.history)
    d.key(app, pygame.K_RETURN)
    assert "in person" in board.verdict
    assert len(app.session.history) == history


def test_drawing_the_chronicle_changes_nothing(app):
    d.key(app, pygame.K_s)
    d.key(app, pygame.K_1)
    wait_skip(app)
    d.key(app, pygame.K_c)
    surf = pygame.Surface(app.screen.get_size())
    before = app.snapshot_state()
    for _ in range(3):
        app.top.draw(surf)
        app.render(surf)
    assert app.snapshot_state() == before
