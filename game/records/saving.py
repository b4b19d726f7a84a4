"""Save a game session to a file, and load one back by replaying it.

A save holds the seed and the player's command history (what replay needs) plus the
tree and notebook (what a slot list, a report or ``--verify`` look at). Loading never
trusts the stored state: it replays the history, so a save cannot smuggle in a world.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import game
from game.records.payload import check_fits, embed_story, forward_minutes
from game.session import GameSession


def _mind_config(mind: Any) -> dict[str, Any]:
    """Backend and model for the report; ``public()`` leaves the API key out."""
    config = getattr(mind, "config", None)
    return config.public() if config is not None and hasattr(config, "public") else {}


def _mind_stats(mind: Any) -> dict[str, Any]:
    stats = getattr(mind, "stats", None)
    if callable(stats):
        stats = stats()
    return dict(stats) if isinstance(stats, dict) else {}


def session_payload(session: GameSession) -> dict[str, Any]:
    """The plain-data payload of a save (no API keys: minds contribute only name and record).
    The story's own text goes in, so the save needs no file but itself."""
    tree = session.tree
    nodes = [tree.node(i) for i in range(len(tree))]
    check_fits(session.history, forward_minutes(
        [(None if n.parent is None else nodes[n.parent].time, n.time) for n in nodes]))
    return {
        **embed_story(session.story_text),
        "seed": session.seed,
        "mind": getattr(session.mind, "name", "scripted"),
        "history": session.history,
        "tree": session.tree.to_state(),
        "notebook": session.notebook.to_state(),
        "llm_record": getattr(session.mind, "record", None) or None,
        "mind_config": _mind_config(session.mind),
        "mind_stats": _mind_stats(session.mind),
    }


def prepare_save(session: GameSession, summary: str | None = None,
                 created: str | None = None,
                 thumbnail: bytes | None = None) -> tuple[dict[str, Any], bytes]:
    """Header fields and the packed payload: everything that must read the live session.
    ``savefile.write_packed`` finishes the job, on any thread."""
    from game.records.savefile import pack_payload

    if summary is None:
        summary = (f"{session.story.scenario.title} — loop {session.loop}, "
                   f"{session.clock_text()}")
    if created is None:
        created = datetime.now(UTC).isoformat(timespec="seconds")
    header = {"game_version": game.__version__, "scenario_id": session.scenario_id,
              "scenario_hash": session.content_hash, "created": created,
              "summary": summary[:500], "thumbnail": thumbnail}
    return header, pack_payload(session_payload(session))


def save_session(session: GameSession, path: str | Path, summary: str | None = None,
                 created: str | None = None, thumbnail: bytes | None = None) -> None:
    """Write ``session`` to ``path`` atomically (``created`` fixed for reproducible bytes)."""
    from game.records.savefile import write_packed

    write_packed(path, *prepare_save(session, summary, created, thumbnail))


def load_session(path: str | Path) -> GameSession:
    """Rebuild the session a save describes by replaying it; raises ReplayError. Commands
    an older save holds that the town no longer allows are left out, and the session's
    ``notice`` says so."""
    from game.records.replay import (
        ReplayError,
        migration_notice,
        read_for_replay,
        replay_payload,
    )

    header, payload = read_for_replay(path)
    try:
        session, problems = replay_payload(payload, header, skip_failed=True)
    except ReplayError as exc:
        raise ReplayError(f"{path}: {exc}") from None
    session.notice = migration_notice(problems, len(payload.history))
    return session
