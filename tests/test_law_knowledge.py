"""The world reacts to what people know, not to who told them: the law watches on gossip
as on the player's word, and a plotter who learns the law suspects them changes course."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from game.mystery.law import weight
from game.session import Command, GameSession
from tests.stories import MAIN, ROOT, TUTORIAL, started


def talkative(tmp_path: Path) -> Path:
    """The tutorial with news that has real pull, as a discreet town needs before it talks:
    Odile's questions are no secret and weigh heavy, and Corin is Bram's old friend. Nobody
    is told to tell anyone anything."""
    text = TUTORIAL.read_text()
    loose = (text.replace('importance = 7\nabout = ["odile"]\nknown_by = ["corin"]\nsecret = true',
                          'importance = 9\nabout = ["odile"]\nknown_by = ["corin"]')
             .replace('bram = { affinity = 0.2, label = "the law" }',
                      'bram = { affinity = 0.8, label = "old friend" }'))
    assert loose.count("importance = 9") == text.count("importance = 9") + 1
    assert "old friend" in loose and loose.count("secret = true") == text.count("secret = true") - 1
    story = tmp_path / "talkative.toml"
    story.write_text(loose)
    return story


def _murder(s: GameSession) -> tuple[int, str] | None:
    if s.status == "playing":
        s.skip("end")
    m = s.rules.state["murders"]
    return (m[0]["t"], m[0]["killer"]) if m else None


def test_a_witness_gossiping_to_the_constable_sets_a_watch() -> None:
    """Corin, who was asked Odile's questions himself, tells Bram in passing: the player
    says and does nothing, and Bram starts watching Odile all the same."""
    s = started(TUTORIAL)
    w = s.world
    assert not s.rules.is_watched(w, "odile")
    w.learn_fact(w.agents["bram"], "asked_hours", "corin")  # what a talk between them does
    s.do(Command("wait", minutes=10))
    assert s.rules.is_watched(w, "odile")
    watch = [e for e in w.log.events if e.kind == "watch"]
    assert watch and watch[0].actor == "bram" and watch[0].data["suspect"] == "odile"
    assert not [e for e in w.log.events if e.kind.startswith("player_tell")]


def test_the_law_reacts_to_gossip_in_a_real_run(tmp_path: Path) -> None:
    """Nobody tells the harbourmaster anything on purpose, yet once the news has pull what
    reaches him by gossip (told or overheard) is enough to watch Odile in most runs, and she
    is questioned. (In the tutorial as written, Corin keeps her questions to himself.)"""
    story = talkative(tmp_path)
    watched = 0
    for seed in range(4):
        s = started(story, seed=seed)
        s.skip("end")
        events = s.world.log.events
        assert not [e for e in events if e.kind in ("player_tell", "player_warn")]
        for e in events:
            if e.kind == "watch":
                assert e.actor == "bram" and e.data["suspect"] == "odile"
                assert weight(s.world, s.rules, "bram", "odile") >= 2
                watched += 1
        if any(e.kind == "watch" for e in events):
            assert any(e.kind == "question" for e in events)
    assert watched >= 3


def test_one_overheard_rumour_is_not_enough_but_two_are() -> None:
    s = started(MAIN)
    w = s.world
    agnes = w.agents["agnes"]
    w.learn_fact(agnes, "doreen_before_dawn", "overheard:otto")
    s.do(Command("wait", minutes=10))
    assert not s.rules.is_watched(w, "doreen")
    w.learn_fact(agnes, "doreen_bequest", "overheard:pim")
    s.do(Command("wait", minutes=10))
    assert s.rules.is_watched(w, "doreen")


def test_the_same_account_from_the_player_or_a_townsman_weighs_the_same() -> None:
    a, b = started(MAIN), started(MAIN)
    a.world.learn_fact(a.world.agents["agnes"], "silas_debts", "rosa")
    b.world.learn_fact(b.world.agents["agnes"], "silas_debts", "ines")
    b.world.learn_fact(b.world.agents["ines"], "silas_debts", "rosa")
    a.world.learn_fact(a.world.agents["ines"], "silas_debts", "rosa")
    assert weight(a.world, a.rules, "agnes", "silas") == 2  # a witness told her
    assert weight(b.world, b.rules, "agnes", "silas") == 2  # told by one who had it from one


def test_a_warning_alone_does_not_set_a_watch() -> None:
    s = started(TUTORIAL)
    s.do(Command("go", target="harbour"))
    s.do(Command("wait", minutes=70))
    out = s.do(Command("warn", target="bram", arg="odile"))
    assert not s.rules.is_watched(s.world, "odile")
    assert any("not a reason" in line for line in out.lines)


def test_a_plotter_who_hears_they_are_suspected_lies_low() -> None:
    """Word reaches Odile, by gossip, that the law has its eye on her: she waits a day, so
    the murder does not fall on the night it would have."""
    default = _murder(started(TUTORIAL))
    assert default is not None
    s = started(TUTORIAL)
    w = s.world
    s.do(Command("wait", minutes=30))
    w.learn_fact(w.agents["odile"], "news:watched:odile", "tess")
    s.do(Command("wait", minutes=60))
    low = [e for e in w.log.events if e.kind == "plot" and e.data.get("stage") == "lying_low"]
    assert low and low[0].actor == "odile"
    assert "her" in low[0].data["text"] and "them" not in low[0].data["text"]
    assert not [i for i in w.agents["odile"].intentions if i.get("plot")]
    late = _murder(s)
    assert late is None or late[0] > default[0] + 12 * 60, (default, late)


def test_a_plotter_who_knows_the_law_is_watching_gives_up() -> None:
    s = started(TUTORIAL)
    w = s.world
    w.learn_fact(w.agents["bram"], "tonic_death", "wren")  # Wren saw it: a witness's word
    s.do(Command("wait", minutes=10))
    assert s.rules.is_watched(w, "odile")
    s.skip("until", w.now + 12 * 60)
    assert s.rules.plot_state("odile_plot")["status"] == "abandoned"
    assert "knows the law" in s.rules.plot_state("odile_plot")["reason"]
    assert "news:watched:odile" in w.agents["odile"].known_facts
    assert [e for e in w.log.events if e.kind == "question"]


def test_simulate_json_has_facts_relationships_and_presence(tmp_path: Path) -> None:
    story = talkative(tmp_path)
    run = subprocess.run([sys.executable, "-m", "game", "simulate", str(story), "--days",
                          "2", "--json"], capture_output=True, text=True, cwd=ROOT, check=True)
    data = json.loads(run.stdout)
    s = started(story)
    w = s.world
    assert set(data["facts"]) >= set(f for f in w.facts if not f.startswith("news:"))
    corin = data["facts"]["asked_hours"]["known_by"]
    assert corin["corin"] is None  # known from the start
    later = [t for who, t in corin.items() if who != "corin"]
    assert all(t is None or isinstance(t, int) for t in later)
    learned = [(f, who, t) for f, fact in data["facts"].items()
               for who, t in fact["known_by"].items() if isinstance(t, int)]
    assert learned
    s.skip("end")  # the same run in process: the json tells who came to know what, and when
    # (the session stops at the victim's death; simulate goes on to the days asked for)
    before_the_end = [(f, who, t) for f, who, t in learned if t <= s.world.now]
    assert before_the_end
    for f, who, t in before_the_end:
        assert s.world.agents[who].known_facts[f][0] == t
    start = data["relationships"]["start"]
    assert {"a": "odile", "b": "wren", "affinity": -0.6, "label": "the woman who knows"} \
        in start
    assert all(set(r) == {"a", "b", "affinity", "label"} for r in data["relationships"]["end"])
    presence = data["presence"]
    assert presence and all(set(p) == {"agent", "location", "from", "to"} for p in presence)
    assert all(p["from"] < p["to"] and p["location"] in w.locations for p in presence)
    assert {p["agent"] for p in presence} == set(w.agents)
    assert any(step["how"] == "told" for t in data["travels"] for step in t["steps"])


def test_the_text_chronicle_tells_how_news_travelled(tmp_path: Path) -> None:
    """In a run where a talk was overheard, the chronicle tells who told whom and who
    overheard it."""
    story = talkative(tmp_path)
    seeds = []
    for seed in range(10):
        s = started(story, seed=seed)
        s.skip("end")
        if [e for e in s.world.log.events if e.kind == "overheard"]:
            seeds.append(seed)
    assert seeds  # about half the runs have one
    run = subprocess.run([sys.executable, "-m", "game", "simulate", str(story), "--days",
                          "2", "--seed", str(seeds[0])],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert "How news travelled" in run.stdout
    section = run.stdout.split("How news travelled")[1].split("plots:")[0]
    assert "known from the start by" in section
    assert "Corin Lusk told" in section
    assert "overheard it from" in section
    assert "_" not in section


def test_the_watched_news_is_the_fact_the_law_speaks_of() -> None:
    from game.mystery.law import watched_fact
    from game.mystery.news import news_id

    assert watched_fact("odile") == news_id("watched", "odile")
    s = started(TUTORIAL)
    assert watched_fact("odile") in s.world.facts


def test_a_suspected_plotter_may_change_target(tmp_path: Path) -> None:
    """A story can say what a plotter does once they know they are suspected: here Odile,
    questioned, drops Wren and, when the watch is over, goes after the fisherman who talks."""
    text = TUTORIAL.read_text().replace("loop_days = 2", "loop_days = 4")
    text += '''
[[plots]]
id = "odile_silences_corin"
owner = "odile"
victim = "corin"
motive = "Someone talked to the harbourmaster. Corin talks to everyone."
trigger = { all = [ { suspected = "odile" }, { not = { watched = "odile" } } ] }
means = ["foxglove"]
steps = [
  { kind = "acquire", item = "foxglove" },
  { kind = "act", after = "22:30", before = "04:00" },
]
'''
    story = tmp_path / "turned.toml"
    story.write_text(text)
    s = started(story)
    w = s.world
    w.learn_fact(w.agents["bram"], "tonic_death", "wren")  # a witness's word reaches the law
    s.do(Command("wait", minutes=10))
    s.skip("until", w.now + 12 * 60)
    assert s.rules.plot_state("odile_plot")["status"] == "abandoned"
    assert s.rules.plot_state("odile_silences_corin")["status"] == "dormant"  # still watched
    s.skip("end")
    turned = s.rules.plot_state("odile_silences_corin")
    assert turned["status"] in ("active", "done"), turned
    murders = s.rules.state["murders"]
    assert murders and murders[0]["victim"] == "corin" and murders[0]["killer"] == "odile"


def test_validate_knows_the_suspected_condition() -> None:
    from game.scenario.loader import load_story_text

    text = TUTORIAL.read_text().replace('motive_holds = { alive = "wren" }',
                                        'motive_holds = { not = { suspected = "nobody" } }')
    result = load_story_text(text, "bad.toml")
    assert not result.ok
    assert any("nobody" in p.message for p in result.errors)


def test_what_the_law_knew_from_the_start_is_where_the_story_starts(tmp_path: Path) -> None:
    """Bram has known of the tonic since winter: that alone sets no watch on day 1, but it
    still counts once a rumour of Odile's questions reaches him."""
    text = TUTORIAL.read_text().replace('known_by = ["odile", "wren", "corin"]',
                                        'known_by = ["odile", "wren", "corin", "bram"]')
    story = tmp_path / "known.toml"
    story.write_text(text)
    s = started(story)
    w = s.world
    s.do(Command("wait", minutes=60))
    assert not s.rules.is_watched(w, "odile")
    w.learn_fact(w.agents["bram"], "asked_hours", "overheard:tess")  # a bare rumour
    s.do(Command("wait", minutes=30))
    assert s.rules.is_watched(w, "odile")
