"""Replay and --verify on the committed example timelines, and on tampered copies."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.records.replay import ReplayError, replay_save
from game.records.savefile import read_save, write_save
from game.records.saving import save_session
from game.session import Command, GameSession

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "saves").glob("*.hsav"))


def test_there_are_examples_with_a_branch() -> None:
    assert EXAMPLES, "saves/ holds no example timelines"
    branched = 0
    for path in EXAMPLES:
        _, payload = read_save(path)
        parents = [n[1] for n in payload["tree"]["nodes"]]
        if len(parents) != len(set(parents)):
            branched += 1
    assert branched >= 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_verify(path: Path) -> None:
    try:
        result = replay_save(path, verify=True)
    except ReplayError as exc:
        pytest.fail(f"{exc}\nIf a story was edited on purpose, regenerate the examples: "
                    "python -m game.records.examples saves/")
    assert result.ok, result.describe()
    _, payload = read_save(path)
    assert result.nodes_checked == len(payload["tree"]["nodes"]) > 1
    assert result.final_digest == payload["tree"]["nodes"][-1][5]
    assert "OK" in result.describe()


def _rewrite(src: Path, dst: Path, change) -> None:
    header, payload = read_save(src)
    change(payload)
    fields = header.model_dump(exclude={"payload_size", "payload_compressed"})
    write_save(dst, fields, payload)


def test_tampered_history_is_detected_by_replay(tmp_path: Path) -> None:
    src = ROOT / "saves" / "tutorial.hsav"
    dst = tmp_path / "tampered.hsav"

    def change(payload):
        last = payload["history"][-1]
        assert last["verb"] == "skip"
        last["minutes"] += 1  # still a valid command, but a different timeline

    _rewrite(src, dst, change)
    read_save(dst)  # the checksum is valid: replay must catch it
    result = replay_save(dst, verify=True)
    assert not result.ok
    assert result.divergences[0].startswith("node 7: saved digest")
    assert len(result.divergences) == 1
    assert "DIVERGED" in result.describe()


def test_impossible_command_is_a_divergence_not_a_crash(tmp_path: Path) -> None:
    dst = tmp_path / "bad.hsav"

    def change(payload):
        payload["history"].insert(0, {"verb": "go", "target": "nowhere", "topic": "",
                                      "arg": "", "minutes": 0, "extra": []})

    _rewrite(ROOT / "saves" / "tutorial.hsav", dst, change)
    result = replay_save(dst, verify=False)
    assert not result.ok
    assert "history entry 0 (go) failed: there is no place called" in result.divergences[0]


def test_bit_flip_is_a_clear_one_line_error(tmp_path: Path) -> None:
    dst = tmp_path / "flipped.hsav"
    data = bytearray((ROOT / "saves" / "tutorial.hsav").read_bytes())
    data[len(data) // 2] ^= 0x10
    dst.write_bytes(bytes(data))
    with pytest.raises(ReplayError) as info:
        replay_save(dst, verify=True)
    msg = str(info.value)
    assert "checksum mismatch" in msg and "\n" not in msg


def test_a_save_needs_no_story_file(tmp_path: Path) -> None:
    """A save carries its story: editing, moving or deleting the story file changes nothing."""
    story = tmp_path / "custom.toml"
    text = (ROOT / "story" / "tutorial.toml").read_text(encoding="utf-8")
    story.write_text(text + "\n# a custom story\n", encoding="utf-8")
    session = GameSession(str(story))
    session.start()
    session.do(Command("search"))
    save_session(session, tmp_path / "custom.hsav")
    story.write_text(text + "\n# edited after the save\n", encoding="utf-8")
    edited = replay_save(tmp_path / "custom.hsav", verify=True)
    story.unlink()
    gone = replay_save(tmp_path / "custom.hsav", verify=True)
    assert edited.ok and gone.ok and gone.final_digest == session.world.log.digest


def test_cli_replay_verify(tmp_path: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "game", "replay", "saves/tutorial.hsav",
                         "--verify"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "OK" in ok.stdout
    bad = tmp_path / "t.hsav"
    shutil.copy(ROOT / "saves" / "tutorial.hsav", bad)
    _rewrite(bad, bad, lambda p: p["history"][1].update(minutes=p["history"][1]["minutes"] + 1)
             if p["history"][1]["verb"] == "skip" else p["history"].pop())
    fail = subprocess.run([sys.executable, "-m", "game", "replay", str(bad), "--verify"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert fail.returncode == 1
    junk = tmp_path / "junk.hsav"
    junk.write_bytes(b"not a save at all")
    err = subprocess.run([sys.executable, "-m", "game", "replay", str(junk)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert err.returncode == 1
    assert "not a Hindsight save" in err.stderr and "Traceback" not in err.stderr
