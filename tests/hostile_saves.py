"""Write the crafted saves in tests/fixtures/hostile/: one file per way a save can lie.

``python tests/hostile_saves.py [folder]`` rewrites them (the committed files are its
output; ``created`` is fixed). Each file is built from a real save of the tutorial with
one thing wrong, or framed by hand when the container itself must carry the attack.
Every one of them must give a one-line error or a safe replay: never a traceback, a
hang, or memory beyond the bounds (tests/test_hostile_saves.py checks).

Also writes tests/fixtures/game_v1.hsav and game_v2.hsav: game saves of the earlier
formats, whose payload named a story file instead of carrying it.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import msgpack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.records import savefile  # noqa: E402
from game.records.examples import CREATED, play_example  # noqa: E402
from game.records.payload import MAX_HISTORY  # noqa: E402
from game.records.saving import prepare_save, session_payload  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "hostile"
Payload = dict[str, Any]


def frame(header: dict[str, Any], raw: bytes, compress: bool = True, container: int = 1,
          fmt: int = savefile.FORMAT_VERSION) -> bytes:
    """A well-formed container around any payload bytes (the checksum is right)."""
    body = zlib.compress(raw, 9) if compress else raw
    head = {**header, "format_version": fmt, "payload_size": len(raw)}
    if fmt >= 2:
        head["payload_compressed"] = compress
    packed = msgpack.packb(head, use_bin_type=True)
    data = savefile.MAGIC + bytes([container]) + struct.pack(">I", len(packed)) + packed + body
    return data + hashlib.sha256(data).digest()


def _base() -> tuple[dict[str, Any], Payload]:
    session = play_example("tutorial")
    header, _ = prepare_save(session, created=CREATED)
    payload = session_payload(session)
    session.close()
    return header, payload


def _with(payload: Payload, **changes: Any) -> Payload:
    return {**payload, **changes}


def _without(payload: Payload, key: str) -> Payload:
    return {k: v for k, v in payload.items() if k != key}


def _nested(levels: int, leaf: Any = 0) -> Any:
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def _raw_many_empty_arrays(count: int) -> bytes:
    """A map whose 'history' is one array32 of ``count`` empty arrays: tiny in zlib."""
    key = msgpack.packb("history")
    return b"\x81" + key + b"\xdd" + struct.pack(">I", count) + b"\x90" * count


def _raw_deep(levels: int) -> bytes:
    return b"\x81" + msgpack.packb("tree") + b"\x91" * levels + b"\x90"


def cases(header: dict[str, Any], payload: Payload) -> dict[str, bytes]:
    """name -> file bytes."""
    out: dict[str, bytes] = {}
    hist = payload["history"]

    def save(name: str, p: Any, head: dict[str, Any] | None = None, fmt: int | None = None,
             compress: bool = True) -> None:
        h = dict(head or header)
        version = savefile.FORMAT_VERSION if fmt is None else fmt
        if version == 1:
            h["scenario"] = h.pop("scenario_id")
        h.pop("thumbnail", None)
        h["thumbnail"] = None
        out[name] = frame(h, msgpack.packb(p, use_bin_type=True), compress, fmt=version)

    story_text = zlib.decompress(payload["story_zlib"])

    # 1. the story: old formats named a path; the new one carries the text
    old = _without(_without(payload, "story_zlib"), "story_size")
    for tag, path in (("dev_zero", "/dev/zero"), ("dev_stdin", "/dev/stdin"),
                      ("fifo", "/tmp/hindsight-fifo.toml"), ("long_path", "x" * 5000),
                      ("traversal", "../../../../etc/passwd"), ("proc", "/proc/self/mem")):
        for fmt in (1, 2):
            unknown = {**header, "scenario_id": "nowhere", "scenario_hash": "0" * 16}
            save(f"story_{tag}_v{fmt}_unknown.hsav", _with(old, story=path), unknown, fmt)
        save(f"story_{tag}_v2_shipped.hsav", _with(old, story=path), header, 2)
    save("story_not_text_v2.hsav", _with(old, story=12), header, 2)
    save("story_missing_v3.hsav", _without(payload, "story_zlib"))
    save("story_as_text_v3.hsav", _with(payload, story_zlib=story_text.decode()))
    save("story_size_short.hsav", _with(payload, story_size=len(story_text) - 1))
    save("story_size_long.hsav", _with(payload, story_size=len(story_text) + 1))
    save("story_size_huge.hsav", _with(payload, story_size=2**40))
    save("story_size_zero.hsav", _with(payload, story_size=0))
    bomb = zlib.compress(b" " * (4 * 1024 * 1024), 9)
    save("story_zip_bomb.hsav", _with(payload, story_zlib=bomb, story_size=4096))
    save("story_not_zlib.hsav", _with(payload, story_zlib=b"plain text, not zlib"))
    save("story_trailing.hsav", _with(payload, story_zlib=payload["story_zlib"] + b"junk"))
    latin = "title = 'caf\xe9'".encode("latin-1")
    save("story_not_utf8.hsav", _with(payload, story_zlib=zlib.compress(latin),
                                      story_size=len(latin)))
    evil = story_text.replace(b"Odile", b"Eve", 1)
    save("story_hash_mismatch.hsav", _with(payload, story_zlib=zlib.compress(evil),
                                           story_size=len(evil)))
    for tag, text in (("bad_toml", b"[scenario\nid = "), ("empty_story", b"\n"),
                      ("deep_toml", b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
                      ("wrong_schema", b"[scenario]\nid = 'x'\n")):
        h = {**header, "scenario_hash": hashlib.sha256(text).hexdigest()[:16]}
        save(f"story_{tag}.hsav", _with(payload, story_zlib=zlib.compress(text),
                                        story_size=len(text)), h)

    # 2. every other field, typed
    bad_fields: dict[str, list[tuple[str, Any]]] = {
        "seed": [("text", "1"), ("float", 1.5), ("bool", True), ("none", None),
                 ("huge", 2**64 - 1)],
        "mind": [("unknown", "evil"), ("local", "local"), ("number", 5), ("empty", ""),
                 ("long", "m" * 5000)],
        "history": [("map", {}), ("text", "go"), ("ints", [1, 2, 3]), ("nones", [None])],
        "llm_record": [("int", 7), ("ints", [1, 2]), ("no_n", {"version": 1, "entries": [
            {"key": "k", "kind": "say", "answer": "hi"}]}),
            ("n_text", {"version": 1, "entries": [
                {"key": "k", "n": "0", "kind": "say", "answer": "hi"}]}),
            ("entries_int", {"version": 1, "entries": 5}),
            ("version_9", {"version": 9, "entries": []}),
            ("both", {"version": 1, "entries": [
                {"key": "k", "n": 0, "kind": "say", "answer": "a", "fallback": "b"}]}),
            ("neither", {"version": 1, "entries": [{"key": "k", "n": 0, "kind": "say"}]})],
        "mind_config": [("list", [1, 2]), ("text", "abc"), ("int", 3),
                        ("nested", {"a": {"b": {"c": 1}}}), ("many", {f"k{i}": i for i in
                                                                       range(500)}),
                        ("long_value", {"model": "m" * 10000})],
        "mind_stats": [("list", []), ("deep", {"a": {"b": {"c": {"d": 1}}}})],
        "tree": [("list", []), ("text", "tree")],
        "notebook": [("list", []), ("int", 1)],
    }
    for key, variants in bad_fields.items():
        for tag, value in variants:
            save(f"field_{key}_{tag}.hsav", _with(payload, **{key: value}))
        if key not in ("llm_record", "mind_config", "mind_stats", "tree", "notebook", "mind"):
            save(f"field_{key}_missing.hsav", _without(payload, key))
    save("field_unknown_extra.hsav", _with(payload, smuggled="x"))
    save("payload_not_map.hsav", [1, 2, 3])
    save("payload_empty_map.hsav", {})
    save("llm_no_record.hsav", _with(payload, mind="llm", llm_record=None))
    record = {"version": 1, "entries": [{"key": "k", "n": 0, "kind": "say", "answer": "hi"}]}
    for tag, config in (("timeout_text", {"timeout": "soon"}), ("concurrency_neg",
                                                                 {"concurrency": -5}),
                        ("mode_weird", {"mode": "telepathy"}), ("retries_huge",
                                                                {"retries": 10**12})):
        save(f"llm_config_{tag}.hsav", _with(payload, mind="llm", llm_record=record,
                                             mind_config=config))

    # history entries
    first = dict(hist[0])
    entry_cases: dict[str, Any] = {
        "extra_text": {**first, "extra": "x"}, "extra_list_of_text": {**first, "extra": ["x"]},
        "extra_int_values": {**first, "verb": "accuse", "extra": [{"culprit": 1}]},
        "extra_many": {**first, "verb": "accuse", "extra": [{"culprit": "odile"}] * 50},
        "extra_wide": {**first, "verb": "accuse", "extra": [{f"k{i}": "v" for i in range(40)}]},
        "accuse_unknown_people": {**first, "verb": "accuse", "extra": [
            {"culprit": "nobody", "motive": "x", "means": "y", "opportunity": "z"}]},
        "verb_empty": {**first, "verb": ""}, "verb_long": {**first, "verb": "v" * 5000},
        "verb_unknown": {**first, "verb": "teleport"}, "unknown_key": {**first, "colour": "red"},
        "minutes_float": {**first, "minutes": 1.5}, "minutes_huge": {**first, "minutes": 2**62},
        "minutes_bool": {**first, "minutes": True}, "target_int": {**first, "target": 5},
        "arg_huge": {**first, "arg": "a" * 100_000},
        "wait_billion": {"verb": "wait", "target": "", "topic": "", "arg": "",
                         "minutes": 10**9, "extra": []},
        "skip_days_billion": {"verb": "skip", "target": "", "topic": "days", "arg": "",
                              "minutes": 10**9, "extra": []},
        "skip_until_past": {"verb": "skip", "target": "", "topic": "until", "arg": "",
                            "minutes": -10**9, "extra": []},
        "rewind_negative": {"verb": "rewind", "target": "", "topic": "", "arg": "-1",
                            "minutes": 0, "extra": []},
        "rewind_far": {"verb": "rewind", "target": "", "topic": "", "arg": "99999999",
                       "minutes": 0, "extra": []},
        "rewind_word": {"verb": "rewind", "target": "", "topic": "", "arg": "yesterday",
                        "minutes": 0, "extra": []},
        "say_long": {"verb": "say", "target": "", "topic": "", "arg": "blah " * 390,
                     "minutes": 0, "extra": []},
    }
    for tag, entry in entry_cases.items():
        save(f"entry_{tag}.hsav", _with(payload, history=[*hist[:2], entry, *hist[2:]]))

    # 4. replay work
    rewind = {"verb": "rewind", "target": "", "topic": "", "arg": "0", "minutes": 0,
              "extra": []}
    wait = {"verb": "wait", "target": "", "topic": "", "arg": "", "minutes": 1, "extra": []}
    skip_end = {"verb": "skip", "target": "", "topic": "end", "arg": "", "minutes": 0,
                "extra": []}
    save("work_20000_rewinds.hsav", _with(payload, history=[rewind] * 20_000))
    save("work_rewinds_over_slack.hsav", _with(payload, history=[wait] * 30 + [rewind] * 51))
    save("work_history_over_cap.hsav", _with(payload, history=[wait] * (MAX_HISTORY + 1)))
    save("work_waits_at_cap.hsav", _with(payload, history=[wait] * MAX_HISTORY))
    save("work_alternating_at_cap.hsav", _with(payload, history=[wait, rewind] *
                                               (MAX_HISTORY // 2)))
    save("work_skip_end_storm.hsav", _with(payload, history=[skip_end, rewind] *
                                           (MAX_HISTORY // 2)))

    # 3. objects, not bytes
    out["bound_60mib_empty_arrays.hsav"] = frame(header, _raw_many_empty_arrays(60 * 2**20))
    out["bound_4m_empty_arrays.hsav"] = frame(header, _raw_many_empty_arrays(4 * 2**20))
    big_map = b"\xdf" + struct.pack(">I", 3 * 2**20) + b"\xa1a\x90" * (3 * 2**20)
    out["bound_3m_key_map.hsav"] = frame(header, big_map)
    split = b"\x85" + b"".join(msgpack.packb(k) + b"\xdd" + struct.pack(">I", 450_000)
                                + b"\x90" * 450_000 for k in "abcde")
    out["bound_2m25_objects_split.hsav"] = frame(header, split)
    out["bound_deep_60.hsav"] = frame(header, _raw_deep(60))
    out["bound_deep_2000.hsav"] = frame(header, _raw_deep(2000))
    out["bound_deep_100k.hsav"] = frame(header, _raw_deep(100_000))
    save("bound_deep_in_tree.hsav", _with(payload, tree={"version": 1, "head": 0,
                                                          "nodes": _nested(45)}))
    save("bound_deep_in_notebook.hsav", _with(payload, notebook={"x": _nested(200)}))
    save("bound_many_small_strings.hsav", _with(payload, notebook={"x": ["ab"] * 3_500_000}))
    save("bound_wide_tree.hsav", _with(payload, tree={"version": 1, "head": 0, "nodes": [
        [i, None, None, 0, "", "", ["=", {}]] for i in range(50_000)]}))
    str32 = b"\x81" + msgpack.packb("arg") + b"\xdb" + struct.pack(">I", 2**31) + b"a" * 64
    out["bound_str_length_lie.hsav"] = frame(header, str32)
    arr32 = b"\xdd" + struct.pack(">I", 2**31) + b"\x90" * 10
    out["bound_array_length_lie.hsav"] = frame(header, arr32)
    out["bound_ext_type.hsav"] = frame(header, b"\x81\xa4seed\xd4\x01\x00")
    out["bound_int_keys.hsav"] = frame(header, b"\x81\x01\x02")

    # container and header (already held; kept so they stay held)
    good = frame(header, msgpack.packb(payload, use_bin_type=True))
    out["container_bad_magic.hsav"] = b"HSAX" + good[4:]
    out["container_truncated.hsav"] = good[: len(good) // 2]
    out["container_flipped_bit.hsav"] = good[:40] + bytes([good[40] ^ 1]) + good[41:]
    out["container_newer.hsav"] = frame(header, b"\x80", container=9)
    out["header_newer_format.hsav"] = frame(header, b"\x80", fmt=99)
    out["header_deep.hsav"] = frame({**header, "summary": _nested(100)}, b"\x80")
    out["header_size_lie.hsav"] = frame(header, b"\x80")[:-32]
    lie = dict(header)
    lie["thumbnail"] = b"GIF89a"
    out["header_thumbnail_not_png.hsav"] = frame(lie, b"\x80")
    out["payload_uncompressed_bomb.hsav"] = frame(header, b"\x90" * 1000, compress=False)
    return out


def write_all(folder: Path = OUT) -> list[str]:
    header, payload = _base()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.hsav"):
        old.unlink()
    made = cases(header, payload)
    for name, data in sorted(made.items()):
        (folder / name).write_bytes(data)
    # earlier formats of a real game save, for the migration tests
    old = {k: v for k, v in payload.items() if k not in ("story_zlib", "story_size")}
    v1 = {**header, "scenario": header["scenario_id"], "thumbnail": None}
    del v1["scenario_id"]
    fixtures = folder.parent
    (fixtures / "game_v1.hsav").write_bytes(
        frame(v1, msgpack.packb({**old, "story": "tutorial", "llm_record": []}), fmt=1))
    (fixtures / "game_v2.hsav").write_bytes(frame(
        {**header, "thumbnail": None},
        msgpack.packb({**old, "story": "/home/someone/hindsight/story/tutorial.toml",
                       "llm_record": []}), fmt=2))
    return sorted(made)


if __name__ == "__main__":
    names = write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {len(names)} hostile saves")
