"""News: how the town comes to know of arrests, accusations and deaths, and reacts.

Each piece of news is a fact like any other (so it spreads by gossip, can be asked about
and told), declared up front by ``add_news_facts`` so that saves, replays and every mind
see the same world. The law announces an arrest where it stands; an accomplice hears of
it at once and is shaken in front of whoever is near; a wrongful accusation reaches the
accused and their friends, who think less of the accuser, and corners a plotter into
acting; whoever comes upon a body knows of the death.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.world import World

from . import plots

if TYPE_CHECKING:
    from .rules import MysteryRules

ANNOUNCE_IMPORTANCE = 8
ACCUSED_IMPORTANCE = 6
REACTION_IMPORTANCE = 5
ALLY_AFFINITY = 0.5  # friends this close hear at once when someone they like is accused
ACCUSED_COST = 0.4  # affinity the accused loses toward an accuser who could not prove it
ALLY_COST = 0.2  # ... and what their friends lose
BODY_IMPORTANCE = 9
WATCHED_IMPORTANCE = 6  # that the law suspects someone is worth passing on


def news_id(kind: str, who: str) -> str:
    """'news:arrested:silas'. The colon keeps these apart from any id a story may use."""
    return f"news:{kind}:{who}"


def add_news_facts(spec: dict[str, Any]) -> None:
    """Declare the news the town may come to know, once, in a world spec."""
    mystery, agents = spec["mystery"], spec["agents"]
    known = {f["id"] for f in spec["facts"]}
    player = next(a for a in agents if a["id"] == mystery["player"])
    accuser = f"The {player['role']}" if player.get("role") else player["name"]
    for a in agents:
        who, name = a["id"], a["name"]
        facts = [(news_id("dead", who), f"{name} has been found dead.", BODY_IMPORTANCE,
                  [who])]
        if who != player["id"]:  # written so that nobody, the law included, names themself
            facts += [(news_id("arrested", who), f"{name} has been arrested.",
                       ANNOUNCE_IMPORTANCE, [who]),
                      (news_id("watched", who), f"The law has its eye on {name}.",
                       WATCHED_IMPORTANCE, [who]),
                      (news_id("accused", who), f"{accuser} accused {name} before the law, "
                       "and could not prove it.", ACCUSED_IMPORTANCE, [who, player["id"]])]
        for fid, text, importance, about in facts:
            if fid not in known:
                spec["facts"].append({"id": fid, "text": text, "importance": importance,
                                      "about": about, "secret": False, "known_by": []})


def _tell(world: World, agent_id: str, fact_id: str, source: str, memory: str,
          importance: int, valence: float = 0.0, subject: str = "") -> None:
    agent = world.agents[agent_id]
    if world.learn_fact(agent, fact_id, source):
        world.add_memory(agent, "conversation", memory, importance, subject=subject,
                         predicate="heard", obj=fact_id, tags=(subject, fact_id, "news"),
                         valence=valence)


def arrested(world: World, rules: MysteryRules, culprit: str, by: str) -> None:
    """The law announces the arrest where it stands; the cabal hears of it at once."""
    fid = news_id("arrested", culprit)
    law = world.agents[by]
    name = world.agents[culprit].name
    here = law.location or ""
    if here:
        world.emit("announce", by, here, {
            "fact": fid, "importance": ANNOUNCE_IMPORTANCE,
            "text": f"{law.name} announced that {name} is under arrest"})
        for agent in world.present(here):
            _tell(world, agent.id, fid, by, f"{law.name} arrested {name}.",
                  ANNOUNCE_IMPORTANCE, subject=culprit)
    for other in rules.law:
        _tell(world, other, fid, by, f"{name} is under arrest.", ANNOUNCE_IMPORTANCE,
              subject=culprit)
    _tell(world, culprit, fid, by, f"{law.name} arrested me.", 10, valence=-1.0,
          subject=culprit)
    for ally in rules.allies_in_crime(culprit):
        agent = world.agents[ally]
        if not agent.alive or ally in rules.state["arrested"]:
            continue
        _tell(world, ally, fid, culprit, f"They have taken {name}. I could be next.", 9,
              valence=-0.9, subject=culprit)
        if agent.location is not None:
            world.emit("reaction", ally, agent.location, {
                "about": culprit, "importance": REACTION_IMPORTANCE, "valence": -0.5,
                "text": f"{agent.name} went pale at the news of {name}'s arrest"})


def accused(world: World, rules: MysteryRules, culprit: str, by: str) -> None:
    """A charge that did not hold: the accused and their friends hear of it and think less
    of the accuser; a plotter who was only waiting is cornered into acting."""
    fid = news_id("accused", culprit)
    player = rules.player
    me = world.agents[player].name
    _tell(world, by, fid, player, f"{me} accused {world.agents[culprit].name}, without "
          "proof.", 6, subject=culprit)
    _tell(world, culprit, fid, by, f"{me} accused me before {world.agents[by].name}.", 9,
          valence=-0.8, subject=player)
    _cool(world, culprit, player, ACCUSED_COST)
    friends = [a.id for a in world.order if a.id not in (culprit, player, by) and a.alive
               and a.affinity(culprit) >= ALLY_AFFINITY]
    for ally in dict.fromkeys([*rules.allies_in_crime(culprit), *friends]):
        _tell(world, ally, fid, culprit, f"{me} accused {world.agents[culprit].name} "
              "before the law.", 7, valence=-0.5, subject=player)
        _cool(world, ally, player, ALLY_COST)
    for plot in rules.spec["plots"]:
        if plot["owner"] == culprit and plot["victim"] == player:
            plots.activate(world, rules, plot, "cornered by an accusation")


def _cool(world: World, who: str, toward: str, by: float) -> None:
    rel = world.agents[who].relationships.get(toward)
    if rel is not None:
        rel.affinity = max(-1.0, rel.affinity - by)


def bodies_found(world: World, rules: MysteryRules, finder: str, location: str) -> None:
    """Whoever arrives where a body lies knows of the death."""
    for body in world.order:
        if body.alive or body.location != location or body.id == finder:
            continue
        fid = news_id("dead", body.id)
        if fid in world.agents[finder].known_facts:
            continue
        _tell(world, finder, fid, finder, f"I found {body.name} dead at "
              f"{world.locations[location].name}.", BODY_IMPORTANCE, valence=-1.0,
              subject=body.id)
        world.emit("body", finder, location, {
            "victim": body.id, "importance": BODY_IMPORTANCE, "valence": -1.0,
            "text": f"{world.agents[finder].name} found the body of {body.name}"})
