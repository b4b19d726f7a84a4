"""LLM mind speed: 7 game days of the main mystery against a server with 300 ms latency.

Prints LLM calls per agent per game-day, tokens and total wall time. Targets: at most
6 calls per agent per game-day and at most 30 s wall. (Generative Agents makes about
55 calls per agent per game-hour.) Uses story/main.toml when game.scenario can load
it, else a synthetic town of 8 agents.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine.synthetic import synthetic_spec  # noqa: E402
from game.engine.world import World  # noqa: E402
from game.minds.llm import LLMConfig, LLMMind  # noqa: E402
from tests.llm_fault_server import FaultServer  # noqa: E402

DAYS = 7
LATENCY = 0.3


def main_story() -> tuple[str, dict[str, Any], int, Callable[[], list[Any]]]:
    try:
        from game.mystery.rules import MysteryRules
        from game.scenario.build import build_spec, story_hash
        from game.scenario.loader import load_story

        result = load_story(ROOT / "story" / "main.toml")
        if result.ok and result.story is not None:
            spec = build_spec(result.story, story_hash(result.text))
            return ("story/main.toml", spec, result.story.scenario.seed,
                    lambda: [MysteryRules(spec["mystery"])])
    except ImportError:
        pass
    return "synthetic_spec(8, 10)", synthetic_spec(8, 10), 1, list


def main() -> None:
    name, spec, seed, rules = main_story()
    with FaultServer(latency=LATENCY) as server:
        mind = LLMMind(LLMConfig(base_url=server.base_url, model="bench", timeout=10))
        world = World(spec, seed, mind, rules())
        agents = sum(1 for a in world.agents.values() if not a.controlled)
        start = time.monotonic()
        world.run_until(world.now + DAYS * 1440)
        wall = time.monotonic() - start
        mind.close()
    s = mind.stats()
    per = s["llm_calls"] / (agents * DAYS)
    print(f"scenario: {name}, {agents} agents x {DAYS} days, {LATENCY * 1000:.0f} ms per call")
    print(f"LLM calls: {s['llm_calls']} ({per:.2f} per agent per game-day; target <= 6)")
    print(f"  by kind: {s['requests_by_kind']}, HTTP requests: {server.requests}")
    print(f"tokens: {s['prompt_tokens']} prompt + {s['completion_tokens']} completion")
    print(f"decisions: {s['generated_decisions']} by the LLM, {s['scripted_decisions']} scripted;"
          f" fallbacks {s['fallbacks']}, cache hits {s['cache_hits']}")
    print(f"invalid decisions: {world.stats['invalid_decisions']}")
    print(f"wall: {wall:.1f} s (target <= 30 s)")


if __name__ == "__main__":
    main()
