"""Session plumbing for the UI: stories, saves, replays and time-sliced skipping.

Nothing here draws. A skip runs ``session.skip`` on a worker thread (see SkipRunner)
so the window never freezes.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from pathlib import Path
from typing import Any

from game.engine.clock import MINUTES_PER_DAY
from game.minds.factory import make_mind
from game.scenario.loader import resolve_story_path
from game.session import CommandError, GameSession, Outcome
from game.timeline import paths
from game.timeline.replay import ReplayError, apply_entry
from game.timeline.savefile import SaveError, read_save
from game.timeline.saving import load_session, save_session

SWITCH_INTERVAL = 0.0002
ROOT = Path(__file__).resolve().parents[2]
STORY_DIR = ROOT / "story"


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


UI_BACKENDS = {"scripted": "scripted", "openai": "llm", "local": "local"}


def mind_factory(settings: Any) -> tuple[Any, str]:
    """The mind the settings ask for, and a note for the player if it could not start."""
    backend = UI_BACKENDS.get(getattr(settings, "mind", "scripted"), "scripted")
    if backend == "scripted":
        return (lambda: make_mind("scripted")), ""
    try:
        mind = make_mind(backend, base_url=settings.api_url or None,
                         model=settings.model or None)
    except Exception as exc:  # noqa: BLE001 - no LLM must never stop the game
        return (lambda: make_mind("scripted")), f"LLM unavailable ({exc}); scripted minds"
    return (lambda: mind), ""


def new_session(story: str, seed: int | None = None, factory: Any = None) -> GameSession:
    s = GameSession(story, seed, mind_factory=factory)
    s.start()
    return s


def save(session: GameSession, story_path: str, directory: str | Path,
         slot: str = paths.AUTOSAVE, thumbnail: bytes | None = None) -> Path:
    """Write a slot; the header summary carries loop and clock for the load screen."""
    path = paths.slot_path(directory, slot)
    summary = f"Loop {session.loop} · {session.clock_text()} · {session.status}"
    save_session(session, path, summary=summary, thumbnail=thumbnail)
    return path


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
    try:
        session = load_session(path)
    except ReplayError as exc:
        raise SaveError(str(exc)) from None
    return session, str(resolve_story_path(session.story_result.file).resolve())


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
    """One ``session.skip`` on a worker thread, so the window keeps drawing while time passes.

    While it runs, only the worker touches the session; the UI reads ``view``, a copy of
    what the player can see, refreshed from the engine's progress callback. The skip is a
    single call (one history entry, one timeline node), so it replays exactly; a cancel is
    recorded by the session as 'skip until <minute it stopped>'.
    """

    def __init__(self, session: GameSession, kind: str, value: int = 0,
                 pace: float = 0.0) -> None:
        self.session = session
        self.pace = pace  # seconds slept per decision batch: lets a demo show the map moving
        self._last_view = 0.0
        self.kind = kind
        self.value = value
        self.start = session.world.now
        self.target = min(session.skip_target(kind, value), session.loop_end)
        self.clues_before = set(session.notebook.clues)
        self.lock = threading.Lock()
        self.view = self._capture(session.world.now)
        self.outcome: Outcome | None = None
        self.error: Exception | None = None
        self.new_clues: list[str] = []
        self._cancel = threading.Event()
        self.thread = threading.Thread(target=self._work, name="hindsight-skip", daemon=True)
        self.thread.start()

    def _capture(self, now: int) -> dict[str, Any]:
        s = self.session
        return {"now": now, "clock": s.world.calendar.format(now), "here": s.here(),
                "people": [dict(p) for p in s.visible_people()]}

    def _progress(self, now: int, _target: int) -> None:  # runs on the worker thread
        view = self._capture(now)
        with self.lock:
            self.view = view

    def _should_cancel(self) -> bool:  # runs on the worker thread after every decision batch
        if self.pace:
            time.sleep(self.pace)
        now = time.perf_counter()
        if now - self._last_view >= 0.015:  # about one fresh view per frame
            self._last_view = now
            self._progress(self.session.world.now, self.target)
        return self._cancel.is_set()

    def _work(self) -> None:
        # The UI thread releases the GIL inside many pygame calls; with the default 5 ms
        # switch interval each release can cost it a 5 ms wait for the worker. A short
        # interval keeps frames smooth while the simulation runs.
        old = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            self.outcome = self.session.skip(self.kind, self.value, progress=self._progress,
                                             should_cancel=self._should_cancel)
        except Exception as exc:  # noqa: BLE001 - reported on the summary screen
            self.error = exc
        finally:
            sys.setswitchinterval(old)
        self.new_clues = [c for c in self.session.notebook.clues if c not in self.clues_before]

    @property
    def done(self) -> bool:
        return not self.thread.is_alive()

    @property
    def cancelled(self) -> bool:
        return bool(self.outcome and self.outcome.cancelled)

    @property
    def witnessed(self) -> list[str]:
        return list(self.outcome.witnessed) if self.outcome else []

    def snapshot_view(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.view)

    @property
    def fraction(self) -> float:
        now = self.session.world.now if self.done else self.snapshot_view()["now"]
        span = max(1, self.target - self.start)
        return min(1.0, max(0.0, (now - self.start) / span))

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        self.thread.join(timeout)
        return self.done


def day_minutes(t: int) -> int:
    return t % MINUTES_PER_DAY
