"""Session plumbing for the UI: stories, saves, replays and time-sliced skipping.

Nothing here draws. A skip runs ``session.skip`` on a worker thread in the frame's spare
time (see SkipRunner), so the window never freezes and keeps its frame rate.
"""

from __future__ import annotations

import io
import queue
import threading
import time
from pathlib import Path
from typing import Any

from game.records import paths
from game.records.replay import Replayer, ReplayError, read_for_replay
from game.records.savefile import SaveError, read_save, write_packed
from game.records.saving import load_session, prepare_save, save_session
from game.session import (
    Command,
    GameSession,
    MindFactory,
    MindUnavailable,
    Outcome,
    load_story,
    open_mind,
    resolve_story_path,
)
from game.ui import heap

ROOT = Path(__file__).resolve().parents[2]
STORY_DIR = ROOT / "story"


def stories() -> list[tuple[str, str]]:
    """(path, title) of every story file that loads; broken or half-written ones are skipped."""
    out = []
    for p in sorted(STORY_DIR.glob("*.toml")):
        result = load_story(p)
        if result.ok and result.story is not None:
            out.append((str(p), result.story.scenario.title))
    out.sort(key=lambda x: (not x[0].endswith("main.toml"), x[0]))
    return out


def story_entry(path: str) -> list[tuple[str, str]]:
    """[(path, title)] for a story file given on the command line (outside story/, a
    writer's own draft), or [] if it does not load."""
    result = load_story(path)
    if result.ok and result.story is not None:
        return [(str(resolve_story_path(path)), result.story.scenario.title)]
    return []


UI_BACKENDS = {"scripted": "scripted", "openai": "llm", "local": "local"}


def mind_factory(settings: Any) -> tuple[MindFactory | None, str]:
    """The mind the settings ask for, and a note for the player if it could not start."""
    backend = UI_BACKENDS.get(getattr(settings, "mind", "scripted"), "scripted")
    try:
        return open_mind(backend, base_url=settings.api_url or None,
                         model=settings.model or None), ""
    except MindUnavailable as exc:  # no model must never stop the game
        return None, f"{exc}; playing with the scripted minds"


def new_session(story: str, seed: int | None = None,
                factory: MindFactory | None = None) -> GameSession:
    s = GameSession(story, seed, mind_factory=factory)
    s.start()
    return s


def save(session: GameSession, story_path: str, directory: str | Path,
         slot: str = paths.AUTOSAVE, thumbnail: bytes | None = None,
         writer: SaveWriter | None = None) -> Path:
    """Write a slot; the header summary carries loop and clock for the load screen.

    With a ``writer``, only the packing happens here; compressing and writing finish on
    the writer's thread (``writer.flush()`` waits for them)."""
    path = paths.slot_path(directory, slot)
    summary = f"Loop {session.loop} · {session.clock_text()} · {session.status}"
    if writer is None:
        save_session(session, path, summary=summary, thumbnail=thumbnail)
    else:
        writer.submit(path, *prepare_save(session, summary=summary, thumbnail=thumbnail))
    return path


class CommandRunner:
    """One player command on a worker thread, for minds that may wait on the network.

    While it runs only the worker touches the session; the UI shows ``text()``, the
    reply streamed so far (a free-text "say"), and takes ``outcome`` or ``error`` once
    ``done``. With the scripted mind, commands are instant and run on the UI thread.
    """

    def __init__(self, session: GameSession, cmd: Command) -> None:
        self.session = session
        self.cmd = cmd
        self.outcome: Outcome | None = None
        self.error: Exception | None = None
        self._lock = threading.Lock()
        self._text = ""
        self._version = 0
        self._finished = False
        self.thread = threading.Thread(target=self._work, name="hindsight-command",
                                       daemon=True)
        self.thread.start()

    def _work(self) -> None:
        try:
            self.outcome = self.session.do(self.cmd, on_text=self._streamed)
        except Exception as exc:  # noqa: BLE001 - CommandError or worse: shown to the player
            self.error = exc
        finally:
            self._finished = True

    def _streamed(self, text: str) -> None:  # the LLM client's thread
        with self._lock:
            self._text = text
            self._version += 1

    def text(self) -> tuple[int, str]:
        """(version, reply so far): the version changes whenever the text does."""
        with self._lock:
            return self._version, self._text

    @property
    def done(self) -> bool:
        return self._finished

    def wait(self, timeout: float | None = None) -> bool:
        self.thread.join(timeout)
        return self.done


class SaveWriter:
    """Compresses and writes saves on one worker thread, in the order they were made.

    A long game's save is megabytes; deflating it on the UI thread cost a visible hitch
    when the death screen autosaved. Writes stay atomic (``savefile.write_packed``), so
    a quit or a crash mid-write leaves the previous file whole.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Path, dict[str, Any], bytes]] = queue.Queue()
        self._errors: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="hindsight-save", daemon=True)
        self._thread.start()

    def submit(self, path: Path, header: dict[str, Any], raw: bytes) -> None:
        self._queue.put((path, header, raw))

    def _run(self) -> None:
        while True:
            path, header, raw = self._queue.get()
            try:
                write_packed(path, header, raw)
            except Exception as exc:  # noqa: BLE001 - reported to the player, never raised
                with self._lock:
                    self._errors.append(str(exc))
            finally:
                self._queue.task_done()

    def flush(self) -> None:
        """Wait until every submitted save is on disk (before reading slots, or quitting)."""
        self._queue.join()

    def take_errors(self) -> list[str]:
        with self._lock:
            errors, self._errors = self._errors, []
        return errors


def load(path: str | Path) -> tuple[GameSession, str]:
    """Load a slot by replaying its history; raises SaveError with a one-line reason."""
    try:
        session = load_session(path)
    except ReplayError as exc:
        raise SaveError(str(exc)) from None
    return session, str(resolve_story_path(session.story_result.file).resolve())


def read_payload(path: str | Path) -> dict[str, Any]:
    return read_save(path)[1]


def replayer(path: str | Path) -> Replayer:
    """A step-by-step replay of a save; raises SaveError with a one-line reason."""
    try:
        _, payload = read_for_replay(path)
        return Replayer(payload)
    except ReplayError as exc:
        raise SaveError(str(exc)) from None


def latest_autosave(directory: str | Path) -> Path | None:
    p = paths.autosave_path(directory)
    return p if p.exists() else None


def png_bytes(surface: Any) -> bytes:
    import pygame
    buf = io.BytesIO()
    pygame.image.save(surface, buf, "thumb.png")
    return buf.getvalue()


class SkipRunner:
    """One ``session.skip`` on a worker thread that runs only in the time slices the UI hands it.

    The worker and the UI thread take turns, like a baton: the UI draws its frame, then
    ``run_slice`` lends the worker the rest of the frame and waits for it to pause at the
    next decision batch (batches take about 2 ms at most). They never run Python at the
    same time, so the frame rate does not depend on GIL scheduling. When the worker is
    waiting on the network instead (an LLM mind), ``run_slice`` returns at its deadline
    and the window keeps drawing.

    While a skip is under way, only the worker touches the session; the UI reads ``view``,
    a copy of what the player can see, taken whenever the worker pauses. The skip is a
    single call (one history entry, one timeline node), so it replays exactly; a cancel
    is recorded by the session as 'skip until <minute it stopped>'.
    """

    def __init__(self, session: GameSession, kind: str, value: int = 0,
                 pace: float = 0.0) -> None:
        self.session = session
        self.pace = pace  # seconds slept per decision batch: lets a demo show the map moving
        self.kind = kind
        self.value = value
        self.start = session.now
        self.target = session.skip_target(kind, value)
        self.clues_before = set(session.notebook.clues)
        self.lock = threading.Lock()
        self.view = self._capture(session.now)
        self.outcome: Outcome | None = None
        self.error: Exception | None = None
        self.new_clues: list[str] = []
        self.slices = 0
        self._cancel = threading.Event()
        self._go = threading.Event()  # set: the worker may run until _slice_end
        self._paused = threading.Event()  # set: the worker has stopped and hands back
        self._slice_end = 0.0
        self._batch = 0.0  # running average of one decision batch's cost, in seconds
        self._last_batch = 0.0
        self._finished = False
        self.thread = threading.Thread(target=self._work, name="hindsight-skip", daemon=True)
        self.thread.start()

    def _capture(self, now: int) -> dict[str, Any]:
        s = self.session
        return {"now": now, "clock": s.when(now), "here": s.here(),
                "people": [dict(p) for p in s.visible_people()]}

    def _progress(self, now: int, _target: int) -> None:  # runs on the worker thread
        view = self._capture(now)
        with self.lock:
            self.view = view

    def _checkpoint(self) -> bool:  # the worker, after every decision batch
        if self.pace:
            time.sleep(self.pace)
        now = time.perf_counter()
        if self._last_batch:
            self._batch = 0.8 * self._batch + 0.2 * (now - self._last_batch)
        # stop when the next batch would likely overrun the slice, not after it has
        if now + self._batch >= self._slice_end and not self._cancel.is_set():
            self._progress(self.session.now, self.target)
            self._go.clear()
            if not self._cancel.is_set():  # a cancel after clear() sets _go again
                self._paused.set()
                self._go.wait()
            now = time.perf_counter()
        self._last_batch = now
        return self._cancel.is_set()

    def _work(self) -> None:
        self._go.wait()
        heap.pause()  # no collector pauses mid-slice; the town settles the heap afterwards
        try:
            self.outcome = self.session.do(Command("skip", topic=self.kind, minutes=self.value),
                                           progress=self._progress, cancel=self._checkpoint)
            self.new_clues = [c for c in self.session.notebook.clues
                              if c not in self.clues_before]
        except Exception as exc:  # noqa: BLE001 - reported on the summary screen
            self.error = exc
        finally:
            heap.resume()
            self._finished = True
            self._paused.set()

    def run_slice(self, seconds: float) -> None:
        """Let the worker simulate for about ``seconds``, then take the session back."""
        if self.done:
            return
        self.slices += 1
        self._slice_end = time.perf_counter() + seconds
        self._paused.clear()
        self._go.set()
        self._paused.wait(seconds + 0.002)

    @property
    def done(self) -> bool:
        """True once the session belongs to the UI again."""
        return self._finished

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
        now = self.session.now if self.done else self.snapshot_view()["now"]
        span = max(1, self.target - self.start)
        return min(1.0, max(0.0, (now - self.start) / span))

    def cancel(self) -> None:
        self._cancel.set()
        self._go.set()  # a paused worker wakes, sees the cancel and winds up

    def wait(self, timeout: float | None = None) -> bool:
        """Run to the end without slicing (tests, quitting)."""
        self._slice_end = float("inf")
        self._go.set()
        self.thread.join(timeout)
        return self.done

