"""Session plumbing for the UI: stories, saves, replays and time-sliced skipping.

Nothing here draws. Skipping is split into fixed 60-game-minute chunks (one
``session.skip('until', t)`` each), so the window keeps drawing between chunks and
the result does not depend on frame timing.
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game.engine.clock import MINUTES_PER_DAY
from game.session import Command, CommandError, GameSession
from game.timeline import paths
from game.timeline.savefile import SaveError, read_save, write_save

ROOT = Path(__file__).resolve().parents[2]
STORY_DIR = ROOT / "story"
CHUNK_MINUTES = 60


def stories() -> list[tuple[str, str]]:
    """(path, title) of every story file that loads; broken or half-written ones are skipped."""
    out = []
    for p in sorted(STORY_DIR.glob("*.toml")):
        try:
            s = GameSession(str(p))
            out.append((str(p), s.story.scenario.title))
        except Exception:  # noqa: BLE001 - a story being written may not parse yet
            continue
    out.sort(key=lambda x: (not x[0].endswith("main.toml"), x[0]))
    return out


def default_story() -> str:
    found = stories()
    return found[0][0] if found else str(STORY_DIR / "tutorial.toml")


def new_session(story: str, seed: int | None = None) -> GameSession:
    s = GameSession(story, seed)
    s.start()
    return s


def game_version() -> str:
    try:
        from importlib.metadata import version
        return version("hindsight")
    except Exception:  # noqa: BLE001
        return "0.0"


def payload(session: GameSession, story_path: str) -> dict[str, Any]:
    return {"story": story_path, "seed": session.seed, "history": list(session.history),
            "notebook": session.notebook.to_state()}


def save(session: GameSession, story_path: str, directory: str | Path,
         slot: str = paths.AUTOSAVE, thumbnail: bytes | None = None) -> Path:
    """Write a slot; the header summary carries loop and clock for the load screen."""
    path = paths.slot_path(directory, slot)
    header = {"game_version": game_version(), "scenario_id": session.scenario_id,
              "scenario_hash": session.content_hash,
              "created": datetime.now(UTC).isoformat(timespec="seconds"),
              "summary": f"Loop {session.loop} · {session.clock_text()} · {session.status}"[:500],
              "thumbnail": thumbnail}
    write_save(path, header, payload(session, story_path))
    return path


def apply_entry(session: GameSession, entry: dict[str, Any]) -> None:
    """Re-apply one history entry exactly as it was first played."""
    verb = entry.get("verb")
    if verb == "skip":
        session.skip(entry.get("topic", "until"), int(entry.get("minutes", 0)))
    elif verb == "rewind":
        session.rewind(int(entry["arg"]) if entry.get("arg") else None)
    else:
        session.do(Command.from_state(dict(entry)))


def replay(story: str, seed: int, history: list[dict[str, Any]],
           steps: int | None = None) -> GameSession:
    """A fresh session with the first ``steps`` history entries re-applied."""
    s = new_session(story, seed)
    for entry in history[: len(history) if steps is None else steps]:
        try:
            apply_entry(s, entry)
        except CommandError:
            continue
    return s


def load(path: str | Path) -> tuple[GameSession, str]:
    """Load a slot by replaying its history; raises SaveError with a one-line reason."""
    _, data = read_save(path)
    story = data.get("story")
    if not isinstance(story, str) or not Path(story).exists():
        raise SaveError(f"{path}: its story file {story!r} is missing")
    history = data.get("history") or []
    s = replay(story, int(data.get("seed", 0)), history)
    return s, story


def read_payload(path: str | Path) -> dict[str, Any]:
    return read_save(path)[1]


def latest_autosave(directory: str | Path) -> Path | None:
    p = paths.autosave_path(directory)
    return p if p.exists() else None


def png_bytes(surface: Any) -> bytes:
    import pygame
    buf = io.BytesIO()
    pygame.image.save(surface, buf, "thumb.png")
    return buf.getvalue()


class SkipRunner:
    """A skip ahead cut into chunks; ``step(budget)`` runs chunks until the time budget is spent."""

    def __init__(self, session: GameSession, kind: str, value: int = 0) -> None:
        self.session = session
        self.kind = kind
        self.start = session.world.now
        self.target = session.skip_target(kind, value)
        if kind == "end":
            self.target = min(self.target, session.loop_end)
        self.witnessed: list[str] = []
        self.new_clues: list[str] = []
        self.cancelled = False
        self.done = session.status != "playing" or session.world.now >= self.target
        self.clues_before = set(session.notebook.clues)

    @property
    def fraction(self) -> float:
        span = max(1, self.target - self.start)
        return min(1.0, max(0.0, (self.session.world.now - self.start) / span))

    def cancel(self) -> None:
        self.cancelled = True
        self.done = True

    def step(self, budget_s: float = 0.010) -> None:
        t0 = time.perf_counter()
        while not self.done:
            s = self.session
            chunk_end = min(self.target, (s.world.now // CHUNK_MINUTES + 1) * CHUNK_MINUTES)
            out = s.skip("until", chunk_end)
            self.witnessed += out.witnessed
            if s.status != "playing" or s.world.now >= self.target:
                self.done = True
            if time.perf_counter() - t0 >= budget_s:
                break
        if self.done:
            self.new_clues = [c for c in self.session.notebook.clues if c not in self.clues_before]

    def run_all(self) -> None:
        while not self.done:
            self.step(1.0)


def day_minutes(t: int) -> int:
    return t % MINUTES_PER_DAY
