"""Load a save on a worker thread, with progress and a cancel, so the window never freezes.

Loading replays the whole history; a long game (or a hostile file at the limits) takes
seconds. The worker owns everything it builds until it is done; the UI thread only reads
``progress`` and, once ``done``, takes ``session`` or ``replayer`` or ``error``. No save
can raise out of here: every failure becomes one line in ``error``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from game.records.payload import shipped_story_path
from game.records.replay import (
    Replayer,
    ReplayError,
    migration_notice,
    read_for_replay,
    replay_payload,
)
from game.session import GameSession

log = logging.getLogger(__name__)


class SaveLoader:
    """``mode`` "load" replays the save into a session to play on; "replay" prepares a
    step-by-step ``Replayer`` for the replay viewer."""

    def __init__(self, path: str | Path, mode: str = "load") -> None:
        self.path = Path(path)
        self.mode = mode
        self.session: GameSession | None = None
        self.replayer: Replayer | None = None
        self.story_path = ""
        self.error = ""
        self._progress = (0, 0)
        self._cancel = threading.Event()
        self._done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="hindsight-load", daemon=True)

    def start(self) -> SaveLoader:
        self.thread.start()
        return self

    @property
    def progress(self) -> tuple[int, int]:
        """(history entries replayed, entries in all); (0, 0) while reading the file."""
        return self._progress

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def _set_progress(self, done: int, total: int) -> None:
        self._progress = (done, total)

    def _run(self) -> None:
        try:
            header, payload = read_for_replay(self.path)
            self._progress = (0, len(payload.history))
            if self._cancel.is_set():
                raise ReplayError("loading was cancelled")
            if self.mode == "replay":
                self.replayer = Replayer(payload, header)
                return
            session, problems = replay_payload(payload, header, self._set_progress,
                                               self._cancel.is_set, skip_failed=True)
            session.notice = migration_notice(problems, len(payload.history))
            found = shipped_story_path(session.content_hash)
            self.story_path = str(found) if found is not None else session.scenario_id
            self.session = session
        except ReplayError as exc:
            # the file's name is enough on screen; a hostile path may be thousands long
            self.error = str(exc).replace(str(self.path), self.path.name)[:300]
        except Exception as exc:  # noqa: BLE001 - no save may take the game down with it
            log.exception("loading %s", self.path)
            self.error = f"{self.path.name}: this save cannot be used ({type(exc).__name__})"
        finally:
            self._done.set()

    def discard(self) -> None:
        """Cancel, and close whatever the worker built once it stops."""
        self.cancel()
        self.wait()
        for thing in (self.session, self.replayer.session if self.replayer else None):
            if thing is not None:
                thing.close()
        self.session = self.replayer = None

    def take(self) -> Any:
        """What was loaded (a session or a replayer), handed over exactly once."""
        out: Any = self.session if self.mode == "load" else self.replayer
        self.session = self.replayer = None
        return out
