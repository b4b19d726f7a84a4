"""The desktop game with an LLM mind: commands run off the UI thread, the window keeps
drawing, and the reply to the player's own words streams into the talk screen."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.session import Command  # noqa: E402
from game.ui import driver as d  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.scenes.talk import TalkScene  # noqa: E402
from tests.llm_fault_server import FaultServer, instance, schema_of  # noqa: E402

TUTORIAL = str(Path(__file__).resolve().parents[1] / "story" / "tutorial.toml")
REPLY = ("Morning. The lamp wants oil again, and the tide turns at noon; I have been on the "
         "quay since first light, counting crates and cursing the gulls.")


def _model(body: dict[str, Any]) -> str:
    import random

    schema = schema_of(body) or {}
    if "reply" in schema.get("properties", {}):
        return json.dumps({"cited_facts": [], "reply": REPLY})  # in the schema's order
    return json.dumps(instance(schema, random.Random(len(json.dumps(body)))))


@pytest.fixture
def llm_app(tmp_path):
    with FaultServer(responder=_model, chunk_chars=4, chunk_delay=0.01) as srv:
        (tmp_path / "settings.json").write_text(json.dumps(
            {"mind": "openai", "api_url": srv.base_url, "model": "fault"}), encoding="utf-8")
        app = App(saves_dir=str(tmp_path / "saves"), config_path=tmp_path / "settings.json")
        app.push(app.title_scene())
        app.start_game(TUTORIAL, seed=3)
        # Deadlines have their own tests (test_llm_hostile, test_llm_reachable); here they
        # must not fire on a busy machine. The client already exists (the start-up probe
        # built it), and these still hold: every request reads them from the config.
        cfg = app.session.world.mind.client.config
        cfg.timeout = cfg.first_token_timeout = cfg.call_timeout = 120.0
        yield app, srv
        while app.scenes:
            app.scenes.pop().leave()
        app.session.close()


def _type(app: App, text: str) -> None:
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    d.pump(app, 2)


def test_town_commands_run_off_the_ui_thread_and_input_waits(llm_app) -> None:
    app, _ = llm_app
    s = app.session
    assert s.mind_may_block
    start = s.world.now
    app.top.act(Command("wait", minutes=30))
    assert app.pending is not None  # the worker has it
    frames = app.frames
    d.key(app, pygame.K_n, frames=1)  # a notebook key while the town is busy: ignored
    d.run_until(app, lambda: app.pending is None, limit=5, seconds=30)
    assert app.frames > frames and app.top.name == "town"
    assert s.world.now >= start + 30 and s.history[-1]["verb"] == "wait"


def test_free_text_reply_streams_into_the_talk_screen(llm_app) -> None:
    app, srv = llm_app
    s = app.session
    s.do(Command("go", target="harbour"))
    s.do(Command("wait", minutes=20))
    talk = app.push(TalkScene(app, "corin"))
    d.pump(app, 2)
    assert talk.free is not None  # an LLM mind: the free-text box is there
    d.click(app, talk.free)  # focus the box as a player would
    _type(app, "Good morning, Corin. Busy day?")
    d.key(app, pygame.K_RETURN, frames=2)  # the text box's "finished" event comes next frame
    assert app.pending is not None and talk.waiting is not None
    assert app.pending.cmd.verb == "say"  # Enter in the text box is not also "Ask (Enter)"
    seen: list[str] = []
    while app.pending is not None:
        d.pump(app, 1)
        if talk.answer_html not in seen:
            seen.append(talk.answer_html)
        assert len(seen) < 10_000
    client = s.world.mind.client
    assert not client.errors, (client.errors, client.last_error)  # no fallback, and why
    streamed = [h for h in seen if " …" in h]
    assert len(streamed) >= 3, seen  # the reply grew over several frames
    lengths = [len(h) for h in streamed]
    assert lengths == sorted(lengths)
    assert srv.streamed >= 1
    assert talk.waiting is None and REPLY in talk.answer_html and " …" not in talk.answer_html
    assert s.history[-1]["verb"] == "say"
    assert any(REPLY in line for line in talk.log)
    assert talk.free is not None and talk.free.is_enabled  # ready for the next line
