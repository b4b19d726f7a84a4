"""The law acts on what it knows, whoever told it.

An officer of the law (``scenario.law``) who comes to know facts that incriminate someone,
by any route (gossip, an overheard talk, the player's word, a clue shown), starts watching
that person once there is enough against them (one witness's word, or two rumours): follows
them for a while, and questions them on meeting them. A questioned
suspect knows the law has its eye on them; so does anyone the news reaches by gossip, since
the watch is a fact like any other. Plotters act on that knowledge (see ``plots``).
Nothing here looks at who told the officer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.engine.model import Agent
from game.engine.world import World

if TYPE_CHECKING:
    from .rules import MysteryRules

WATCHED = "watched"
START = "start"  # the source of a fact known when the story began
WATCH_NEWS_IMPORTANCE = 6
QUESTIONED_IMPORTANCE = 8
FIRST_HAND, HEARSAY = 2, 1  # how much a fact weighs against a suspect, by how it was had
ENOUGH = 2  # a witness's word, or two rumours that agree, and the law acts


def react(world: World, rules: MysteryRules) -> None:
    """Every officer weighs what they have newly come to know or been told again about an
    incriminating fact; the suspect is watched when it is enough (``weight``)."""
    seen: dict[str, int] = rules.state.setdefault("law_seen", {})
    incriminates: dict[str, list[str]] = rules.spec.get("incriminates", {})
    for officer in rules.law:
        agent = world.agents.get(officer)
        if agent is None or not agent.alive or officer in rules.state["arrested"]:
            continue
        acted: list[list[str]] = rules.state.setdefault("law_acted", [])
        new = [f for f in incriminates if f in agent.known_facts and [officer, f] not in acted]
        acted += [[officer, f] for f in new]
        # What the officer knew when the story began is where the story starts: it counts in
        # the weight, but only what reaches them later makes them act.
        fresh = [f for f in new if agent.known_facts[f][1] not in (None, "", START)]
        last = seen.get(officer, -1)
        fresh += [t for node in agent.memory.nodes if node.id > last
                  and node.kind == "conversation" and node.subject
                  for t in node.tags if t in incriminates
                  and node.subject not in agent.told.get(t, ())]  # not what they told
        if agent.memory.nodes:
            seen[officer] = max(last, agent.memory.nodes[-1].id)
        for fact_id in sorted(set(fresh), key=list(incriminates).index):
            for suspect in incriminates[fact_id]:
                if weight(world, rules, officer, suspect) >= ENOUGH \
                        and not rules.is_watched(world, suspect):
                    suspect_(world, rules, suspect, officer)


def tellers(agent: Agent, fact_id: str) -> list[str]:
    """Everyone who told ``agent`` this fact, the first source first (its memories of talk)."""
    first = str(agent.known_facts[fact_id][1] or "")
    out = [first]
    told = agent.told.get(fact_id, ())
    for node in agent.memory.nodes:
        if fact_id in node.tags and node.kind == "conversation" and node.subject \
                and node.subject not in told:  # whom they told it to is no teller
            out.append(node.subject)
    return list(dict.fromkeys(out))


def weight(world: World, rules: MysteryRules, officer: str, suspect: str) -> int:
    """What the officer knows against ``suspect``: each incriminating fact counts
    ``FIRST_HAND`` when a witness vouches for it (``_vouched``), else ``HEARSAY`` for each
    one who told it (up to ``FIRST_HAND``). Who the tellers are (player or townsfolk) does
    not matter, only how they know."""
    agent = world.agents[officer]
    witnesses: dict[str, list[str]] = rules.spec.get("witnesses", {})
    total = 0
    for fact_id, suspects in rules.spec.get("incriminates", {}).items():
        if suspect not in suspects or fact_id not in agent.known_facts:
            continue
        told = tellers(agent, fact_id)
        if officer in witnesses.get(fact_id, []) or any(
                _vouched(world, witnesses.get(fact_id, []), teller, fact_id) for teller in told):
            total += FIRST_HAND
        else:
            total += min(FIRST_HAND, HEARSAY * len(told))
    return total


def _vouched(world: World, saw: list[str], teller: str, fact_id: str) -> bool:
    """The teller is a witness, or had it in person from one (and can name them). Overheard
    talk is never vouched for."""
    if teller in saw:
        return True
    agent = world.agents.get(teller)
    if agent is None or fact_id not in agent.known_facts:
        return False
    return str(agent.known_facts[fact_id][1] or "") in saw


def suspect_(world: World, rules: MysteryRules, suspect: str, officer: str) -> bool:
    """``officer`` starts watching ``suspect``; False if there is nobody to watch."""
    if suspect == officer or suspect not in world.agents or suspect == rules.player \
            or suspect in rules.state["arrested"] or not world.agents[suspect].alive:
        return False
    rules.watch(world, suspect, officer)
    fid = watched_fact(suspect)
    world.learn_fact(world.agents[officer], fid, officer)
    question(world, rules, suspect)
    return True


def question(world: World, rules: MysteryRules, suspect: str) -> None:
    """A watched suspect who is where their watcher is gets questioned, and knows it."""
    agent = world.agents[suspect]
    if agent.location is None or not rules.is_watched(world, suspect):
        return
    fid = watched_fact(suspect)
    if fid in agent.known_facts:
        return
    for officer in rules.law:
        law = world.agents.get(officer)
        if law is None or law.location != agent.location or not law.alive:
            continue
        if not any(i.get("source") == "watch" and i.get("follow") == suspect
                   for i in law.intentions):
            continue
        world.learn_fact(agent, fid, officer)
        world.add_memory(agent, "conversation", f"{law.name} questioned me. The law has its "
                         "eye on me.", QUESTIONED_IMPORTANCE, subject=officer,
                         predicate="questioned", obj=fid, tags=(officer, fid), valence=-0.6)
        world.emit("question", officer, agent.location, {
            "suspect": suspect, "importance": 4,
            "text": f"{law.name} questioned {agent.name}"})
        return


def watched_fact(who: str) -> str:
    """The news that the law has its eye on ``who`` (``news.news_id('watched', who)``; kept
    here so that plots and conditions can ask without importing the news)."""
    return f"news:{WATCHED}:{who}"


def knows_suspected(world: World, who: str) -> int | None:
    """The minute ``who`` learned the law has its eye on them, or None."""
    known = world.agents[who].known_facts.get(watched_fact(who))
    return int(known[0]) if known else None
