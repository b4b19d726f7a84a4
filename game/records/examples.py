"""Write the example timelines committed in saves/: one per shipped scenario, with a branch.

``python -m game.records.examples saves/`` rewrites them; ``created`` is fixed, so the
bytes only change when the game or the story does (and then the tests say so).
"""

from __future__ import annotations

import sys
from pathlib import Path

from game.records.saving import save_session
from game.session import Command, CommandError, GameSession, StoryError

CREATED = "2026-01-01T00:00:00+00:00"
SCENARIOS = ("tutorial", "main")


def _visible(session: GameSession) -> str:
    people = session.visible_people()
    return people[0]["id"] if people else ""


def play_example(story: str) -> GameSession:
    """A short scripted session: act, skip, rewind to an earlier node, act differently."""
    session = GameSession(story)
    session.start()
    places = [loc["id"] for loc in session.locations() if not loc["here"] and loc["open"]]
    first = places[0]
    session.do(Command("go", target=first))
    branch_point = session.tree.head
    session.skip("hours", 2)
    who = _visible(session)
    if who:
        try:
            session.do(Command("ask", target=who, topic="unusual"))
        except CommandError:
            pass  # not recorded: history only holds commands that happened
    session.do(Command("search"))
    session.do(Command("rewind", arg=str(branch_point)))
    places = [loc["id"] for loc in session.locations() if not loc["here"] and loc["open"]]
    second = places[-1]  # asked again: who is at home, and so which doors open, has changed
    session.do(Command("go", target=second))
    session.do(Command("search"))
    session.skip("hours", 3)
    return session


def write_examples(out_dir: Path) -> list[str]:
    """Write <scenario>.hsav for every scenario that loads; return notes on what was done."""
    out_dir.mkdir(parents=True, exist_ok=True)
    notes = []
    for story in SCENARIOS:
        try:
            session = play_example(story)
        except (StoryError, FileNotFoundError, OSError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            notes.append(f"{story}: skipped (does not load: {first})")
            continue
        path = out_dir / f"{story}.hsav"
        save_session(session, path, created=CREATED)
        notes.append(f"{story}: wrote {path} ({path.stat().st_size} bytes, "
                     f"{len(session.tree)} nodes, {len(session.history)} commands)")
    return notes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for line in write_examples(Path(args[0] if args else "saves")):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
