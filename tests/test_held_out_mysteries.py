"""Two mysteries written from story/README.md alone, the way a new writer would: each
validates and ends in its intended murder in every seed.

- zoo_poisoning: the keeper takes a syringe from the animal hospital (open 09:00-18:00,
  staff only after hours) and follows the director into the closed zoo
  (``after_hours = "guests"``) while she walks her night round.
- monastery_stabbing: the cellarer, who holds the kitchen ``key``, takes "the pilgrim's
  dagger" from the kitchen and finds the prior alone in his cell after Compline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.records.simulate import simulate_story
from game.scenario.loader import load_story

STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"
SEEDS = range(1, 11)

# story -> (plot, killer, weapon, places the murder may happen)
INTENDED = {
    "zoo_poisoning": ("jory_plot", "jory", "syringe", {"zoo", "lodge"}),
    "monastery_stabbing": ("anselm_plot", "anselm", "dagger", {"tomas_cell"}),
}


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_held_out_mystery_validates_without_errors(name: str) -> None:
    result = load_story(STORIES / f"{name}.toml")
    assert result.ok, [str(e) for e in result.errors]
    plans = [str(w) for w in result.warnings if "plots" in w.dotted]
    assert plans == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(INTENDED))
def test_held_out_mystery_ends_in_its_intended_murder(name: str, seed: int) -> None:
    plot, killer, weapon, places = INTENDED[name]
    data = simulate_story(str(STORIES / f"{name}.toml"), None, seed)
    assert len(data["murders"]) == 1, data["plots"]
    murder = data["murders"][0]
    assert (murder["plot"], murder["killer"], murder["item"]) == (plot, killer, weapon)
    assert murder["location"] in places
    texts = [e["text"] for day in data["chronicle"] for e in day["events"]]
    assert not any("the the" in t.lower() for t in texts)
