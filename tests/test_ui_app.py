"""Headless UI tests: scenes change on posted events, the tutorial plays to an ending through
the UI, and draw() never changes game state."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui import driver as d  # noqa: E402
from game.ui import gameplay  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.settings import Settings  # noqa: E402

TUTORIAL = str(Path(__file__).resolve().parents[1] / "story" / "tutorial.toml")
WIN = [{"culprit": "odile", "motive": "fact:tonic_death", "means": "foxglove_gone",
        "opportunity": "fact:asked_hours"}]


@pytest.fixture
def app(tmp_path):
    a = App(story="tutorial.toml", saves_dir=str(tmp_path / "saves"),
            config_path=tmp_path / "settings.json", size=(1280, 720))
    a.push(a.title_scene())
    d.pump(a, 2)
    yield a
    while a.scenes:
        a.scenes.pop().leave()


def names(app):
    return [s.name for s in app.scenes]


def wait_skip(app):
    d.run_until(app, lambda: app.top.name != "skip" or app.top.phase == "done", 5000)


def test_title_enter_starts_the_tutorial_and_hotkeys_switch_scenes(app):
    d.key(app, pygame.K_RETURN)
    assert names(app) == ["title", "town"]
    assert app.session.scenario_id == "tutorial"
    for k, name in ((pygame.K_n, "notebook"), (pygame.K_l, "timeline"), (pygame.K_s, "skip")):
        d.key(app, k)
        assert app.top.name == name
        d.key(app, pygame.K_ESCAPE)
        assert app.top.name == "town"
    d.key(app, pygame.K_ESCAPE)
    assert app.top.name == "title"
    assert (Path(app.saves_dir) / "autosave.hsav").exists()  # leaving the town autosaves


def test_mouse_clicks_on_widgets_and_the_map(app):
    d.click(app, d.button_with(app, "New game"))
    assert app.top.name == "town"
    d.click(app, d.button_with(app, "Notebook"))
    assert app.top.name == "notebook"
    d.click(app, d.button_with(app, "Back"))
    town = app.top
    assert town.name == "town"
    green = town.map.screen_pos("green")
    d.click_at(app, green)
    go = d.button_with(app, "Go to Village Green")
    assert "min" in go.text  # the travel time is shown before you go
    assert app.session.here() == "lighthouse"
    d.click_at(app, app.top.map.screen_pos("green"))  # a second click walks
    assert app.session.here() == "green"
    assert app.session.history[-1]["verb"] == "go"


def test_hover_tooltip_only_tells_what_the_player_can_see(app):
    d.key(app, pygame.K_RETURN)
    town = app.top
    far = town.map.tooltip_lines("tavern")
    assert any("unknown" in line for line in far)
    assert not any("Tess" in line for line in far)
    here = town.map.tooltip_lines(app.session.here())
    assert any("You are here" in line for line in here)


def test_playthrough_of_the_tutorial_to_the_true_ending_through_the_ui(app):
    d.key(app, pygame.K_RETURN)
    for _ in range(5):  # one-hour skips until lunch at the tavern
        d.key(app, pygame.K_s)
        d.key(app, pygame.K_1)
        wait_skip(app)
        d.key(app, pygame.K_RETURN)
    d.key(app, pygame.K_w)
    s = app.session
    assert s.here() == "tavern"
    people = [p["id"] for p in app.top.map.people]
    d.key(app, pygame.K_1 + people.index("corin"))
    talk = app.top
    assert talk.name == "talk" and talk.person == "corin"
    d.key(app, pygame.K_2)  # topic: about a person
    talk.arg_pick = "odile"
    talk.relayout()
    known = set(s.notebook.clues)
    d.key(app, pygame.K_RETURN)
    assert "Corin Lusk:" in talk.answer_html
    assert "fact:asked_hours" in s.notebook.clues
    if "fact:asked_hours" not in known:  # (he may have told you already over lunch)
        assert "New clue" in talk.answer_html
    d.key(app, pygame.K_ESCAPE)
    apo = app.top.map.screen_pos("apothecary")
    d.click_at(app, apo)
    d.click_at(app, apo)
    d.key(app, pygame.K_f)
    assert "foxglove_gone" in s.notebook.clues
    harbour = app.top.map.screen_pos("harbour")  # the accusation goes to Bram, in person
    d.click_at(app, harbour)
    d.click_at(app, harbour)
    assert s.here() == "harbour"
    d.key(app, pygame.K_n)
    d.key(app, pygame.K_5)
    board = app.top
    board.picks = WIN
    board.relayout()
    d.key(app, pygame.K_RETURN)
    assert s.notebook.accusations[-1]["confirmed"] is True
    d.key(app, pygame.K_ESCAPE)
    d.key(app, pygame.K_s)
    d.key(app, pygame.K_5)
    wait_skip(app)
    d.key(app, pygame.K_RETURN)
    assert app.top.name == "end"
    assert s.status == "ended" and s.ending["id"] == "lamp_lit"
    app.saver.flush()  # saves finish on the writer thread
    assert (Path(app.saves_dir) / "autosave.hsav").exists()


def test_death_screen_then_rewind_starts_the_next_loop(app):
    d.key(app, pygame.K_RETURN)
    d.key(app, pygame.K_s)
    d.key(app, pygame.K_5)
    wait_skip(app)
    d.key(app, pygame.K_RETURN)
    assert app.top.name == "end" and app.session.status == "dead"
    assert app.session.notebook.deaths
    d.key(app, pygame.K_r)
    assert app.top.name == "town"
    assert app.session.loop == 2 and app.session.status == "playing"


def test_skip_is_one_history_entry_and_can_be_cancelled(app):
    d.key(app, pygame.K_RETURN)
    s = app.session
    before = len(s.history)
    d.key(app, pygame.K_s)
    app.top.pace = 0.01
    d.key(app, pygame.K_5, frames=1)
    assert app.top.phase == "running"
    t0 = time.perf_counter()
    frames = 0
    while time.perf_counter() - t0 < 0.2:  # the window keeps drawing while time passes
        d.pump(app, 1)
        frames += 1
    assert frames > 5
    d.key(app, pygame.K_ESCAPE, frames=1)
    wait_skip(app)
    assert app.top.runner.cancelled
    assert len(s.history) == before + 1
    assert s.history[-1]["verb"] == "skip" and s.history[-1]["topic"] == "until"
    assert s.world.now < s.loop_end


def test_draw_never_changes_game_state(app):
    d.key(app, pygame.K_RETURN)
    for _ in range(5):
        d.key(app, pygame.K_s)
        d.key(app, pygame.K_1)
        wait_skip(app)
        d.key(app, pygame.K_RETURN)
    d.key(app, pygame.K_w)
    surf = pygame.Surface(app.screen.get_size())

    def check():
        before = app.snapshot_state()
        for _ in range(3):
            app.top.draw(surf)
            app.render(surf)
        assert app.snapshot_state() == before, app.top.name

    check()  # town
    d.key(app, pygame.K_1)
    check()  # talk
    d.key(app, pygame.K_ESCAPE)
    for k in (pygame.K_n, pygame.K_l, pygame.K_s):
        d.key(app, k)
        check()
        if app.top.name == "notebook":
            for tab in (pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5):
                d.key(app, tab)
                check()
        d.key(app, pygame.K_ESCAPE)


def test_save_load_and_replay_reproduce_the_game(app):
    d.key(app, pygame.K_RETURN)
    d.key(app, pygame.K_w)
    d.key(app, pygame.K_s)
    d.key(app, pygame.K_2)
    wait_skip(app)
    d.key(app, pygame.K_RETURN)
    s = app.session
    path = app.autosave("slot1")
    app.saver.flush()
    digest, history = s.world.log.digest, list(s.history)
    loaded, story = gameplay.load(path)
    assert story == app.story_path
    assert loaded.history == history and loaded.world.log.digest == digest
    d.key(app, pygame.K_ESCAPE)  # title
    d.key(app, pygame.K_r)
    assert app.top.name == "load"
    slots = [sl.slot for sl in app.top.slots]
    d.key(app, pygame.K_1 + slots.index("slot1"))
    d.run_until(app, lambda: app.top.name == "replay", 20, 60)  # prepared on a worker
    rp = app.top
    assert rp.name == "replay"
    d.key(app, pygame.K_END)
    d.run_until(app, lambda: not rp.seeking, 20, 60)  # applied in each frame's spare time
    assert rp.view.world.log.digest == digest
    d.key(app, pygame.K_HOME)
    assert rp.step_i == 0 and rp.view.world.now == rp.view.world.now
    d.key(app, pygame.K_RIGHT)
    assert rp.step_i == 1


def test_resize_relayouts_the_top_scene(app):
    d.key(app, pygame.K_RETURN)
    app.set_window((1920, 1080), False)
    d.pump(app, 2)
    assert app.screen.get_size() == (1920, 1080)
    right = max(el.rect.right for el in app.top.elements)
    assert 1500 < right <= 1920
    assert app.top.map.rect.w > 1300


def test_settings_round_trip_and_bad_file(tmp_path):
    p = tmp_path / "s.json"
    s = Settings(mind="openai", model="m", text_size="large", volume=0.25)
    s.save(p)
    again = Settings.load(p)
    assert (again.mind, again.model, again.text_size, again.volume) == ("openai", "m", "large",
                                                                         0.25)
    p.write_text("{not json")
    assert Settings.load(p) == Settings()
    p.write_text('{"mind": "evil", "volume": 9}')
    bad = Settings.load(p)
    assert bad.mind == "scripted" and bad.volume == 1.0


def test_settings_screen_saves_json(app):
    d.key(app, pygame.K_o)
    assert app.top.name == "settings"
    d.key(app, pygame.K_RETURN, mod=pygame.KMOD_CTRL)
    assert app.top.name == "title"
    assert app.config_path.exists()


def test_enter_in_a_text_box_asks_once(app):
    """Enter finishes the text box; the talk screen's own Enter hotkey must not fire too."""
    from game.session import Command
    from game.ui.scenes.talk import TalkScene

    d.key(app, pygame.K_RETURN)  # new game
    s = app.session
    s.do(Command("go", target="harbour"))
    s.do(Command("wait", minutes=20))
    talk = app.push(TalkScene(app, "corin"))
    d.pump(app, 2)
    before = len(s.history)
    d.click(app, talk.arg_entry)
    d.key(app, pygame.K_RETURN, frames=3)
    asked = s.history[before:]
    assert [(h["verb"], h["topic"]) for h in asked] == [("ask", "where")]


def test_free_text_box_asks_menu_questions_with_the_scripted_minds(app):
    """Plain words in the talk screen's box run as the question they ask; anything else is
    a one-line hint and costs no time."""
    from game.session import Command

    d.key(app, pygame.K_RETURN)  # new game
    s = app.session
    assert not s.free_text  # the scripted minds
    s.do(Command("go", target="harbour"))
    s.do(Command("wait", minutes=20))
    talk = app.push("talk", "corin")
    d.pump(app, 2)
    before = len(s.history)
    talk.free.set_text("Have you noticed anything strange?")
    d.click(app, talk.free)
    d.key(app, pygame.K_RETURN, frames=3)
    assert [(h["verb"], h["topic"]) for h in s.history[before:]] == [("ask", "unusual")]
    assert "Corin" in talk.answer_html
    now = s.world.now
    talk.free.set_text("Lovely weather for ducks.")
    d.click(app, talk.free)
    d.key(app, pygame.K_RETURN, frames=3)
    assert s.world.now == now and len(s.history) == before + 1
    assert "doesn't follow" in talk.answer_html
