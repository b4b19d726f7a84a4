"""Replay a saved timeline from its seed and recorded player commands, and verify it.

The game is deterministic, so replaying the history of a save must rebuild the same
tree of snapshots: same node ids, same order, same event-log digests. ``--verify``
checks exactly that, which is how a save-format or engine change that breaks old saves
is caught. Saved snapshots are never trusted for the result: the replayed session is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.records.payload import MAX_REPLAY_DAYS, MAX_REPLAY_MINUTES, SavePayload, check_payload
from game.records.savefile import SaveError, SaveHeader, load_file, short_name
from game.session import (
    VERB_NAMES,
    Command,
    CommandError,
    GameSession,
    StoryError,
    TimelineTree,
    load_story_text,
    make_mind,
    plural,
)

SUPPORTED_MINDS = ("scripted", "llm")
log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (entries replayed, entries in all)
CancelCheck = Callable[[], bool]


class ReplayError(Exception):
    """The save cannot be replayed at all; ``str()`` is a one-line message."""


class ReplayCancelled(ReplayError):
    """The player stopped a replay before it finished."""


@dataclass
class ReplayResult:
    ok: bool
    save: str
    scenario_id: str
    seed: int
    commands: int
    verified: bool
    nodes_checked: int = 0
    entries_replayed: int = 0
    divergences: list[str] = field(default_factory=list)
    final_digest: str = ""
    seconds: float = 0.0
    session: GameSession | None = field(default=None, repr=False)
    header: SaveHeader | None = field(default=None, repr=False)
    payload: SavePayload | None = field(default=None, repr=False)

    def describe(self) -> str:
        """A few lines for the terminal: what was replayed and whether it matched."""
        head = (f"{self.save}: {self.scenario_id}, seed {self.seed}, {self.commands} commands "
                f"replayed in {self.seconds:.2f}s; final digest {self.final_digest[:16]}")
        if self.verified:
            head += f"\nverified {plural(self.nodes_checked, 'snapshot')}"
        if self.divergences:
            lines = [head, f"DIVERGED ({len(self.divergences)}):"]
            lines += [f"  {d}" for d in self.divergences[:5]]
            return "\n".join(lines)
        return head + ("\nOK: the replay reproduces the save" if self.verified else "\nOK")


def read_for_replay(path: str | Path) -> tuple[SaveHeader, SavePayload]:
    """Read and check a save in full; any problem is a ReplayError with one line."""
    try:
        loaded = load_file(path)
        payload = check_payload(short_name(Path(path)), loaded)
    except SaveError as exc:
        raise ReplayError(str(exc)) from None
    return loaded.header, payload


def open_session(payload: SavePayload, header: SaveHeader | None = None) -> GameSession:
    """The session a save starts from: its own story, seed and mind, before any command."""
    mind = payload.mind
    if mind not in SUPPORTED_MINDS:
        raise ReplayError(f"replaying a timeline made with the {mind[:40]!r} mind is not "
                          "supported")
    record = payload.record()
    if mind == "llm" and record is None:
        raise ReplayError("this LLM timeline carries no record of the model's answers")
    name = f"{header.scenario_id} (inside the save)" if header else "the story inside the save"
    result = load_story_text(payload.story_text(), name)
    config = payload.mind_config.as_mapping()
    try:
        session = GameSession(result, seed=payload.seed,
                              mind_factory=lambda: make_mind(mind, record=record,
                                                             config=config))
    except StoryError as exc:
        first = exc.problems[0] if getattr(exc, "problems", None) else exc
        raise ReplayError(f"the story inside the save does not load: {first}") from None
    except (ValueError, TypeError) as exc:
        raise ReplayError(f"the save's mind settings are not usable ({exc})") from None
    session.start()
    return session


def replay_payload(payload: SavePayload, header: SaveHeader | None = None,
                   progress: Progress | None = None,
                   cancel: CancelCheck | None = None,
                   skip_failed: bool = False) -> tuple[GameSession, list[str]]:
    """Rebuild a session from a payload's story, seed and history.

    Returns the session and the divergences (commands that failed); stops at the first,
    or with ``skip_failed`` leaves each out and goes on (loading a save made by an older
    version of the town, where a door that was open may now be shut); a verb no version
    ever had still fails the load (ReplayError).
    ``progress`` hears after each entry; ``cancel`` returning True stops the replay
    (ReplayCancelled), so a long load never holds the player hostage.
    """
    session = open_session(payload, header)
    entries = payload.entries()
    problems: list[str] = []
    simulated = 0
    for i, entry in enumerate(entries):
        if cancel is not None and cancel():
            session.close()
            raise ReplayCancelled("loading was cancelled")
        problem = apply_checked(session, entry, i, cancel)
        if cancel is not None and cancel():
            session.close()
            raise ReplayCancelled("loading was cancelled")
        if problem:
            problems.append(problem)
            if not skip_failed:
                break
            if str(entry.get("verb", "")).strip().lower() not in VERB_NAMES:
                session.close()  # no game ever made this: the save is broken, not old
                raise ReplayError(problem)
            continue  # a real command this town refuses now: leave it out
        if entry["verb"] != "rewind":
            simulated += max(0, session.span[1] - session.span[0])
            if simulated > MAX_REPLAY_MINUTES:
                problems.append(f"history entry {i}: the timeline simulates more than "
                                f"{MAX_REPLAY_DAYS} days; replay stopped there")
                break
        if progress is not None:
            progress(i + 1, len(entries))
    return session, problems


def migration_notice(problems: list[str], commands: int) -> str:
    """One line for a player whose save had commands the town no longer allows."""
    if not problems:
        return ""
    return (f"This save comes from an earlier version of the town: {len(problems)} of "
            f"{plural(commands, 'command')} no longer applied and "
            f"{'was' if len(problems) == 1 else 'were'} left out (first: "
            f"{problems[0].split(' failed: ', 1)[-1]}).")


def apply_entry(session: GameSession, entry: dict[str, Any],
                cancel: CancelCheck | None = None) -> None:
    """Apply one recorded history entry exactly as the player did; CommandError if it can't."""
    session.do(Command.from_state(entry), cancel=cancel)


def apply_checked(session: GameSession, entry: dict[str, Any], i: int,
                  cancel: CancelCheck | None = None) -> str:
    """Apply entry ``i``; '' if it went, else one line saying why it did not."""
    try:
        apply_entry(session, entry, cancel)
    except CommandError as exc:
        return f"history entry {i} ({_verb(entry)}) failed: {exc}"
    except Exception as exc:  # noqa: BLE001 - a save must not crash the game; logged
        log.exception("replaying history entry %d", i)
        return f"history entry {i} ({_verb(entry)}) failed: internal error ({type(exc).__name__})"
    return ""


class Replayer:
    """Steps through a saved history one command at a time (the desktop's replay viewer).

    It fails the way ``replay_payload`` does: at the first command that cannot be applied,
    which it keeps in ``problem`` and never goes past."""

    def __init__(self, payload: SavePayload, header: SaveHeader | None = None) -> None:
        self.payload = payload
        self.header = header
        self.history: list[dict[str, Any]] = payload.entries()
        self.session = open_session(payload, header)
        self.position = 0
        self.problem = ""
        self.last = ""

    def step(self) -> bool:
        """Apply the next command; False at the end or after a failure."""
        if self.problem or self.position >= len(self.history):
            return False
        entry = self.history[self.position]
        problem = apply_checked(self.session, entry, self.position)
        if problem:
            self.problem = problem
            return False
        self.last = self.session.describe_action(entry)
        self.position += 1
        return True

    def restart(self) -> None:
        self.session.close()
        self.session = open_session(self.payload, self.header)
        self.position, self.problem, self.last = 0, "", ""

    def seek(self, k: int) -> None:
        k = max(0, min(len(self.history), k))
        if k < self.position:
            self.restart()
        while self.position < k and self.step():
            pass


def _verb(entry: dict[str, Any]) -> str:
    return str(entry.get("verb", "?"))[:32]


def compare_trees(saved: TimelineTree, replayed: TimelineTree) -> tuple[int, list[str]]:
    """Node-by-node comparison; returns (nodes checked, divergences)."""
    out: list[str] = []
    checked = 0
    for i in range(min(len(saved), len(replayed))):
        a, b = saved.node(i), replayed.node(i)
        checked += 1
        if (a.parent, a.time, a.digest) != (b.parent, b.time, b.digest) or a.action != b.action:
            out.append(f"node {i}: saved digest {a.digest[:12]} at t={a.time} "
                       f"(parent {a.parent}), replay gave {b.digest[:12]} at t={b.time} "
                       f"(parent {b.parent})")
    if len(saved) != len(replayed):
        out.append(f"saved tree has {len(saved)} nodes, the replay made {len(replayed)}")
    if not out and saved.head != replayed.head:
        out.append(f"saved head is node {saved.head}, replay ended at node {replayed.head}")
    return checked, out


def replay_save(path: str | Path, verify: bool = False, progress: Progress | None = None,
                cancel: CancelCheck | None = None) -> ReplayResult:
    """Re-run a saved timeline; with ``verify`` also check every snapshot digest."""
    header, payload = read_for_replay(path)
    started = time.perf_counter()
    replayed = 0

    def counted(done: int, total: int) -> None:
        nonlocal replayed
        replayed = done
        if progress is not None:
            progress(done, total)

    session, problems = replay_payload(payload, header, counted, cancel)
    result = ReplayResult(ok=False, save=short_name(Path(path)), scenario_id=header.scenario_id,
                          seed=payload.seed, commands=len(payload.history),
                          verified=verify, entries_replayed=replayed, session=session,
                          header=header, payload=payload)
    if verify:
        if session.content_hash != header.scenario_hash:
            session.close()
            raise ReplayError(f"story changed since this save was made "
                              f"(hash {session.content_hash} != {header.scenario_hash})")
        try:
            saved = TimelineTree.from_state(payload.tree)
        except (ValueError, TypeError) as exc:
            session.close()
            raise ReplayError(f"{short_name(Path(path))}: {exc}") from None
        checked, diffs = compare_trees(saved, session.tree)
        result.nodes_checked = checked
        problems = diffs + problems  # the first snapshot that differs comes first
    result.divergences = problems
    result.final_digest = session.world.log.digest
    result.seconds = time.perf_counter() - started
    result.ok = not problems
    return result
