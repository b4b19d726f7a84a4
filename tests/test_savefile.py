"""Save files: round-trip, canonical bytes, migration, slots, and hostile input."""

from __future__ import annotations

import hashlib
import struct
import tracemalloc
import zlib
from pathlib import Path

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.synthetic import synthetic_spec
from game.engine.world import World
from game.minds.scripted import ScriptedMind
from game.records.paths import autosave_path, list_slots, saves_dir, slot_path
from game.records.savefile import (
    FORMAT_VERSION,
    MAGIC,
    SaveError,
    _write_v1,
    decode_save,
    load_file,
    read_header,
    read_save,
    write_save,
)
from game.timeline.tree import TimelineTree

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
HEADER = {"game_version": "0.1.0", "scenario_id": "harbour", "scenario_hash": "0123abcd",
          "created": "2026-03-02T06:00:00+00:00", "summary": "Day 3, 14:20 — talked to Ada"}


def _frame(header: dict, body: bytes, container: int = 1) -> bytes:
    head = msgpack.packb(header, use_bin_type=True)
    data = MAGIC + bytes([container]) + struct.pack(">I", len(head)) + head + body
    return data + hashlib.sha256(data).digest()


def _header(**changes: object) -> dict:
    h = {"format_version": FORMAT_VERSION, **HEADER, "thumbnail": None, "payload_size": 0,
         "payload_compressed": False}
    h.update(changes)
    return h


@pytest.fixture(scope="module")
def world_payload() -> dict:
    world = World(synthetic_spec(10, 12), 5, ScriptedMind())
    tree, node = TimelineTree(), None
    for _ in range(12):
        world.run_until(world.now + 200)
        node = tree.add(node, {"verb": "wait"}, world.now, "", world.snapshot(), world.log.digest)
    return {"seed": 5, "actions": [{"verb": "wait"}] * 12, "tree": tree.to_state(),
            "llm": {"answers": []}}


@pytest.fixture(scope="module")
def real_save(world_payload: dict, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("s") / "real.hsav"
    write_save(path, {**HEADER, "thumbnail": PNG}, world_payload)
    return path.read_bytes()


def test_roundtrip_and_canonical_bytes(tmp_path: Path, world_payload: dict) -> None:
    a, b = tmp_path / "a.hsav", tmp_path / "b.hsav"
    write_save(a, {**HEADER, "thumbnail": PNG}, world_payload)
    header, payload = read_save(a)
    assert payload == world_payload
    assert header.scenario_id == "harbour" and header.thumbnail == PNG
    assert header.payload_compressed and a.stat().st_size < header.payload_size
    write_save(b, header.model_dump(exclude={"format_version", "payload_size",
                                             "payload_compressed"}), payload)
    assert a.read_bytes() == b.read_bytes()
    tree = TimelineTree.from_state(payload["tree"])
    assert tree.snapshot(11)["now"] == world_payload["tree"]["nodes"][0][6][1]["now"] + 11 * 200


def test_incompressible_payload_is_stored_raw(tmp_path: Path) -> None:
    path = tmp_path / "r.hsav"
    write_save(path, HEADER, {"noise": hashlib.sha256(b"x").digest() * 1})
    header, payload = read_save(path)
    assert not header.payload_compressed and payload["noise"]


def test_committed_fixtures_load_and_v1_migrates(tmp_path: Path) -> None:
    header1, payload1 = read_save(FIXTURES / "save_v1.hsav")
    header2, payload2 = read_save(FIXTURES / "save_v2.hsav")
    assert header1.format_version == FORMAT_VERSION == 3 and header1.scenario_id == "harbour"
    assert header1.payload_compressed is True
    assert header1 == header2 and payload1 == payload2
    assert TimelineTree.from_state(payload1["tree"]).path_to(1) == [0, 1]
    # a migrated save written again is a current-format file with the same content, and
    # writing that again gives the same bytes
    out, again = tmp_path / "out.hsav", tmp_path / "again.hsav"
    fields = header1.model_dump(exclude={"format_version", "payload_size", "payload_compressed"})
    write_save(out, fields, payload1)
    assert read_save(out) == (header1, payload1)
    write_save(again, read_save(out)[0].model_dump(
        exclude={"format_version", "payload_size", "payload_compressed"}), payload1)
    assert out.read_bytes() == again.read_bytes()
    assert load_file(FIXTURES / "save_v2.hsav").written_format == 2
    assert load_file(out).written_format == FORMAT_VERSION


def test_v1_writer_still_makes_loadable_files(tmp_path: Path) -> None:
    path = tmp_path / "old.hsav"
    _write_v1(path, {**{k: v for k, v in HEADER.items() if k != "scenario_id"},
                     "scenario": "lighthouse"}, {"seed": 1})
    header, payload = read_save(path)
    assert header.scenario_id == "lighthouse" and payload == {"seed": 1}


def test_bad_header_fields_refused_on_write(tmp_path: Path) -> None:
    for bad in ({**HEADER, "summary": "x" * 501}, {**HEADER, "thumbnail": b"GIF89a"},
                {**HEADER, "created": "yesterday"}, {**HEADER, "extra": 1},
                {**HEADER, "game_version": 1}):
        with pytest.raises(SaveError):
            write_save(tmp_path / "x.hsav", bad, {})
    assert not (tmp_path / "x.hsav").exists()


# ----------------------------------------------------------------- hostile files
def _load(data: bytes) -> None:
    decode_save(Path("fuzz.hsav"), data)


def _rejects(data: bytes) -> str:
    with pytest.raises(SaveError) as info:
        _load(data)
    message = str(info.value)
    assert "\n" not in message and message.startswith("fuzz.hsav: ")
    return message


def test_clear_messages_for_known_problems(real_save: bytes) -> None:
    assert "bad magic" in _rejects(b"PK\x03\x04 a zip file")
    assert "bad magic" in _rejects(b"")
    assert "truncated" in _rejects(real_save[:10])
    assert "checksum mismatch" in _rejects(real_save[:-1])
    assert "newer game (container 9" in _rejects(MAGIC + b"\x09" + b"\0" * 64)
    future = _frame(_header(format_version=7), b"")
    assert _rejects(future) == ("fuzz.hsav: made by a newer game (format 7; "
                                f"this game reads up to {FORMAT_VERSION})")
    assert "bad header" in _rejects(_frame(_header(extra=1), b""))
    assert "bad header" in _rejects(_frame(_header(payload_size="0"), b""))
    assert "format_version" in _rejects(_frame({"hello": 1}, b""))
    assert "not a map" in _rejects(_frame([1, 2], b""))


def test_huge_length_prefixes() -> None:
    data = MAGIC + b"\x01" + b"\xff\xff\xff\xff" + b"\0" * 100
    assert "header length 4294967295" in _rejects(data)
    # a valid frame whose payload claims 2**31 array items
    body = b"\xdd\x7f\xff\xff\xff"
    assert "payload is too big" in _rejects(_frame(_header(payload_size=len(body)), body))
    body = b"\xdf\x7f\xff\xff\xff"  # map32 with 2**31 entries
    _rejects(_frame(_header(payload_size=len(body)), body))
    head = b"\xdb\xff\xff\xff\xff"  # str32 header claiming 4 GiB
    _rejects(_frame({"format_version": 2, "x": 1}, b"")[:9] + head)
    _rejects(_frame(_header(payload_size=len(b"\x91" * 5000)), b"\x91" * 5000))  # deep nesting
    ext = msgpack.packb(msgpack.Timestamp(1, 0))
    _rejects(_frame(_header(payload_size=len(ext) + 2), b"\x81\xa1k" + ext))


def test_zlib_bomb_is_stopped_with_bounded_memory() -> None:
    comp = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [comp.compress(chunk) for _ in range(1024)]  # 1 GiB of zeros, streamed
    parts.append(comp.flush())
    bomb = b"".join(parts)
    assert len(bomb) < 2 << 20
    for claimed in (1000, 60 << 20):
        data = _frame(_header(payload_size=claimed, payload_compressed=True), bomb)
        tracemalloc.start()
        try:
            message = _rejects(data)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert "larger than its header says" in message
        assert peak < 200 << 20, peak
    too_big = _frame(_header(payload_size=1 << 40, payload_compressed=True), bomb)
    assert "bad header" in _rejects(too_big)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _rejects(data)
    _rejects(MAGIC + b"\x01" + data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_truncations_and_bit_flips(real_save: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(real_save) - 1))
    _rejects(real_save[:cut])
    pos = data.draw(st.integers(0, len(real_save) - 1))
    bit = data.draw(st.integers(0, 7))
    flipped = bytearray(real_save)
    flipped[pos] ^= 1 << bit
    _rejects(bytes(flipped))


def test_every_truncation_of_a_small_save() -> None:
    good = (FIXTURES / "save_v2.hsav").read_bytes()
    for cut in range(len(good)):
        _rejects(good[:cut])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.booleans())
def test_valid_checksum_garbage_payload(body: bytes, compressed: bool) -> None:
    """An attacker can fix up the checksum; the payload must still be checked."""
    data = _frame(_header(payload_size=len(body), payload_compressed=compressed), body)
    try:
        _load(data)
    except SaveError as exc:
        assert "\n" not in str(exc)


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="cannot read"):
        read_save(tmp_path / "missing.hsav")
    with pytest.raises(SaveError, match="cannot read"):
        read_header(tmp_path)
    big = tmp_path / "big.hsav"
    with open(big, "wb") as fh:
        fh.truncate(65 * 1024 * 1024)  # sparse
    with pytest.raises(SaveError, match="too large"):
        read_save(big)


# ------------------------------------------------------------------------ slots
def test_slots_and_paths(tmp_path: Path) -> None:
    assert saves_dir(tmp_path) == tmp_path
    assert saves_dir().name == "saves" and "hindsight" in str(saves_dir()).lower()
    write_save(autosave_path(tmp_path), HEADER, {"n": 1})
    write_save(slot_path(tmp_path, "before the dock"), {**HEADER, "summary": "dock"}, {"n": 2})
    (tmp_path / "broken.hsav").write_bytes(b"garbage")
    (tmp_path / "autosave.hsav.tmp-999").write_bytes(b"half")
    (tmp_path / "notes.txt").write_text("x")
    slots = list_slots(tmp_path)
    assert [s.slot for s in slots] == ["autosave", "before the dock", "broken"]
    assert slots[0].header is not None and slots[1].header.summary == "dock"
    assert slots[2].header is None and "bad magic" in slots[2].error
    assert list_slots(tmp_path / "nowhere") == []
    for bad in ("../escape", "a/b", "", ".hidden", "x" * 80):
        with pytest.raises(SaveError):
            slot_path(tmp_path, bad)
