"""The shipped stories, and a started session on one: shared by the tests that play them."""

from __future__ import annotations

from pathlib import Path

from game.session import GameSession

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "story" / "main.toml"
TUTORIAL = ROOT / "story" / "tutorial.toml"


def started(story: Path, seed: int | None = None) -> GameSession:
    s = GameSession(story, seed=seed)
    s.start()
    return s
