"""Replay a saved timeline from its seed and recorded player commands, and verify it.

The game is deterministic, so replaying the history of a save must rebuild the same
tree of snapshots: same node ids, same order, same event-log digests. ``--verify``
checks exactly that, which is how a save-format or engine change that breaks old saves
is caught. Saved snapshots are never trusted for the result: the replayed session is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.records.savefile import SaveError, SaveHeader, read_save
from game.session import (
    Command,
    CommandError,
    GameSession,
    StoryError,
    TimelineTree,
    make_mind,
    plural,
)

SUPPORTED_MINDS = ("scripted", "llm")


class ReplayError(Exception):
    """The save cannot be replayed at all; ``str()`` is a one-line message."""


@dataclass
class ReplayResult:
    ok: bool
    save: str
    scenario_id: str
    seed: int
    commands: int
    verified: bool
    nodes_checked: int = 0
    divergences: list[str] = field(default_factory=list)
    final_digest: str = ""
    seconds: float = 0.0
    session: GameSession | None = field(default=None, repr=False)
    header: SaveHeader | None = field(default=None, repr=False)
    payload: dict[str, Any] = field(default_factory=dict, repr=False)

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


def read_for_replay(path: str | Path) -> tuple[SaveHeader, dict[str, Any]]:
    """Read a save, turning any SaveError into a ReplayError with the same one-line message."""
    try:
        header, payload = read_save(path)
    except SaveError as exc:
        raise ReplayError(str(exc)) from None
    for key, kind in (("story", str), ("seed", int), ("history", list)):
        if not isinstance(payload.get(key), kind):
            raise ReplayError(f"{path}: payload has no valid {key!r}")
    return header, payload


def replay_payload(payload: dict[str, Any]) -> tuple[GameSession, list[str]]:
    """Rebuild a session from a payload's story, seed and history.

    Returns the session and the divergences (commands that failed); stops at the first.
    """
    mind = payload.get("mind", "scripted")
    if mind not in SUPPORTED_MINDS:
        raise ReplayError(f"replaying a timeline made with the {mind!r} mind is not "
                          "supported")
    record = payload.get("llm_record") or None
    if mind == "llm" and not isinstance(record, dict):
        raise ReplayError("this LLM timeline carries no record of the model's answers")
    try:
        session = GameSession(payload["story"], seed=payload["seed"],
                              mind_factory=lambda: make_mind(
                                  mind, record=record,
                                  config=payload.get("mind_config") or {}))
    except StoryError as exc:
        first = exc.problems[0] if getattr(exc, "problems", None) else exc
        raise ReplayError(f"story {payload['story']!r} does not load: {first}") from None
    session.start()
    problems: list[str] = []
    for i, entry in enumerate(payload["history"]):
        try:
            apply_entry(session, entry)
        except CommandError as exc:
            problems.append(f"history entry {i} ({_verb(entry)}) failed: {exc}")
            break
    return session, problems


def apply_entry(session: GameSession, entry: Any) -> None:
    """Apply one recorded history entry exactly as the player did; CommandError if it can't."""
    session.do(Command.from_state(entry))


class Replayer:
    """Steps through a saved history one command at a time (the desktop's replay viewer).

    It fails the way ``replay_payload`` does: at the first command that cannot be applied,
    which it keeps in ``problem`` and never goes past."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.history: list[Any] = list(payload["history"])
        self.session, _ = replay_payload(dict(payload, history=[]))
        self.position = 0
        self.problem = ""
        self.last = ""

    def step(self) -> bool:
        """Apply the next command; False at the end or after a failure."""
        if self.problem or self.position >= len(self.history):
            return False
        entry = self.history[self.position]
        try:
            apply_entry(self.session, entry)
        except CommandError as exc:
            self.problem = f"history entry {self.position} ({_verb(entry)}) failed: {exc}"
            return False
        self.last = self.session.describe_action(entry)
        self.position += 1
        return True

    def restart(self) -> None:
        self.session.close()
        self.session, _ = replay_payload(dict(self.payload, history=[]))
        self.position, self.problem, self.last = 0, "", ""

    def seek(self, k: int) -> None:
        k = max(0, min(len(self.history), k))
        if k < self.position:
            self.restart()
        while self.position < k and self.step():
            pass


def _verb(entry: Any) -> str:
    return str(entry.get("verb", "?")) if isinstance(entry, dict) else "?"


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


def replay_save(path: str | Path, verify: bool = False) -> ReplayResult:
    """Re-run a saved timeline; with ``verify`` also check every snapshot digest."""
    header, payload = read_for_replay(path)
    started = time.perf_counter()
    session, problems = replay_payload(payload)
    result = ReplayResult(ok=False, save=str(path), scenario_id=header.scenario_id,
                          seed=payload["seed"], commands=len(payload["history"]),
                          verified=verify, session=session, header=header, payload=payload)
    if verify:
        if session.content_hash != header.scenario_hash:
            raise ReplayError(f"story file changed since this save was made "
                              f"(hash {session.content_hash} != {header.scenario_hash})")
        try:
            saved = TimelineTree.from_state(payload.get("tree"))
        except ValueError as exc:
            raise ReplayError(f"{path}: {exc}") from None
        checked, diffs = compare_trees(saved, session.tree)
        result.nodes_checked = checked
        problems = diffs + problems  # the first snapshot that differs comes first
    result.divergences = problems
    result.final_digest = session.world.log.digest
    result.seconds = time.perf_counter() - started
    result.ok = not problems
    return result
