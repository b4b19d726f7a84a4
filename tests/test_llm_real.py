"""LLM minds against the real llama-cpp-python server running SmolLM2-135M.

Started once per session on 127.0.0.1 by ``game.minds.llm.local``. Skipped only when
llama_cpp is not importable (``make test`` installs it via the ``local`` extra).

A busy machine may make a call time out: that is allowed, as long as the game plays
on with a scripted decision and says so (the timeout is counted and the fallback
recorded) and the replay is still offline and identical. Nothing here is timed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from game.engine.synthetic import synthetic_spec
from game.engine.world import World
from game.minds.llm import LLMConfig, LLMMind, Recorder
from game.minds.llm.local import LocalServer, llama_cpp_available

ROOT = Path(__file__).resolve().parents[1]
DAYS = 2

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(not llama_cpp_available(),
                       reason="llama-cpp-python is not installed (pip install -e '.[local]')"),
]


def _tutorial_spec() -> tuple[dict[str, Any], int, Callable[[], list[Any]]]:
    """The tutorial story (spec, seed, rules factory) via game.scenario; synthetic if absent."""
    try:
        from game.mystery.rules import MysteryRules
        from game.scenario.build import build_spec, story_hash
        from game.scenario.loader import load_story
    except ImportError:
        return synthetic_spec(4, 5), 1, list
    result = load_story(ROOT / "story" / "tutorial.toml")
    if not result.ok or result.story is None:
        return synthetic_spec(4, 5), 1, list
    spec = build_spec(result.story, story_hash(result.text))
    return spec, result.story.scenario.seed, lambda: [MysteryRules(spec["mystery"])]


@pytest.fixture(scope="session")
def smollm() -> Iterator[LocalServer]:
    with LocalServer(n_ctx=2048) as server:
        yield server


# Faults a run may show: a slow machine (timeouts) and a tiny model (an empty answer).
# Anything else (the server crashing, refusing requests) is a real failure.
TOLERATED = {"timeout", "empty", "refusal"}


def _mind(base_url: str, recorder: Recorder) -> LLMMind:
    # one request at a time, as llama-cpp-python serves them, and a patient timeout
    cfg = LLMConfig(base_url=base_url, model="smollm2", timeout=120, call_timeout=120,
                    first_token_timeout=120, validation_retries=1,
                    breaker_cooldown=5, concurrency=1)
    # Small answers keep the CPU-only model fast: 3 calls per agent per day, short talks.
    return LLMMind(cfg, recorder=recorder, calls_per_agent_day=3, talk_lines=2,
                   talk_chars=60)



def test_two_days_with_smollm_are_valid_and_replay_offline(smollm: LocalServer) -> None:
    spec, seed, rules = _tutorial_spec()
    mind = _mind(smollm.base_url, Recorder("record"))
    outside: list[str] = []
    decide = mind.decide

    def checked(world: World, situations: list[Any]) -> list[Any]:
        out = decide(world, situations)
        outside.extend(a.label() for a, s in zip(out, situations, strict=True)
                       if a not in s.allowed)
        return out

    mind.decide = checked  # type: ignore[method-assign]
    world = World(spec, seed, mind, rules())
    world.run_until(world.now + DAYS * 1440)
    mind.close()
    stats = mind.stats()
    print(f"\nSmolLM2 {DAYS}-day run: {json.dumps(stats)}")
    assert world.stats["invalid_decisions"] == 0 and outside == []
    assert stats["llm_calls"] > 0 and stats["mode"] == "json_object"  # json_schema: no
    assert stats["requests"] > stats["fallbacks"]  # the model answered some of it
    _every_fault_is_accounted_for(mind)

    record = json.loads(json.dumps(mind.record))
    replay = _mind("http://127.0.0.1:9/v1", Recorder("replay", record))
    again = World(spec, seed, replay, rules())
    again.run_until(again.now + DAYS * 1440)
    replay.close()
    assert again.log.digest == world.log.digest
    assert replay.client.http_calls == 0 and replay.stats()["replay_misses"] == 0
    assert replay.fallback_log == mind.fallback_log  # fallbacks replay as fallbacks


def test_the_players_answer_streams_from_smollm(smollm: LocalServer) -> None:
    """Token by token from the real server: growing checked prefixes, then the answer."""
    spec, seed, rules = _tutorial_spec()
    mind = _mind(smollm.base_url, Recorder("record"))
    world = World(spec, seed, mind, rules())
    world.run_until(world.now + 60)
    agent_id = next(a.id for a in world.order if a.id != spec.get("player"))
    shown: list[str] = []
    answer = mind.answer_player(world, agent_id, "Good morning! How are you today?", [],
                                on_text=shown.append)
    mind.close()
    assert answer.text and shown and shown[-1] == answer.text
    if answer.source == "llm":  # the tiny model may still fail validation: then scripted
        growing = [t for t in shown[:-1] if t]
        assert len(growing) >= 2, shown
        assert all(b.startswith(a) for a, b in zip(growing, growing[1:], strict=False))
        assert all(answer.text.startswith(t) for t in growing)
    else:
        assert any(fb["kind"] == "answer" for fb in mind.fallback_log)
    _every_fault_is_accounted_for(mind)


def _every_fault_is_accounted_for(mind: LLMMind) -> None:
    """Only tolerated faults, and each one that ended a request left a recorded fallback
    (with its time, agent and reason)."""
    stats = mind.stats()
    assert set(stats["errors"]) <= TOLERATED, stats["errors"]
    assert stats["errors"].get("timeout", 0) <= stats["fallbacks"]
    assert stats["fallbacks"] == len(mind.fallback_log) == mind.recorder.fallbacks
    for fb in mind.fallback_log:
        assert isinstance(fb["time"], int) and fb["agent"] and fb["reason"]
