"""Shipped stories validate; broken stories are reported at the right line and path.

Each file in tests/broken_stories/ breaks one thing on purpose. The table below
says where the loader must point (line, dotted path) and what it must say, so a
writer running `hindsight validate` is sent to the exact spot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario.feasibility import BEDTIME_CLAMPED, KILLER_STAYS_UP
from game.scenario.loader import LoadResult, load_story, load_story_text

ROOT = Path(__file__).resolve().parents[1]
STORIES = sorted((ROOT / "story").glob("*.toml"))
BROKEN = ROOT / "tests" / "broken_stories"

# filename -> (line, dotted path, message fragment) of the first error reported.
EXPECTED: dict[str, tuple[int, str, str]] = {
    "affinity_out_of_range": (50, "characters[1].relationships.vic.affinity",
                              "greater than or equal to -1"),
    "bad_condition_status": (82, "clues[0].when.status", "got 'sleeping'"),
    "bad_day_name": (58, "characters[2].routine[0].days[0]", "got 'funday'"),
    "bad_hours": (21, "locations[1].hours[0]", "expected opening hours like"),
    "bad_id": (24, "locations[2].id", "expected an id"),
    "bad_step_kind": (74, "plots[0].steps[0].kind", "got 'steal'"),
    "bad_time": (48, "characters[1].routine[0].end", "got '25:00'"),
    "duplicate_character": (53, "characters[2].id", "duplicate character id 'kay'"),
    "duplicate_location": (24, "locations[2].id", "duplicate location id 'shop'"),
    "item_location_and_holder": (30, "items[0]", "a location or a holder, not both"),
    "loop_days_too_long": (6, "scenario.loop_days", "less than or equal to 28"),
    "means_held_by_outsider": (71, "plots[0].means", "can ever be obtained"),
    "missing_persona": (42, "characters[1].persona", "required field is missing"),
    "missing_title": (2, "scenario.title", "required field is missing"),
    "no_act_step": (73, "plots[0].steps", "no 'act' step"),
    "no_plots": (7, "scenario.player", "no possible murderer"),
    "routine_ends_before_start": (48, "characters[1].routine[0].end", "before it starts"),
    "routine_outside_hours": (48, "characters[1].routine[0]", "outside its opening hours"),
    "toml_duplicate_key": (26, "(file)", "invalid TOML"),
    "toml_syntax": (19, "(file)", "invalid TOML"),
    "unknown_condition_fact": (82, "clues[0].when", "unknown fact id 'rumour'"),
    "unknown_condition_key": (82, "clues[0].when", "expected a condition"),
    "unknown_condition_plot": (82, "clues[0].when", "unknown plot id 'lou_plot'"),
    "unknown_field": (34, "items[0].colour", "unknown field"),
    "unknown_home": (46, "characters[1].home", "unknown location id 'cave'"),
    "unknown_incriminates": (65, "facts[0].incriminates[1]", "unknown character id 'nobody'"),
    "unknown_law": (8, "scenario.law[0]", "unknown character id 'sheriff'"),
    "unknown_means": (71, "plots[0].means[0]", "unknown item id 'axe'"),
    "unknown_plot_owner": (69, "plots[0].owner", "unknown character id 'kat'"),
    "unknown_relationship": (50, "characters[1].relationships.vick",
                             "unknown character id 'vick'"),
    "unknown_routine_location": (48, "characters[1].routine[0].location",
                                 "unknown location id 'mall'"),
    "unreachable_location": (24, "locations[2].id", "unreachable from the player's home"),
    "wrong_type_loop_days": (6, "scenario.loop_days", "valid integer"),
    "wrong_type_pos": (20, "locations[1].pos", "valid tuple"),
    "condition_two_keys": (71, "plots[0].trigger", "a condition takes exactly one key"),
    "unreachable_weapon_once": (70, "plots[0].means", "can ever be obtained"),
    "impossible_start_date": (7, "scenario.start_date", "expected a real date"),
    "year_zero": (7, "scenario.start_date", "got '0000-01-01'"),
    "huge_seed": (7, "scenario.seed", "less than or equal to 9223372036854775807"),
    "markup_in_kind": (27, "locations[2].kind", "got '[/x]'"),
    "unknown_key_item": (28, "locations[2].key", "unknown item id 'den_key'"),
    "bad_after_hours": (22, "locations[1].after_hours", "got 'everyone'"),
    "long_dotted_header": (29, "(file)", "a key of 300 dotted parts: at most 32"),
}

# Silent failures: the story validates, but a plan in it can never run. The first warning.
WARNINGS: dict[str, tuple[int, str, str]] = {
    "sleep_after_midnight": (46, "characters[1].sleep", "bedtime 01:30 is after midnight"),
    "act_window_closed": (77, "plots[0].steps", "never finds the victim somewhere the plotter"),
    "trigger_never_holds": (72, "plots[0].trigger", "can never hold in a 2-day loop"),
    "plotter_asleep": (72, "plots[0].steps", "Kay is asleep (bedtime 22:00, up at 07:00) for "
                       "the whole act window 22:30-04:00"),
}

# Stories that were wrongly rejected, and must validate without a word.
VALID = {"no_connections", "item_named_with_the"}
if not BEDTIME_CLAMPED:  # the engine honours a bedtime after midnight: nothing to warn about
    del WARNINGS["sleep_after_midnight"]
    VALID.add("sleep_after_midnight")
if KILLER_STAYS_UP:  # the plots keep a killer up for the window: nothing to warn about
    del WARNINGS["plotter_asleep"]
    VALID.add("plotter_asleep")


def test_there_are_shipped_stories() -> None:
    names = {p.stem for p in STORIES}
    assert {"tutorial", "main"} <= names


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_shipped_story_validates(path: Path) -> None:
    result = load_story(path)
    assert result.errors == [], "\n".join(str(e) for e in result.errors)
    assert result.ok


def test_main_story_meets_the_brief() -> None:
    story = load_story(ROOT / "story" / "main.toml").story
    assert story is not None
    assert story.scenario.loop_days == 14
    assert len(story.characters) >= 8 and len(story.locations) >= 10
    owners = {p.owner for p in story.plots} | {a for p in story.plots for a in p.accomplices}
    assert len(owners) >= 2
    findable = len(story.clues) + sum(1 for f in story.facts if f.evidence)
    assert findable >= 15
    assert len(story.endings) >= 3 and any(e.true_ending for e in story.endings)


def test_corpus_is_complete() -> None:
    files = {p.stem for p in BROKEN.glob("*.toml")}
    assert len(files) >= 20
    expected = set(EXPECTED) | set(WARNINGS) | VALID
    assert files == expected, files ^ expected


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_silent_failure_is_a_warning_at_its_line(name: str) -> None:
    line, path, fragment = WARNINGS[name]
    result = load_story(BROKEN / f"{name}.toml")
    assert result.ok, [str(e) for e in result.errors]
    plans = [w for w in result.warnings if "(allowed: they work or live there)" not in w.message]
    first = plans[0]
    assert (first.line, first.dotted) == (line, path), str(first)
    assert fragment in first.message, str(first)


@pytest.mark.parametrize("name", sorted(VALID))
def test_wrongly_rejected_story_now_validates(name: str) -> None:
    result = load_story(BROKEN / f"{name}.toml")
    assert result.ok and result.errors == [] and result.warnings == [], \
        [str(p) for p in result.errors + result.warnings]


def test_a_missing_cause_is_reported_once() -> None:
    result = load_story(BROKEN / "unreachable_weapon_once.toml")
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    assert not any("no possible murderer" in e.message for e in result.errors)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_story_is_reported_at_its_line(name: str) -> None:
    line, path, fragment = EXPECTED[name]
    result = load_story(BROKEN / f"{name}.toml")
    assert not result.ok
    first = result.errors[0]
    assert (first.line, first.dotted) == (line, path), str(first)
    assert fragment in first.message, str(first)
    assert str(first).startswith(f"{BROKEN / name}.toml:{line}: error: {path}: ")


def test_every_error_in_a_file_is_reported_at_once() -> None:
    text = (BROKEN / "unknown_home.toml").read_text()
    text = text.replace('location = "shop", activity = "shopping"',
                        'location = "mall", activity = "shopping"')
    text = text.replace('law = ["lou"]', 'law = ["sheriff"]')
    text = text.replace('owner = "kay"', 'owner = "kat"')
    result = load_story_text(text, "many.toml")
    found = {(e.line, e.dotted) for e in result.errors}
    assert {(46, "characters[1].home"), (48, "characters[1].routine[0].location"),
            (8, "scenario.law[0]"), (69, "plots[0].owner")} <= found


def test_several_shape_errors_are_reported_at_once() -> None:
    text = (BROKEN / "missing_title.toml").read_text()
    text = text.replace("loop_days = 2", 'loop_days = "two"').replace(
        'pos = [300, 200]', 'pos = "here"')
    result = load_story_text(text, "shapes.toml")
    found = {(e.line, e.dotted) for e in result.errors}
    assert {(2, "scenario.title"), (5, "scenario.loop_days"), (19, "locations[1].pos")} <= found


def test_warnings_are_kept_apart_from_errors() -> None:
    text = (BROKEN / "missing_title.toml").read_text().replace(
        "[scenario]\n", '[scenario]\ntitle = "T"\n')
    text = text.replace('persona = "The law."\nhome = "hall"\nroutine = [\n'
                        '  { days = ["daily"], start = "09:00", end = "10:00", location = "hall",'
                        ' activity = "filing" },\n]\n', 'persona = "The law."\nhome = "hall"\n')
    text = text.replace('home = "den"\n', 'home = "den"\nsleep = "23:30"\n')  # awake to act
    result = load_story_text(text, "warn.toml")
    assert result.errors == []
    assert [w.dotted for w in result.warnings] == ["characters[2].routine"]
    assert result.warnings[0].severity == "warning"


TUTORIAL = (ROOT / "story" / "tutorial.toml").read_text()
TUTORIAL_LINES = TUTORIAL.splitlines(keepends=True)
TOKENS = ["[", "]", "{", "}", "=", '"', "'", ",", "#", "\n", "[[", "]]", '"""', "0", "-1",
          "true", "x", "player", "odile", "act", "24:00", "99:99", "", " "]


@st.composite
def mutated_tutorial(draw: st.DrawFn) -> str:
    lines = list(TUTORIAL_LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "replace", "char", "truncate"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "replace" and lines[i].strip():
            words = lines[i].split(" ")
            j = draw(st.integers(0, len(words) - 1))
            words[j] = draw(st.sampled_from(TOKENS))
            lines[i] = " ".join(words)
        elif kind == "char" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            ch = draw(st.characters(codec="utf-8"))
            lines[i] = lines[i][:j] + ch + lines[i][j + 1:]
        elif kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = text[:cut].splitlines(keepends=True)
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tutorial())
def test_mutations_never_crash_the_loader(text: str) -> None:
    result = load_story_text(text, "mutant.toml")
    assert isinstance(result, LoadResult)
    assert result.ok or result.errors
    n_lines = text.count("\n") + 1
    for problem in result.errors + result.warnings:
        assert problem.line is None or 1 <= problem.line <= n_lines, str(problem)
        assert problem.message


def _murder(commands) -> tuple[str, int] | None:
    from game.session import GameSession

    s = GameSession(ROOT / "story" / "main.toml")
    s.start()
    commands(s)
    if s.status == "playing":
        s.skip("end")
    murders = s.rules.state["murders"]
    return (murders[0]["killer"], murders[0]["t"]) if murders else None


def _day_time(s, day: int, hhmm: str) -> int:
    h, m = (int(x) for x in hhmm.split(":"))
    return (s.rules.state["loop_start"] // 1440 + day - 1) * 1440 + h * 60 + m


def test_main_story_strategies_lead_to_different_fates() -> None:
    from game.session import Command

    def nothing(s) -> None:
        return None

    def inform_on_silas(s, both: bool = False) -> None:
        if both:  # Tobiah, who sees the towpath at dawn, keeps it to himself till asked
            s.skip("until", _day_time(s, 5, "08:00"))
            s.do(Command("go", target="lock"))
            s.do(Command("ask", target="tobiah", topic="person", arg="doreen"))
        s.skip("until", _day_time(s, 5, "11:30"))
        s.do(Command("go", target="tavern"))
        s.do(Command("ask", target="rosa", topic="person", arg="silas"))
        s.do(Command("go", target="constabulary"))
        s.do(Command("wait", minutes=65))
        s.do(Command("tell", target="agnes", arg="silas_debts"))
        if both:
            s.do(Command("tell", target="agnes", arg="doreen_before_dawn"))

    def tip_off_silas(s) -> None:
        s.skip("until", _day_time(s, 2, "12:40"))
        s.do(Command("tell", target="silas", arg="audit_letter"))

    default = _murder(nothing)
    informed = _murder(inform_on_silas)
    early = _murder(tip_off_silas)
    both = _murder(lambda s: inform_on_silas(s, both=True))
    assert default is not None and default[0] == "silas"
    assert 3 * 1440 <= default[1] <= 10 * 1440
    assert informed is not None and informed[0] == "doreen"
    assert early is not None and early[0] == "silas" and early[1] < default[1]
    # One constable follows one suspect: told of both, Agnes follows the last named, and in a
    # discreet town no gossip tells Silas he is suspected, so he still acts (sooner than
    # when nobody informs, since the constable's eye is on Doreen).
    assert both is not None and both[0] == "silas" and both != default
