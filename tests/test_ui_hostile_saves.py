"""The desktop app stays up on every hostile save (issue 15, item 2): the load screen
loads on a worker, shows a failure as one line and stays; a long load can be cancelled."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui import driver as d  # noqa: E402
from game.ui.app import App  # noqa: E402

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
FILES = sorted(HOSTILE.glob("*.hsav"))
LONG = {"work_alternating_at_cap", "work_skip_end_storm", "work_waits_at_cap"}


@pytest.fixture
def app(tmp_path):
    a = App(story="tutorial.toml", saves_dir=str(tmp_path / "saves"),
            config_path=tmp_path / "settings.json", size=(1280, 720))
    a.push(a.title_scene())
    d.pump(a, 2)
    yield a
    while a.scenes:
        a.scenes.pop().leave()


def _load(app: App, path: Path, mode: str) -> str:
    """Open ``path`` from the load screen; the name of the scene it ends on."""
    app.reset_to("title")
    app.push("load", mode, path)
    scene = d.top(app)
    d.run_until(app, lambda: app.top is not scene or scene.loader is None, 20, 120)
    d.pump(app, 2)  # draw the outcome
    return d.top(app).name


def test_every_hostile_save_leaves_the_app_up(app):
    outcomes: dict[str, int] = {}
    refused_unread = False
    for path in FILES:
        for mode in ("replay", "load"):
            if mode == "load" and (path.stem in LONG or refused_unread):
                continue  # the same reading refuses it in both modes; long ones: below
            name = _load(app, path, mode)
            refused_unread = name == "load"
            assert app.running and app.scenes
            assert name in ("load", "town", "end", "replay"), (path.name, mode, name)
            if name == "load":
                error = d.top(app).error
                assert error and "\n" not in error, (path.name, mode)
                assert "Traceback" not in error
            if name == "replay" and path.stem not in LONG:
                d.key(app, pygame.K_END)  # play the whole history back
                d.run_until(app, lambda: not d.top(app).seeking, 20, 60)
                d.key(app, pygame.K_HOME)
                assert d.top(app).name == "replay"
            outcomes[name] = outcomes.get(name, 0) + 1
    assert outcomes["load"] >= 90  # most are refused, with a line saying why
    assert outcomes.get("replay", 0) + outcomes.get("town", 0) > 0


def test_a_long_load_shows_progress_and_can_be_cancelled(app, tmp_path):
    saves = Path(app.saves_dir)
    saves.mkdir(parents=True, exist_ok=True)
    shutil.copy(HOSTILE / "work_waits_at_cap.hsav", saves / "long.hsav")
    app.push("load", "load")
    d.key(app, pygame.K_1)
    scene = d.top(app)
    assert scene.loader is not None and scene.bar is not None
    loader = scene.loader
    d.run_until(app, lambda: loader.progress[0] > 0, 20, 60)
    d.key(app, pygame.K_ESCAPE)
    assert d.top(app) is scene and scene.loader is None and "cancelled" in scene.error
    assert loader.wait(60) and loader.progress[0] < loader.progress[1]
    d.pump(app, 2)
    assert not scene.dropped  # the cancelled load was closed once it stopped
    assert app.session is None


def test_jumping_to_the_end_of_a_long_replay_never_freezes_a_frame(app):
    app.push("load", "replay", HOSTILE / "work_waits_at_cap.hsav")
    d.run_until(app, lambda: app.top.name == "replay", 20, 60)
    rp = d.top(app)
    d.key(app, pygame.K_END)  # two frames: a few entries each, never the whole history
    assert 0 < rp.step_i < len(rp.history) and rp.seeking and rp.target == len(rp.history)
    d.key(app, pygame.K_HOME)  # a new seek replaces the old one
    assert rp.step_i == 0 and not rp.seeking
