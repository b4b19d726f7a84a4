"""At start-up the LLM mind says once, plainly, whether its model server is there."""

from __future__ import annotations

import json

import pytest

from game.engine.synthetic import synthetic_spec
from game.engine.world import World
from game.minds.factory import make_mind
from game.minds.llm import LLMConfig, LLMMind
from tests.llm_fault_server import FaultServer

KEY = "sk-test-REACHABLE-0123456789"
NOBODY = "http://127.0.0.1:9/v1"  # the discard port: nothing listens there


def test_a_server_that_answers_needs_no_word() -> None:
    with FaultServer() as srv:
        mind = LLMMind(LLMConfig(base_url=srv.base_url, model="fault"))
        assert mind.check_reachable() is None
        mind.close()
    assert srv.listed == 1 and mind.status == "ok"


def test_an_unreachable_server_is_named_once_and_the_town_goes_scripted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HINDSIGHT_API_KEY", KEY)
    mind = LLMMind(LLMConfig(base_url=NOBODY, breaker_cooldown=600), route="all",
                   calls_per_agent_day=100,
                   decisions_per_agent_day=100)
    sentence = mind.check_reachable()
    assert sentence == ("The model server at http://127.0.0.1:9/v1 did not answer "
                        "(connection refused); the town runs on scripted minds.")
    probes = mind.client.http_calls
    world = World(synthetic_spec(3, 4), 1, mind)
    world.run_until(6 * 60)
    mind.close()
    assert probes == 1
    assert mind.client.http_calls == probes  # the breaker kept every decision offline
    assert world.stats["decisions"] > 0
    assert mind.stats()["scripted_decisions"] >= world.stats["decisions"]
    assert KEY not in json.dumps(mind.stats()) + mind.status


def test_a_refused_key_is_said_without_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HINDSIGHT_API_KEY", KEY)
    with FaultServer(api_key="sk-the-right-one") as srv:
        mind = LLMMind(LLMConfig(base_url=srv.base_url, model="fault"))
        sentence = mind.check_reachable()
        url = srv.base_url
        mind.close()
    assert sentence == (f"The model server at {url} refused the API key "
                        "(HTTP 401); the town runs on scripted minds.")
    assert KEY not in sentence and "REACHABLE" not in sentence


def test_credentials_in_the_url_are_not_repeated() -> None:
    mind = LLMMind(LLMConfig(base_url="http://user:hunter2@127.0.0.1:9/v1"))
    sentence = mind.check_reachable() or ""
    mind.close()
    assert "hunter2" not in sentence and "http://127.0.0.1:9/v1" in sentence


def test_a_replay_never_needs_the_server() -> None:
    mind = make_mind("llm", record={"version": 1, "entries": []}, config={"model": "fault"})
    assert mind.check_reachable() is None
    assert mind.client.http_calls == 0
    mind.close()


def test_deadlines_changed_after_the_start_up_probe_still_count() -> None:
    """The start-up probe builds the SDK client; deadlines given after that (a slow
    model given more patience) must still hold, for plain and streamed calls alike."""
    from game.minds.llm.client import LLMClient

    messages = [{"role": "user", "content": "Morning?"}]
    schema = {"type": "object", "properties": {"reply": {"type": "string"}}}
    with FaultServer(responder=lambda body: json.dumps({"reply": "Morning."})) as srv:
        config = LLMConfig(base_url=srv.base_url, model="fault", retries=0, timeout=0.2,
                           first_token_timeout=0.2, call_timeout=0.2)
        client = LLMClient(config)
        assert client.check_reachable() is None  # the client now exists
        config.timeout = config.first_token_timeout = config.call_timeout = 60.0
        srv.latency = 1.0  # five times the first deadlines, far inside the new ones
        plain = client.run(client.complete(messages, schema, "answer", 50), 120)
        streamed = client.run(client.complete(messages, schema, "answer", 50,
                                              on_delta=lambda text: None), 120)
        client.close()
    assert json.loads(plain.text) == json.loads(streamed.text) == {"reply": "Morning."}
    assert not client.errors and srv.requests == 2 and srv.streamed == 1
