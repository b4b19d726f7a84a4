"""Hostile saves (issue 15, items 1-5): every crafted file in tests/fixtures/hostile/ gives
one line of error or a safe replay through the real CLI, with bounded work, counted."""

from __future__ import annotations

import io
import os
import threading
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import cli
from game.records import bounded, savefile
from game.records.payload import MAX_HISTORY, MAX_REPLAY_DAYS, find_shipped_story
from game.records.replay import ReplayError, read_for_replay, replay_save

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
FILES = sorted(HOSTILE.glob("*.hsav"))
ROOT = Path(__file__).resolve().parents[1]
# Long valid histories: their replay is what the budget bounds, and a report replays again.
SLOW_REPORTS = {"work_alternating_at_cap", "work_skip_end_storm"}


def test_there_are_about_a_hundred_crafted_saves() -> None:
    assert len(FILES) >= 100
    kinds = {f.name.split("_")[0] for f in FILES}
    assert {"story", "field", "entry", "bound", "work", "container", "header"} <= kinds


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_hostile_save_through_replay_and_report(path: Path, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    counts: list[bounded.UnpackStats] = []

    def counted(data: bytes | memoryview, what: str) -> object:
        stats = bounded.UnpackStats()
        counts.append(stats)
        return bounded.unpack(data, what, stats=stats)

    monkeypatch.setattr(savefile, "_unpack", counted)
    runs = [("replay", "--verify", str(path))]
    if path.stem not in SLOW_REPORTS:
        runs.append(("report", str(path), "--out", str(tmp_path / "r.html")))
    for args in runs:
        code, out, err = _cli(*args)
        assert code in (0, 1)
        assert "Traceback" not in out + err
        if code == 1 and err:
            assert err.count("\n") == 1 and err.startswith(f"hindsight {args[0]}: "), err
        assert err or out
    limits = bounded.LIMITS
    for stats in counts:  # objects are refused as soon as they pass the limit
        assert stats.objects <= limits.objects + limits.container_len
        assert stats.depth <= limits.depth + 1


def test_replay_work_is_bounded_by_count() -> None:
    """A history at the cap replays at most MAX_HISTORY entries, and a storm of loops stops
    at the simulated-days budget; longer histories and rewind storms are refused unread."""
    for name in ("work_20000_rewinds", "work_history_over_cap", "work_rewinds_over_slack"):
        with pytest.raises(ReplayError, match="bad payload"):
            read_for_replay(HOSTILE / f"{name}.hsav")
    storm = replay_save(HOSTILE / "work_skip_end_storm.hsav")
    assert storm.entries_replayed < MAX_HISTORY
    assert f"more than {MAX_REPLAY_DAYS} days" in storm.divergences[0]
    assert storm.session is not None
    storm.session.close()
    assert len(read_for_replay(HOSTILE / "work_waits_at_cap.hsav")[1].history) == MAX_HISTORY


def test_objects_are_counted_while_unpacking() -> None:
    stats = bounded.UnpackStats()
    empty_arrays = b"\xdd" + (400_000).to_bytes(4, "big") + b"\x90" * 400_000
    nested = b"\x85" + b"".join(bytes([0xa1, ord(k)]) + empty_arrays for k in "abcde")
    with pytest.raises(ValueError, match="more than 2000000 values"):
        bounded.unpack(nested, "payload", stats=stats)
    assert bounded.LIMITS.objects < stats.objects <= bounded.LIMITS.objects + 400_000
    with pytest.raises(ValueError, match="nested more than"):
        bounded.unpack(b"\x91" * 60 + b"\x90", "payload")
    with pytest.raises(ValueError, match="too big"):
        bounded.unpack(b"\xdd\x7f\xff\xff\xff", "payload")


def test_old_formats_find_their_story_among_the_shipped_ones() -> None:
    shipped = (ROOT / "story" / "tutorial.toml").read_text(encoding="utf-8")
    for name in ("game_v1.hsav", "game_v2.hsav"):
        header, payload = read_for_replay(ROOT / "tests" / "fixtures" / name)
        assert savefile.load_file(ROOT / "tests" / "fixtures" / name).written_format < 3
        assert payload.story_text() == find_shipped_story(header.scenario_hash, "tutorial")
        assert payload.story_text() == shipped or header.scenario_id == "tutorial"
        result = replay_save(ROOT / "tests" / "fixtures" / name)
        assert result.session is not None and result.commands == len(payload.history) > 0
        if result.ok:  # while the shipped tutorial is the one these were made with
            assert result.entries_replayed == result.commands
        result.session.close()


def test_a_path_in_an_old_save_is_never_opened(tmp_path: Path) -> None:
    """The path in a format-2 payload may be a FIFO: opening it would block forever."""
    import msgpack
    from hostile_saves import frame

    fifo = tmp_path / "story.toml"
    os.mkfifo(fifo)
    old = savefile.load_file(ROOT / "tests" / "fixtures" / "game_v2.hsav")
    raw = msgpack.packb({**old.payload, "story": str(fifo)}, use_bin_type=True)
    header = old.header.model_dump(exclude={"format_version", "payload_size",
                                            "payload_compressed"})
    unknown = tmp_path / "unknown.hsav"
    unknown.write_bytes(frame({**header, "scenario_id": "nowhere", "scenario_hash": "0" * 16},
                              raw, fmt=2))
    shipped = tmp_path / "shipped.hsav"
    shipped.write_bytes(frame(header, raw, fmt=2))
    outcome: list[str] = []

    def load() -> None:
        try:
            read_for_replay(unknown)
        except ReplayError as exc:
            outcome.append(str(exc))
        outcome.append(read_for_replay(shipped)[1].story_text()[:10])

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(60)
    assert len(outcome) == 2 and "not shipped with the game" in outcome[0]


def test_a_fifo_is_never_read_as_a_save(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.hsav"
    os.mkfifo(fifo)
    done: list[str] = []

    def load() -> None:
        try:
            replay_save(fifo)
        except ReplayError as exc:
            done.append(str(exc))

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(60)
    assert done and "not a regular file" in done[0]


def test_a_save_that_could_not_be_loaded_again_is_not_written() -> None:
    from game.records.payload import MAX_REPLAY_MINUTES, check_fits

    check_fits([{}] * MAX_HISTORY, MAX_REPLAY_MINUTES)
    with pytest.raises(savefile.SaveError, match="more than a save may replay"):
        check_fits([{}] * (MAX_HISTORY + 1), 0)
    with pytest.raises(savefile.SaveError, match="simulates more than"):
        check_fits([], MAX_REPLAY_MINUTES + 1)


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.floats(allow_nan=True)
    | st.text(max_size=20) | st.binary(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(["story_zlib", "story_size", "seed", "mind", "history", "tree",
                            "notebook", "llm_record", "mind_config", "mind_stats", "extra"]),
       value=PLAIN, entry=st.booleans())
def test_any_payload_field_is_checked_or_refused_in_one_line(key: str, value: object,
                                                             entry: bool) -> None:
    """Whatever plain data a field (or one history entry's field) holds, checking the
    payload either accepts it or raises SaveError: never anything else."""
    from game.records.payload import check_payload

    loaded = savefile.load_file(ROOT / "saves" / "tutorial.hsav")
    raw = dict(loaded.payload)
    if entry and raw["history"]:
        raw["history"] = [{**raw["history"][0], key: value}, *raw["history"][1:]]
    else:
        raw[key] = value
    try:
        check_payload("fuzz.hsav", savefile.LoadedSave(loaded.header, raw, 3))
    except savefile.SaveError as exc:
        assert "\n" not in str(exc)
