"""save_session / load_session: loading replays, and save -> load -> save is byte-identical."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from game.records.examples import CREATED, play_example
from game.records.replay import ReplayError
from game.records.savefile import read_header, read_save, write_save
from game.records.saving import load_session, save_session
from game.session import Command, GameSession

ROOT = Path(__file__).resolve().parents[1]


def test_save_load_save_identical_bytes(tmp_path: Path) -> None:
    session = play_example("tutorial")
    a, b = tmp_path / "a.hsav", tmp_path / "b.hsav"
    save_session(session, a, created=CREATED)
    loaded = load_session(a)
    save_session(loaded, b, created=CREATED)
    assert a.read_bytes() == b.read_bytes()
    assert loaded.world.log.digest == session.world.log.digest
    assert loaded.tree.head == session.tree.head and len(loaded.tree) == len(session.tree)


def test_header_and_payload(tmp_path: Path) -> None:
    session = GameSession("tutorial")
    session.start()
    session.skip("hours", 1)
    path = tmp_path / "s.hsav"
    save_session(session, path)
    header = read_header(path)
    assert header.scenario_id == "tutorial"
    assert header.scenario_hash == session.content_hash
    assert header.summary.startswith("The Lamp at Gullhaven — loop 1, Day 1")
    _, payload = read_save(path)
    assert "story" not in payload and payload["seed"] == session.seed
    assert zlib.decompress(payload["story_zlib"]).decode() == session.story_text
    assert payload["story_size"] == len(session.story_text.encode())
    assert payload["mind"] == "scripted" and payload["llm_record"] is None
    assert payload["history"] == session.history


def test_load_replays_instead_of_trusting_saved_state(tmp_path: Path) -> None:
    session = GameSession("tutorial")
    session.start()
    session.do(Command("search"))
    path = tmp_path / "s.hsav"
    save_session(session, path, created=CREATED)
    header, payload = read_save(path)
    payload["notebook"] = {"forged": True}
    payload["tree"]["nodes"][-1][5] = "f" * 64
    write_save(path, header.model_dump(exclude={"payload_size", "payload_compressed"}),
               payload)
    loaded = load_session(path)
    assert loaded.tree.node(len(loaded.tree) - 1).digest == session.world.log.digest
    assert loaded.notebook.to_state() == session.notebook.to_state()


def test_load_of_broken_history_raises(tmp_path: Path) -> None:
    session = GameSession("tutorial")
    session.start()
    path = tmp_path / "s.hsav"
    save_session(session, path, created=CREATED)
    header, payload = read_save(path)
    payload["history"] = [{"verb": "fly"}]
    write_save(path, header.model_dump(exclude={"payload_size", "payload_compressed"}),
               payload)
    with pytest.raises(ReplayError, match="history entry 0"):
        load_session(path)


def test_an_older_save_loads_without_what_the_town_no_longer_allows(tmp_path: Path) -> None:
    """A save from an earlier version of the town may hold a command that is refused now
    (a door that was open is shut): loading leaves it out, plays the rest, and says so in
    one line."""
    session = GameSession("tutorial")
    session.start()
    session.skip("hours", 1)
    session.do(Command("search"))
    path = tmp_path / "old.hsav"
    save_session(session, path, created=CREATED)
    header, payload = read_save(path)
    refused = {"verb": "take", "target": "the_moon"}
    payload["history"] = [payload["history"][0], refused, *payload["history"][1:]]
    write_save(path, header.model_dump(exclude={"payload_size", "payload_compressed"}),
               payload)
    loaded = load_session(path)
    assert loaded.history == session.history  # everything else was played
    assert loaded.world.log.digest == session.world.log.digest
    assert loaded.notice.startswith("This save comes from an earlier version of the town: "
                                    "1 of 3 commands no longer applied and was left out")
    assert "\n" not in loaded.notice and "the_moon" not in loaded.notice.split("(first")[0]
