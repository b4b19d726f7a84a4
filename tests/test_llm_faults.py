"""LLM minds against a fault-injecting OpenAI-compatible server on 127.0.0.1.

30% of calls fail in every way we know (timeouts, 429, 5xx, dropped connections,
malformed/truncated JSON, refusals, empty answers, garbage bodies). The simulation
must never crash or freeze, every decision must be one the world allows, every
scripted fallback must be recorded, and the record must replay offline to the same
event-log hash.
"""

from __future__ import annotations

import json

import pytest

from game.engine.synthetic import synthetic_spec
from game.engine.world import World
from game.minds.llm import LLMConfig, LLMMind, Recorder
from tests.llm_fault_server import FAULTS, FaultServer

FAST = {"model": "fault", "timeout": 0.25, "retries": 2,
        "breaker_threshold": 4, "breaker_cooldown": 0.05}
PATIENT = {"model": "fault", "timeout": 60}  # no spurious timeouts where requests are counted


class Checked(LLMMind):
    """Records whether each returned action was in its situation's allowed list."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outside: list[str] = []
        self.decided = 0

    def decide(self, world, situations):
        out = super().decide(world, situations)
        for s, a in zip(situations, out, strict=True):
            self.decided += 1
            if a not in s.allowed:
                self.outside.append(a.label())
        return out


def _mind(base_url: str, recorder: Recorder | None = None) -> Checked:
    return Checked(LLMConfig(base_url=base_url, **FAST), recorder=recorder, route="all",
                   calls_per_agent_day=10_000, decisions_per_agent_day=10_000)


def test_fault_storm_never_breaks_the_game_and_replays_offline() -> None:
    spec = synthetic_spec(8, 10, seed=4)
    with FaultServer(fault_rate=0.3, hang=0.6, seed=11) as srv:
        mind = _mind(srv.base_url)
        world = World(spec, 5, mind)
        world.run_until(2 * 1440)
        mind.close()
    stats = mind.stats()
    assert srv.requests >= 500, srv.requests
    assert set(srv.injected) == set(FAULTS), srv.injected  # every kind of fault happened
    assert 0.2 < sum(srv.injected.values()) / srv.requests < 0.4
    assert world.stats["invalid_decisions"] == 0
    assert mind.outside == [] and mind.decided >= world.stats["decisions"] > 300
    assert stats["generated_decisions"] > 0.6 * mind.decided  # the model decided most
    # every fallback is recorded, with time, agent and reason, and counted
    assert stats["fallbacks"] == len(mind.fallback_log) == mind.recorder.fallbacks > 0
    for fb in mind.fallback_log:
        assert isinstance(fb["time"], int) and fb["agent"] and fb["reason"]
    # the SDK retried: more HTTP requests reached the server than the mind made calls
    assert mind.client.http_calls >= srv.requests > stats["llm_calls"]

    # The record is plain data; replaying it needs no server at all.
    record = json.loads(json.dumps(mind.record))
    replay = _mind("http://127.0.0.1:9/v1", Recorder("replay", record))
    again = World(spec, 5, replay)
    again.run_until(2 * 1440)
    replay.close()
    assert again.log.digest == world.log.digest
    assert replay.client.http_calls == 0
    assert replay.stats()["replay_misses"] == 0
    assert replay.fallback_log == mind.fallback_log


def test_unreachable_backend_goes_scripted_quickly_and_says_so() -> None:
    cfg = LLMConfig(base_url="http://127.0.0.1:9/v1", **{**FAST, "breaker_cooldown": 600})
    mind = LLMMind(cfg, route="all", calls_per_agent_day=10_000, decisions_per_agent_day=10_000)
    world = World(synthetic_spec(4, 5), 1, mind)
    world.run_until(1440)
    mind.close()
    assert world.stats["invalid_decisions"] == 0 and world.stats["decisions"] > 50
    assert mind.status.startswith("LLM backend unreachable:")
    assert "playing on with scripted minds" in mind.status
    assert mind.last_error
    # the breaker stopped the hammering: a handful of attempts, not one per decision
    assert mind.client.http_calls <= cfg.breaker_threshold * (cfg.retries + 1)
    assert mind.stats()["scripted_decisions"] >= world.stats["decisions"]


def test_batched_decisions_go_out_together() -> None:
    """Eight agents due at the same minute are asked at once, not one after another.

    The server holds each request until all eight are in flight together (or gives up
    after a while): a client that sent them one by one would show one in flight."""
    spec = synthetic_spec(8, 6, seed=2)
    with FaultServer(hold=8) as srv:
        mind = LLMMind(LLMConfig(base_url=srv.base_url, **PATIENT),
                       route="all", calls_per_agent_day=10_000, decisions_per_agent_day=10_000)
        world = World(spec, 3, mind)
        situations = [world.situation(a) for a in world.order]
        actions = mind.decide(world, situations)
        mind.close()
    assert all(a in s.allowed for a, s in zip(actions, situations, strict=True))
    assert srv.requests == len(situations) == 8
    assert srv.max_in_flight == 8
    assert mind.stats()["generated_decisions"] == 8


@pytest.mark.parametrize(("retries", "script", "retry_after", "sent", "fallback"), [
    (2, ("429", "500"), "0.01", 3, None),  # the SDK waits as asked and tries again
    (0, ("500",), "0.01", 1, "HTTP 500"),  # retries are the config's, not the SDK default
    (2, ("429",), "600", 1, "rate limited (429)"),  # over two minutes: not worth waiting
])
def test_the_sdk_retries_transient_faults_as_the_server_asks(
        retries: int, script: tuple[str, ...], retry_after: str, sent: int,
        fallback: str | None) -> None:
    with FaultServer(script=script, retry_after=retry_after) as srv:
        mind = LLMMind(LLMConfig(base_url=srv.base_url, retries=retries, **PATIENT))
        intent = mind.interpret_free_text("I want to leave", ["leave", "stay"])
        mind.close()
    assert srv.requests == mind.client.http_calls == sent
    assert intent in ("leave", "stay")
    assert mind.stats()["llm_calls"] == 1
    assert [fb["reason"] for fb in mind.fallback_log] == ([fallback] if fallback else [])


def test_think_ahead_social_mode_survives_faults_and_replays() -> None:
    """The default mode (social decisions asked ahead, plans prefetched) under faults."""
    spec = synthetic_spec(8, 6, seed=6)
    kw = {"calls_per_agent_day": 40, "decisions_per_agent_day": 20}
    # 45%: at 30% a fallback (retries exhausted) is rare enough that whether this run
    # sees one depends on how concurrent requests happen to reach the server
    with FaultServer(fault_rate=0.45, hang=0.6, seed=5) as srv:
        mind = LLMMind(LLMConfig(base_url=srv.base_url, **FAST), **kw)
        world = World(spec, 9, mind)
        world.run_until(3 * 1440)
        mind.close()
    stats = mind.stats()
    assert mind.think_ahead and srv.requests > 100
    assert world.stats["invalid_decisions"] == 0
    assert stats["generated_decisions"] > 0 and stats["fallbacks"] > 0
    assert stats["fallbacks"] == len(mind.fallback_log)
    replay = LLMMind(LLMConfig(base_url="http://127.0.0.1:9/v1", **FAST),
                     recorder=Recorder("replay", json.loads(json.dumps(mind.record))), **kw)
    again = World(spec, 9, replay)
    again.run_until(3 * 1440)
    replay.close()
    assert again.log.digest == world.log.digest and replay.client.http_calls == 0
