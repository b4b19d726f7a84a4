"""Save files on disk (issue 15, item 5): temporaries are created exclusively and never
through a link, stale ones are cleaned, a FIFO is never a save, and slot names keep one
suffix."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from game.records.files import STALE_SECONDS, clean_stale_temps
from game.records.paths import slot_path
from game.records.savefile import SaveError, read_save, write_save
from game.session import GameSession
from game.textplay import TextGame

HEADER = {"game_version": "0.1.0", "scenario_id": "harbour", "scenario_hash": "0123abcd",
          "created": "2026-03-02T06:00:00+00:00", "summary": "s"}


def test_a_planted_symlink_at_the_temp_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "slot.hsav"
    for name in (f"slot.hsav.tmp-{os.getpid()}", "slot.hsav.tmp"):
        (tmp_path / name).symlink_to(victim)
    write_save(target, HEADER, {"n": 1})
    assert victim.read_text() == "precious"
    assert read_save(target)[1] == {"n": 1}


def test_saving_over_a_symlink_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "slot.hsav").symlink_to(victim)
    write_save(tmp_path / "slot.hsav", HEADER, {"n": 2})
    assert victim.read_text() == "precious"
    assert not (tmp_path / "slot.hsav").is_symlink()


def test_stale_temporaries_are_cleaned_and_live_ones_kept(tmp_path: Path) -> None:
    dead = tmp_path / "autosave.hsav.tmp-999999999"  # no such process
    mine = tmp_path / f"autosave.hsav.tmp-{os.getpid()}-abc123"  # a write in progress
    old = tmp_path / f"slot.hsav.tmp-{os.getppid()}-def456"
    other = tmp_path / "notes.tmp-1"
    for p in (dead, mine, old, other):
        p.write_bytes(b"half")
    ago = time.time() - STALE_SECONDS - 10
    os.utime(old, (ago, ago))
    write_save(tmp_path / "autosave.hsav", HEADER, {"n": 3})
    assert not dead.exists() and not old.exists()
    assert mine.exists() and other.exists()
    assert clean_stale_temps(tmp_path) == 0


def test_a_fifo_is_refused_as_a_save_target(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.hsav"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match="not a regular file"):
        write_save(fifo, HEADER, {"n": 4})
    with pytest.raises(SaveError, match="not a regular file"):
        read_save(fifo)  # opened without blocking, refused before a byte is read
    with pytest.raises(SaveError, match="not a regular file"):
        read_save("/dev/zero")


@pytest.mark.parametrize("typed", ["x.hsav", "x.HSAV", " x.hsav ", "x"])
def test_save_x_hsav_writes_x_hsav(typed: str, tmp_path: Path) -> None:
    assert slot_path(tmp_path, typed).name.lower() == "x.hsav"
    session = GameSession("tutorial")
    session.start()
    game = TextGame(session, io.StringIO(), saving=True, saves_dir=str(tmp_path))
    line = game.save(typed)
    assert "saved to" in line, line
    assert [p.name.lower() for p in tmp_path.iterdir()] == ["x.hsav"]
    session.close()
