"""After a skip the player reads what reached them, day by day, all of it: never the
town's secrets, never their own inner voice, and a death ends the skip on its own screen."""

from __future__ import annotations

import io
import re
from pathlib import Path

from game.session import Command, GameSession
from game.textplay import TextGame

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "story" / "tutorial.toml"
MAIN = ROOT / "story" / "main.toml"
INNER_VOICE = ("My plan for today", "on my mind", "What matters most", "I talked with",
               "I heard", "resolves", "completed:", "gives up")


def started(story: Path) -> GameSession:
    s = GameSession(story)
    s.start()
    return s


def test_a_long_skip_reads_day_by_day_and_leaves_nothing_out() -> None:
    s = started(MAIN)
    # an evening at the Lantern first, where talk is to be overheard (gossip goes stale in
    # hours, so four days at home and at the desk may bring no clue at all)
    s.do(Command("skip", topic="until", arg="1 18:30"))
    s.do(Command("go", target="tavern"))
    before = set(s.notebook.clues)
    s.do(Command("skip", topic="days", minutes=4))
    days = s.digest()
    assert [d.day for d in days] == [1, 2, 3, 4, 5]  # every day, none cut off
    text = "\n".join(line.text for d in days for line in d.lines)
    for fragment in INNER_VOICE:
        assert fragment not in text, fragment
    new = [c for c in s.notebook.clues if c not in before]
    assert new
    for cid in new:
        assert f"clue {s.clue_number(cid)}" in text, cid
    told = [n for n in s.me.memory.nodes if n.kind == "conversation"
            and any(f in s.world.facts and not f.startswith("news:") for f in n.tags)]
    for node in told:
        who = s.world.agents[node.subject].name
        assert f"{who} told you" in text, node.text
    assert len(text.splitlines()) > 12  # the old summary showed at most 8 lines


def test_the_digest_never_shows_what_the_player_could_not_see() -> None:
    s = started(MAIN)
    s.do(Command("skip", topic="until", arg="5 12:00"))  # Silas takes the nightshade at 09:05
    text = "\n".join(line.text for d in s.digest() for line in d.lines)
    assert "nightshade" not in text  # she was at her desk, not at Marta's
    assert any(e.kind == "take" and e.actor == "silas" for e in s.world.log.events)


def test_a_death_during_a_skip_ends_it_on_a_screen_of_its_own() -> None:
    s = started(TUTORIAL)
    out = io.StringIO()
    TextGame(s, out).run(["skip end"])
    printed = out.getvalue()
    assert s.status == "dead"
    death = s.rules.state["murders"][0]["t"]
    assert s.now < death + 60 < s.loop_end  # the skip stopped at the death, not the loop end
    digest, _, after = printed.partition("--- What reached you ---")[2].partition("YOU DIED")
    assert after, printed[-800:]
    assert digest.strip().splitlines()[-2].strip().endswith(".")  # the digest, then the screen
    assert "Rewind" in after


def test_the_whole_loop_is_one_command_away() -> None:
    s = started(MAIN)
    out = io.StringIO()
    game = TextGame(s, out)
    game.run(["skip morning", "wait 30", "skip hours 3", "chronicle"])
    chronicle = out.getvalue().rpartition("--- Loop 1, as it reached you ---")[2]
    assert "Day 1 (Mon 5 Oct)" in chronicle and "Day 2 (Tue 6 Oct)" in chronicle
    first_skip = out.getvalue().partition("--- What reached you ---")[2].partition("---")[0]
    dated = [line for line in first_skip.splitlines() if re.match(r"^    \d\d:\d\d ", line)]
    assert dated
    for line in dated:
        assert line in chronicle, line
