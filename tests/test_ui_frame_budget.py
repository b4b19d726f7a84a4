"""The UI's frame-budget machinery (commit d488753): time-sliced skipping, the save writer
thread and the GC pauses. These hold the frame rate only if they keep the game exact: a
sliced skip must equal a plain one, a paused worker must not touch the session, and a
failed background save must be reported, not raised or lost."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import gc  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from game.records.savefile import read_save  # noqa: E402
from game.session import Command, GameSession  # noqa: E402
from game.ui import gameplay, heap  # noqa: E402
from game.ui.gameplay import SaveWriter, SkipRunner  # noqa: E402

GRACE = 0.03  # seconds: ample for one decision batch (about 2 ms) to finish
MAIN = str(Path(__file__).resolve().parents[1] / "story" / "main.toml")


@pytest.fixture(autouse=True)
def gc_state():
    """Every test leaves the collector enabled and unfrozen, whatever it did."""
    yield
    gc.unfreeze()
    gc.enable()


@pytest.fixture
def runners():
    """SkipRunners made by a test; any still paused are cancelled so their threads end
    (a paused worker also holds a heap.pause)."""
    made: list[SkipRunner] = []
    yield made
    for r in made:
        if not r.done:
            r.cancel()
            r.wait(5)
    assert all(r.done for r in made), "a skip worker did not end"


def started(seed: int) -> GameSession:
    s = GameSession(MAIN, seed)
    s.start()
    return s


def state(s: GameSession) -> tuple:
    return s.world.now, s.world.log.digest, s.history, s.status, s.loop


def drive(runner: SkipRunner, seconds: float = 0.004, limit: float = 15.0) -> None:
    """Lend the worker slices the way the skip scene does, until it is done."""
    deadline = time.monotonic() + limit
    while not runner.done:
        assert time.monotonic() < deadline, "sliced skip did not finish"
        runner.run_slice(seconds)


# ------------------------------------------------------------------ SkipRunner


def test_worker_is_paused_between_slices(runners):
    s = started(5)
    r = SkipRunner(s, "end")
    runners.append(r)
    t0 = s.world.now
    time.sleep(0.03)  # before the first slice the worker must not start
    assert s.world.now == t0 and s.history == []
    checked = 0
    for _ in range(4):
        r.run_slice(0.005)
        assert not r.done, "a skip to the loop end finished within a few 5 ms slices"
        # run_slice may return at its deadline while a decision batch is still finishing
        # (see the report on d488753); let that batch end, then the worker must stay put.
        time.sleep(GRACE)
        now, digest = s.world.now, s.world.log.digest
        time.sleep(0.05)
        assert (s.world.now, s.world.log.digest) == (now, digest), \
            "the session changed while the worker should have been paused"
        assert r.snapshot_view()["now"] == now  # the view is taken at the pause
        assert not gc.isenabled()  # automatic collections stay off during the skip
        checked += 1
    assert s.world.now > t0  # and the slices did advance time
    assert checked == 4
    drive(r)
    assert gc.isenabled()  # the worker gave its heap.pause back


@pytest.mark.parametrize("seed", [3, 11])
def test_sliced_skip_matches_a_direct_skip(seed, runners):
    sliced = started(seed)
    r = SkipRunner(sliced, "end")
    runners.append(r)
    drive(r, 0.004)
    assert r.error is None
    assert r.outcome is not None and not r.cancelled

    twin = started(seed)
    out = twin.skip("end")
    assert state(sliced) == state(twin)
    assert sliced.world.log.digest == twin.world.log.digest
    assert sliced.history == twin.history
    assert sliced.status == twin.status and sliced.status in ("dead", "ended")
    assert r.witnessed == list(out.witnessed)
    assert r.slices > 1
    if sliced.status == "ended":  # a death ends the skip before its target
        assert r.fraction == 1.0


def test_multi_day_skip_takes_many_slices_and_reaches_its_target(runners):
    s = started(2)
    r = SkipRunner(s, "days", 2)
    runners.append(r)
    target = r.target
    assert target == s.world.now + 2 * 24 * 60
    seen = []
    while not r.done:
        r.run_slice(0.002)
        seen.append(r.snapshot_view()["now"])
        assert r.slices < 10_000
    assert r.slices > 1
    assert seen == sorted(seen)  # the view only moves forward
    assert r.error is None and not r.cancelled
    twin = started(2)
    twin.skip("days", 2)
    assert state(s) == state(twin)
    if s.status == "playing":
        assert s.world.now == target
    # once done, run_slice is a no-op that lends nothing
    n = r.slices
    r.run_slice(0.01)
    assert r.slices == n


def test_cancel_while_paused_ends_promptly_and_records_skip_until(runners):
    s = started(4)
    r = SkipRunner(s, "end")
    runners.append(r)
    for _ in range(3):
        r.run_slice(0.003)
    assert not r.done
    paused_at = s.world.now
    batches = s.world.stats["batches"]
    r.cancel()
    assert r.wait(60) is True
    assert s.world.stats["batches"] - batches <= 1  # a cancel ends the skip at the next batch
    assert r.done and not r.thread.is_alive()
    assert r.cancelled
    assert r.error is None
    assert s.status == "playing"  # stopped well before the murder night
    assert paused_at <= s.world.now < r.target
    last = s.history[-1]
    assert last["verb"] == "skip" and last["topic"] == "until"
    assert last["minutes"] == s.world.now
    assert len(s.history) == 1
    assert gc.isenabled()
    # the recorded cancel replays to the same world
    again = GameSession(MAIN, seed=4)
    again.start()
    for entry in s.history:
        again.do(Command.from_state(entry))
    assert (again.world.now, again.world.log.digest) == (s.world.now, s.world.log.digest)


def test_cancel_before_any_slice_stops_at_once(runners):
    s = started(4)
    r = SkipRunner(s, "end")
    runners.append(r)
    t0 = s.world.now
    r.cancel()
    assert r.wait(5)
    assert r.cancelled
    assert s.world.now < t0 + 120  # at most the first decision batch or a walk's end
    assert s.history[-1]["topic"] == "until"


def test_wait_without_slicing_runs_to_the_end(runners):
    s = started(9)
    r = SkipRunner(s, "end")
    runners.append(r)
    assert r.wait(15) is True
    assert r.done and r.slices == 0
    assert r.error is None and r.outcome is not None and not r.cancelled
    twin = started(9)
    twin.skip("end")
    assert state(s) == state(twin)
    assert s.status in ("dead", "ended")
    assert gc.isenabled()


# ------------------------------------------------------------------ SaveWriter


def played(seed: int, hours: int) -> GameSession:
    s = started(seed)
    s.skip("hours", hours)
    return s


def test_writer_save_flushes_to_a_loadable_slot(tmp_path):
    s = played(6, 3)
    w = SaveWriter()
    saves = tmp_path / "saves"
    path = gameplay.save(s, MAIN, saves, slot="slot1", writer=w)
    w.flush()
    assert w.take_errors() == []
    assert path == saves / "slot1.hsav" and path.is_file()
    assert not [p for p in saves.iterdir() if ".tmp-" in p.name]
    loaded, story = gameplay.load(path)
    assert loaded.history == s.history
    assert loaded.world.log.digest == s.world.log.digest
    assert loaded.world.now == s.world.now
    assert Path(story) == Path(MAIN).resolve()
    # the header summary the load screen shows is written too
    header = read_save(path)[0]
    assert f"Loop {s.loop}" in header.summary


def test_unwritable_target_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a regular file where a folder should be")
    s = played(6, 1)
    w = SaveWriter()
    path = gameplay.save(s, MAIN, blocker / "saves", writer=w)  # must not raise here
    w.flush()
    errors = w.take_errors()
    assert len(errors) == 1 and errors[0]
    assert "cannot write" in errors[0]
    assert w.take_errors() == []
    assert not path.exists()
    assert blocker.read_text().startswith("a regular file")
    # the writer thread survived the failure and still writes
    good = gameplay.save(s, MAIN, tmp_path / "ok", writer=w)
    w.flush()
    assert w.take_errors() == []
    assert gameplay.load(good)[0].world.log.digest == s.world.log.digest


def test_submits_land_in_order_and_the_last_save_wins(tmp_path):
    s = started(8)
    w = SaveWriter()
    saves = tmp_path / "saves"
    lengths = []
    digests = []
    for i in range(4):
        s.skip("hours", 1)
        gameplay.save(s, MAIN, saves, slot="same", writer=w)
        gameplay.save(s, MAIN, saves, slot=f"step{i}", writer=w)
        lengths.append(len(s.history))
        digests.append(s.world.log.digest)
    w.flush()
    assert w.take_errors() == []
    last, _ = gameplay.load(saves / "same.hsav")
    assert len(last.history) == lengths[-1] == 4
    assert last.world.log.digest == digests[-1]
    for i in range(4):
        step, _ = gameplay.load(saves / f"step{i}.hsav")
        assert len(step.history) == lengths[i]
        assert step.world.log.digest == digests[i]


# ------------------------------------------------------------------ heap


def test_pause_and_resume_nest():
    gc.enable()
    heap.pause()
    heap.pause()
    assert not gc.isenabled()
    heap.resume()
    assert not gc.isenabled(), "the inner resume re-enabled the collector"
    heap.resume()
    assert gc.isenabled()
    heap.resume()  # an unmatched resume does not go negative and break the next pause
    heap.pause()
    assert not gc.isenabled()
    heap.resume()
    assert gc.isenabled()


def test_settle_freezes_and_reclaim_unfreezes():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    keep = [[i] for i in range(1000)]  # something alive to freeze
    heap.settle()
    assert gc.get_freeze_count() > 0
    heap.reclaim()
    assert gc.get_freeze_count() == 0
    assert len(keep) == 1000
