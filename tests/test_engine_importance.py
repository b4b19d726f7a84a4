"""The engine's batched importance hook: a mind with ``rate_importance`` re-rates, every
midnight for the whole town at once, what each agent saw and heard; minds without it
leave the rules' ratings."""

from __future__ import annotations

import json
from typing import Any

import pytest

import game.engine.world as world_module
from game.engine.clock import MINUTES_PER_DAY
from game.engine.synthetic import synthetic_spec
from game.engine.world import IMPORTANCE_BATCH, World
from game.minds.factory import make_mind
from game.minds.llm import LLMConfig, LLMMind
from game.minds.scripted import ScriptedMind
from tests.llm_fault_server import FaultServer

RATED_KINDS = ("observation", "conversation")
DAY = MINUTES_PER_DAY


class RatingMind(ScriptedMind):
    """The scripted mind plus a rater that calls every memory it is shown a 10."""

    def __init__(self, answer_length: int | None = None) -> None:
        super().__init__()
        self.batches: list[tuple[int, str, list[str]]] = []
        self.calls: list[int] = []
        self.answer_length = answer_length

    def rate_importance(self, world: World,
                        batch: dict[str, list[str]]) -> dict[str, list[int]]:
        self.calls.append(world.now)
        out = {}
        for agent_id, texts in batch.items():
            self.batches.append((world.now, agent_id, list(texts)))
            n = len(texts) if self.answer_length is None else self.answer_length
            out[agent_id] = [10] * n
        return out


def _run(mind: Any, days: int = 3, seed: int = 4) -> World:
    world = World(synthetic_spec(6, 6, seed=1), seed, mind)
    world.run_until(days * DAY)
    return world


def test_a_rating_mind_rescores_the_town_once_a_day_in_one_batch() -> None:
    mind = RatingMind()
    world = _run(mind)
    assert mind.batches, "the engine never asked for importance"
    assert [t // DAY for t in mind.calls] == [1, 2, 3]  # one call per day, at its start
    per_day: dict[tuple[str, int], int] = {}
    for now, agent_id, texts in mind.batches:
        assert 1 <= len(texts) <= IMPORTANCE_BATCH
        key = (agent_id, now // DAY)
        per_day[key] = per_day.get(key, 0) + 1
    assert max(per_day.values()) == 1  # one batch per agent per day
    assert world.stats["importance_batches"] == len(mind.batches)
    for _, agent_id, texts in mind.batches:  # every text shown is now rated 10
        nodes = world.agents[agent_id].memory.nodes
        for text in texts:
            assert any(n.text == text and n.kind in RATED_KINDS and n.importance == 10
                       for n in nodes), text
    plain = _run(ScriptedMind())
    def tens(w: World) -> int:
        return sum(n.importance == 10 for a in w.agents.values() for n in a.memory.nodes)
    assert tens(world) > tens(plain)
    # the rescored nodes now lead the importance window retrieval draws on
    agent = next(a for a in world.agents.values() if any(n.importance == 10
                                                         for n in a.memory.nodes))
    ranked = sorted(agent.memory.nodes, key=lambda n: (-n.importance, -n.id))
    window = [-neg_id for _, neg_id in agent.memory._important]
    assert window == [n.id for n in ranked[:agent.memory.important_window]]


def test_rated_worlds_restore_and_continue_identically(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A restored world remembers how far each stream has been rated: its rater is shown
    exactly what the unbroken world's was shown, never the same memories twice."""
    # Uncapped, so a restored world that forgot where rating stopped would show more.
    monkeypatch.setattr(world_module, "IMPORTANCE_BATCH", 10_000)
    straight_mind = RatingMind()
    straight = _run(straight_mind, days=3)
    world = _run(RatingMind(), days=1)
    rated = {a.id: a.memory.rated for a in world.agents.values()}
    assert all(rated.values()), "the first midnight rated every agent's stream"
    snap = json.loads(json.dumps(world.snapshot()))
    assert {a: s["memory"].get("rated", 0) for a, s in snap["agents"].items()} == rated
    mind = RatingMind()
    again = World.restore(snap, mind)
    assert {a.id: a.memory.rated for a in again.agents.values()} == rated
    again.run_until(3 * DAY)
    assert mind.batches == [b for b in straight_mind.batches if b[0] // DAY >= 2]
    assert again.log.digest == straight.log.digest
    assert json.dumps(again.snapshot()) == json.dumps(straight.snapshot())


def test_a_wrong_length_answer_changes_nothing() -> None:
    plain = _run(ScriptedMind())
    odd = _run(RatingMind(answer_length=0))
    importances = lambda w: [(n.id, n.importance) for a in w.agents.values()  # noqa: E731
                             for n in a.memory.nodes]
    assert importances(odd) == importances(plain)
    assert odd.log.digest == plain.log.digest
    assert "importance_batches" not in odd.stats


def test_scripted_snapshots_carry_no_rating_state() -> None:
    snap = _run(ScriptedMind(), days=1).snapshot()
    text = json.dumps(snap)
    assert '"rated"' not in text


def test_llm_importance_is_batched_charged_and_replays_offline() -> None:
    spec = synthetic_spec(5, 6, seed=9)
    cfg = {"model": "fault", "timeout": 0.5, "retries": 1, "backoff": 0.01,
           "backoff_max": 0.05}
    with FaultServer() as srv:
        mind = LLMMind(LLMConfig(base_url=srv.base_url, **cfg))
        world = World(spec, 8, mind)
        world.run_until(3 * DAY)
        asked = mind.requests["importance"]
        assert asked > 0 and world.stats["importance_batches"] > 0
        digest, calls = world.log.digest, srv.requests
        record = mind.record
        mind.close()
    offline = make_mind("llm", record=record, config=LLMConfig(**cfg).public())
    again = World(spec, 8, offline)
    again.run_until(3 * DAY)
    assert again.log.digest == digest
    assert offline.client.http_calls == 0
    assert calls > 0
    offline.close()
