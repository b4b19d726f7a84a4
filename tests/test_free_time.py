"""Free time and own news: people who work apart meet when their routine leaves them free,
outings end in time for what comes next, the player keeps to their routine, nobody drops
in on a party they declined, one's own news never goes stale for oneself, weightier news
stays news longer, a late party is a conflict for an early sleeper, and company is talked
to more often. Statistical rules count over seeds."""

from __future__ import annotations

from typing import Any

from game.engine import World
from game.engine.acting import COMPANY_STAY_MINUTES, allowed_actions
from game.engine.actions import LONGEST_STAY_MINUTES, STAY
from game.engine.clock import MINUTES_PER_DAY
from game.engine.gatherings import attend_chance
from game.engine.model import PlanBlock
from game.engine.outings import AT_HOME, OUTING_ACTIVITY, with_outings
from game.engine.social import RETELL_DAMPING, freshness
from game.minds.scripted import ScriptedMind
from tests.towns import H, person, town

DAY = MINUTES_PER_DAY
FREE = ("inn", "green", "well")


def _apart(**extra: Any) -> dict[str, Any]:
    """Ann works at the forge in the morning, Ben at the mill in the afternoon: their
    routines never bring them together, and both have evenings free. Nobody knows anyone."""
    agents = [person("ann", [(8 * H, 12 * H, "forge", "at the anvil")]),
              person("ben", [(13 * H, 17 * H, "mill", "milling")]),
              person("cal", [(18 * H, 21 * H, "inn", "serving")])]
    return town(agents, ["forge", "mill", *FREE], **extra)


def _met(world: World, a: str, b: str) -> bool:
    return b in world.agents[a].relationships or a in world.agents[b].relationships


def test_people_who_work_apart_meet_in_their_free_time() -> None:
    met = sum(_met(_run(_apart(), seed, 3), "ann", "ben") for seed in range(12))
    assert met >= 6, met
    kept_home = sum(_met(_run(_apart(outings=False), seed, 3), "ann", "ben")
                    for seed in range(12))
    assert kept_home == 0


def _run(spec: dict[str, Any], seed: int, days: int) -> World:
    world = World(spec, seed=seed, mind=ScriptedMind())
    world.run_until(days * DAY)
    return world


def test_company_draws_outings_and_friends_draw_more() -> None:
    """Cal serves at the inn every evening: an outing goes there far more often than to the
    green or the well, where nobody is expected."""
    places: dict[str, int] = {}
    for seed in range(20):
        world = World(_apart(), seed=seed, mind=ScriptedMind())
        for day in range(3):
            base = day * DAY  # Ann at the forge till five, then free while Cal serves
            plan = [PlanBlock(base + 7 * H, base + 17 * H, "forge", "at the anvil"),
                    PlanBlock(base + 17 * H, base + 22 * H, "h_ann", AT_HOME)]
            for block in with_outings(world, world.agents["ann"], day, plan):
                if block.activity == OUTING_ACTIVITY:
                    places[block.location] = places.get(block.location, 0) + 1
    assert places.get("inn", 0) > places.get("green", 0) + places.get("well", 0), places


def _free_evening(day: int) -> list[PlanBlock]:
    base = day * DAY
    return [PlanBlock(base + 7 * H, base + 8 * H, "h_ann", AT_HOME),
            PlanBlock(base + 8 * H, base + 12 * H, "forge", "at the anvil"),
            PlanBlock(base + 12 * H, base + 22 * H, "h_ann", AT_HOME),
            PlanBlock(base + 22 * H, base + DAY + 7 * H, "h_ann", "sleep")]


def test_planning_a_day_again_gives_the_same_outings() -> None:
    world = World(_apart(), seed=4, mind=ScriptedMind())
    ann = world.agents["ann"]
    first = with_outings(world, ann, 1, _free_evening(1))
    world.rng.random()  # the world's stream moves on; an agent's own day stream does not
    assert with_outings(world, ann, 1, _free_evening(1)) == first
    assert any(b.activity == OUTING_ACTIVITY for d in range(4)
               for b in with_outings(world, ann, d, _free_evening(d)))


def test_an_outing_ends_in_time_to_walk_to_what_comes_next() -> None:
    """Ben is due at the mill at 09:00 and the well is 25 minutes from it: wherever his
    morning outing takes him, he leaves it in time to be at the mill by nine."""
    spec = _apart()
    spec["connections"] = [[loc["id"], "forge", 20 if loc["id"] == "well" else 5]
                           for loc in spec["locations"] if loc["id"] != "forge"]
    morning = [PlanBlock(2 * DAY + 7 * H, 2 * DAY + 9 * H, "h_ben", AT_HOME),
               PlanBlock(2 * DAY + 9 * H, 2 * DAY + 17 * H, "mill", "milling")]
    ends: set[int] = set()
    for seed in range(40):
        world = World(spec, seed=seed, mind=ScriptedMind())
        planned = with_outings(world, world.agents["ben"], 2, morning)
        assert planned[-1] == morning[-1]
        for block in planned[:-1]:
            if block.activity == OUTING_ACTIVITY and block.location != "mill":
                walk = world.travel_time(block.location, "mill")
                assert walk is not None and block.end + walk <= morning[1].start, planned
                ends.add(block.end)
    assert len(ends) >= 2  # outings to near and far places, ending at different times


def test_the_player_keeps_to_their_routine() -> None:
    spec = _apart()
    spec["agents"][0]["is_player"] = True
    world = World(spec, seed=1, mind=ScriptedMind())
    for day in range(5):
        assert with_outings(world, world.agents["ann"], day, _free_evening(day)) \
            == _free_evening(day)


def test_nobody_drops_in_on_a_party_they_declined() -> None:
    spec = _apart()
    spec["facts"] = [{"id": "do", "text": "Cal is throwing a party at the inn.", "importance": 6,
                      "about": ["cal"], "known_by": ["ann"],
                      "event": {"place": "inn", "day": 2, "start": 12 * H, "end": 22 * H,
                                "host": "cal"}}]  # day 2 of the story: the plan's day 1
    declined = 0
    for seed in range(30):
        world = World(spec, seed=seed, mind=ScriptedMind())
        ann = world.agents["ann"]
        if any(i.get("event") == "do" for i in ann.intentions):
            continue  # she is going
        declined += 1
        for block in with_outings(world, ann, 1, _free_evening(1)):
            assert not (block.location == "inn" and block.activity == OUTING_ACTIVITY)
    assert declined >= 5


def test_own_news_never_goes_stale_for_its_owner() -> None:
    spec = _apart()
    spec["facts"] = [{"id": "stand", "text": "Ann is standing for the parish council.",
                      "importance": 5, "about": ["ann"], "known_by": ["ann", "ben"],
                      "volunteers": True}]
    world = _run(spec, 1, 2)
    ann, ben = world.agents["ann"], world.agents["ben"]
    told = len(ann.told.get("stand", ()))
    assert freshness(world, ann, "stand") == 1 / (1 + RETELL_DAMPING * told)
    assert freshness(world, ben, "stand") < 0.01  # two days old for Ben: stale


def test_weightier_news_stays_fresh_longer() -> None:
    spec = _apart()
    spec["facts"] = [{"id": f"n{i}", "text": f"news {i}", "importance": i, "known_by": ["cal"]}
                     for i in (2, 5, 9)]
    world = _run(spec, 1, 0)
    world.run_until(world.now + 4 * H)
    cal = world.agents["cal"]
    cal.told.clear()
    fresh = [freshness(world, cal, f"n{i}") for i in (2, 5, 9)]
    assert fresh[0] < fresh[1] < fresh[2] < 1


def test_a_party_past_bedtime_is_a_conflict_for_an_early_sleeper() -> None:
    def chance(sleep: int) -> float:
        spec = _apart()
        spec["agents"][0]["sleep"] = sleep
        spec["facts"] = [{"id": "do", "text": "Cal's party.", "importance": 6,
                          "about": ["cal"], "known_by": ["cal"],
                          "event": {"place": "inn", "day": 1, "start": 19 * H,
                                    "end": 23 * H, "host": "cal"}}]
        world = World(spec, seed=1, mind=ScriptedMind())
        return attend_chance(world, world.agents["ann"], world.facts["do"])
    assert chance(21 * H) < chance(23 * H + 30)


def test_in_company_people_look_up_more_often() -> None:
    world = World(_apart(outings=False), seed=1, mind=ScriptedMind())
    world.run_until(9 * H)
    ann = world.agents["ann"]
    assert ann.location == "forge"

    def stay() -> int:
        return next(a.duration for a in allowed_actions(world, ann) if a.kind == STAY)
    alone = stay()
    world.move_agent(world.agents["cal"], "forge")
    assert stay() == COMPANY_STAY_MINUTES < alone <= LONGEST_STAY_MINUTES
