"""Kill test: SIGKILL a process at random moments while it saves; the file stays whole."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from game.records.paths import list_slots
from game.records.savefile import read_save

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

WRITER = textwrap.dedent("""
    import hashlib, sys
    from game.records.savefile import write_save
    path, run = sys.argv[1], int(sys.argv[2])
    header = {"game_version": "0.1.0", "scenario_id": "kill", "scenario_hash": "0",
              "created": "2026-03-02T06:00:00", "summary": "kill test"}
    print("ready", flush=True)
    for counter in range(200):
        blob = hashlib.shake_256(f"{run}:{counter}".encode()).digest(2000 + 3000 * counter)
        write_save(path, header, {"run": run, "counter": counter, "blob": blob})
""")


def _expected_blob(run: int, counter: int) -> bytes:
    return hashlib.shake_256(f"{run}:{counter}".encode()).digest(2000 + 3000 * counter)


def test_sigkill_during_saves_never_leaves_a_partial_save(tmp_path: Path) -> None:
    path = tmp_path / "autosave.hsav"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(1234)
    seen: set[tuple[int, int]] = set()
    for run in range(20):
        proc = subprocess.Popen([sys.executable, str(script), str(path), str(run)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if not path.exists():
            continue
        _, payload = read_save(path)  # raises if the file is not a whole save
        run_id, counter = payload["run"], payload["counter"]
        assert run_id <= run
        assert payload["blob"] == _expected_blob(run_id, counter)
        seen.add((run_id, counter))
        slots = list_slots(tmp_path)
        assert [s.slot for s in slots] == ["autosave"] and slots[0].error is None
    assert len(seen) >= 5, seen  # the kills really landed at different points
    leftover = len(list(tmp_path.glob("*.tmp-*")))
    print(f"\n{len(seen)} distinct surviving saves; leftover temporaries: {leftover}")
    assert leftover <= 1  # each write clears what the killed writers before it left
