"""The player's verbs with a person: greet, ask, say, tell, show, warn, stay, give.

Answers come from ``testimony`` (the agent's own memory); what is said to an agent becomes
that agent's memory, so the town can act on it. Every ``prepare_*`` checks the command and
resolves names without spending time; every ``run_*`` performs the canonical command.
"""

from __future__ import annotations

from typing import Any

from game import speech
from game.commands import ASK_TOPICS, MAX_TEXT, Command, CommandError, Outcome
from game.engine.actions import GIVE, GIVE_MINUTES, Action

from . import freetext, law, lies, testimony
from .clues import learn_fact, note_sighting, told_by
from .evidence import Provenance, establish
from .lookup import Lookup
from .play import Play
from .rules import STAY_MINUTES
from .wording import the

MINUTES = {"greet": 5, "ask": 10, "tell": 10, "show": 10, "warn": 10, "stay": 5}
STAY_AFFINITY = 0.2  # a person keeps you company only if they like you at least this much
WARNING_COST = 0.3  # affinity lost toward someone you are warned about
WARNING_IMPORTANCE = 7


def prepare_person(play: Play, look: Lookup, cmd: Command) -> Command:
    who = look.person(cmd.target)
    play.person_here(who)
    return Command(cmd.verb, target=who)


def run_greet(play: Play, cmd: Command) -> Outcome:
    agent = play.world.agents[cmd.target]
    play.spend(Action("greet", agent.id, duration=MINUTES["greet"]))
    line = testimony.voice_line(play.world, agent, "greeting", "Hello.")
    return Outcome([f"{agent.name}: {line}"], speaker=agent.id)


def run_stay(play: Play, cmd: Command) -> Outcome:
    w = play.world
    agent = w.agents[cmd.target]
    willing = agent.affinity(play.player) >= STAY_AFFINITY
    play.spend(Action("stay_request", agent.id, duration=MINUTES["stay"]))
    if not willing:
        line = testimony.voice_line(w, agent, "refuse", "I have my own affairs.")
        return Outcome([f"{agent.name}: {line}"], speaker=agent.id)
    until = w.now + STAY_MINUTES
    agent.intentions = [i for i in agent.intentions if i.get("source") != "stay"]
    agent.intentions.append({"follow": play.player, "until": until, "source": "stay",
                             "priority": 2.5})
    line = testimony.voice_line(w, agent, "agree", "Of course. I'll stay close.")
    return Outcome([f"{agent.name}: {line}",
                    f"{agent.name} will keep you company until {w.calendar.format(until)}."],
                   speaker=agent.id)


# --------------------------------------------------------------------- asking
def prepare_ask(play: Play, look: Lookup, cmd: Command) -> Command:
    who = look.person(cmd.target)
    play.person_here(who)
    topic = cmd.topic.strip().lower()
    if topic == "where":
        minute = cmd.minutes
        if cmd.arg:
            minute = play.parse_time(cmd.arg, prefer="past")
        elif not minute:
            raise CommandError("ask where they were at what time? e.g. 'where 20:00'")
        return Command("ask", target=who, topic="where", minutes=minute)
    if topic == "unusual":
        return Command("ask", target=who, topic="unusual")
    if topic in ("about", "person", "item", "fact"):
        kinds = ("person", "item", "fact") if topic == "about" else (topic,)
        entry = look.thing(cmd.arg, kinds)
        return Command("ask", target=who, topic=entry.kind, arg=entry.id)
    raise CommandError(f"ask about one of: {', '.join(ASK_TOPICS)}")


def run_ask(play: Play, cmd: Command) -> Outcome:
    w, r = play.world, play.rules
    who = cmd.target
    if cmd.topic == "where":
        answer = testimony.ask_where(w, r, who, cmd.minutes)
    elif cmd.topic == "person":
        answer = testimony.ask_person(w, r, who, cmd.arg)
    elif cmd.topic == "item":
        answer = testimony.ask_item(w, r, who, cmd.arg)
    elif cmd.topic == "fact":
        answer = testimony.ask_fact(w, r, who, cmd.arg)
    else:
        answer = testimony.ask_unusual(w, r, who)
    asked_at = w.now
    play.spend(Action("ask", who, duration=MINUTES["ask"], activity=cmd.topic))
    name = w.agents[who].name
    out = Outcome([f"{name}: {answer.text}"], speaker=who)
    if cmd.topic == "fact":
        line = testimony.reaction(w, r, who, cmd.arg)
        if line:
            out.lines.append(f"{name}: {line}")
    if answer.account is not None:
        out.new_clues += _account_clue(play, who, cmd.minutes, answer.account, answer.text,
                                       asked_at)
    for fact_id in answer.facts:
        out.new_clues += learn_fact(play, fact_id, told_by(play, fact_id, who))
    for node in answer.seen:
        out.new_clues += note_sighting(play, who, node)
    entry = play.notebook.add_testimony(
        {"loop": play.loop, "t": asked_at, "speaker": who, "topic": cmd.topic,
         "arg": cmd.arg or str(cmd.minutes), "text": answer.text, "claims": answer.claims})
    found = lies.contradictions(play, entry)
    for c in found:
        liar = c["subject"]
        clue_id = f"lie:{liar}"
        how = Provenance("lie", "you caught it")
        if play.notebook.add_clue(
                clue_id, f"{w.agents[liar].name} lied to you: claimed to be at "
                f"{w.locations[c['b_says']].name} around {w.calendar.format(c['t'])}, but was "
                f"seen at {w.locations[c['a_says']].name}.", play.loop, w.now,
                [{"culprit": liar, "kind": "opportunity"}], how.source, how.kind, liar):
            out.new_clues.append(clue_id)
        establish(play, clue_id, how)
        said, seen = w.locations[c["b_says"]].name, w.locations[c["a_says"]].name
        out.lines.append(f"Contradiction! {w.agents[liar].name} says {said}, but was seen at "
                         f"{seen} ({w.calendar.format(c['seen_at'])}).")
    out.contradictions = found
    return out


def _account_clue(play: Play, who: str, t: int, account: dict[str, Any], answer: str,
                  asked_at: int) -> list[str]:
    """A true account the story says tells (``accounts``): the speaker's own testimony of
    where they were at ``t``, proof while they live to stand by it."""
    w = play.world
    clue_id = f"account:{who}:{account['location']}:{w.calendar.format(t)}"
    how = Provenance("testimony", w.agents[who].name, witness=who)
    said = answer.split("? ", 1)[-1]
    added = play.notebook.add_clue(clue_id, f"{w.agents[who].name}, of {w.calendar.format(t)}: "
                                   f"“{said}”", play.loop, asked_at, account["evidence"],
                                   how.source, how.kind, who)
    establish(play, clue_id, how)
    return [clue_id] if added else []


def prepare_say(play: Play, look: Lookup, cmd: Command) -> Command:
    """Free text. A model mind answers it in character; the scripted minds understand the
    menu questions in plain words, and answer anything else with a one-line hint."""
    who = look.person(cmd.target)
    agent = play.person_here(who)
    text = " ".join(cmd.arg.split())[:MAX_TEXT]
    if not text:
        raise CommandError(f"say what to {agent.name}?")
    if hasattr(play.world.mind, "answer_player"):
        return Command("say", target=who, arg=text)
    asked = freetext.interpret(play, look, who, text)
    if asked is None:
        raise CommandError(freetext.hint(agent.name))
    return prepare_ask(play, look, asked)


def run_say(play: Play, cmd: Command) -> Outcome:
    w, r = play.world, play.rules
    agent = w.agents[cmd.target]
    allowed = testimony.speakable(w, r, agent.id)
    answer = w.mind.answer_player(w, agent.id, cmd.arg, allowed,  # type: ignore[attr-defined]
                                  on_text=play.hooks.on_text)
    play.spend(Action("ask", agent.id, duration=MINUTES["ask"], activity="free"))
    out = Outcome([f"You: {cmd.arg}", f"{agent.name}: {answer.text}"], speaker=agent.id)
    for fact_id in answer.cited:
        out.new_clues += learn_fact(play, fact_id, told_by(play, fact_id, agent.id))
    play.notebook.add_testimony({"loop": play.loop, "t": w.now, "speaker": agent.id,
                                 "topic": "free", "arg": cmd.arg, "text": answer.text,
                                 "claims": []})
    return out


# --------------------------------------------------------------------- telling
def prepare_tell(play: Play, look: Lookup, cmd: Command) -> Command:
    who = look.person(cmd.target)
    play.person_here(who)
    return Command("tell", target=who, arg=look.fact(cmd.arg))


def run_tell(play: Play, cmd: Command) -> Outcome:
    w = play.world
    agent, fact = w.agents[cmd.target], w.facts[cmd.arg]
    play.spend(Action("tell", agent.id, duration=MINUTES["tell"], activity=fact.id))
    w.learn_fact(agent, fact.id, play.player)
    w.add_memory(agent, "conversation", f"{play.me.name} told me: "
                 f"{speech.own_view(w, agent.id, fact.id, play.player)}",
                 fact.importance, subject=play.player, predicate="told", obj=fact.id,
                 tags=(play.player, fact.id))
    lines = [f"You tell {agent.name}: {fact.text}"]
    line = testimony.reaction(w, play.rules, agent.id, fact.id)
    if line:
        lines.append(f"{agent.name}: {line}")
    watched = _law_reacts(play)
    if agent.id in play.rules.law:
        for suspect in watched:
            lines.append(f"{agent.name}: I'll keep an eye on {w.agents[suspect].name}.")
    return Outcome(lines, speaker=agent.id)


def _law_reacts(play: Play) -> list[str]:
    """Whom the law starts watching now, on what it knows: the same rule that acts on
    gossip, run at once so the officer can say so."""
    before = dict(play.rules.state["watched"])
    law.react(play.world, play.rules)
    after = play.rules.state["watched"]
    return [s for s in after if after[s] != before.get(s)]


def prepare_show(play: Play, look: Lookup, cmd: Command) -> Command:
    who = look.person(cmd.target)
    play.person_here(who)
    carried = [i.id for i in play.world.items.values() if i.holder == play.player]
    kinds = ("item", "clue") if carried else ("clue",)
    entry = look.thing(cmd.arg, kinds)
    if entry.kind == "item" and entry.id not in carried:
        raise CommandError(f"you don't carry {the(entry.label)}")
    return Command("show", target=who, arg=entry.id)


def run_show(play: Play, cmd: Command) -> Outcome:
    w = play.world
    agent = w.agents[cmd.target]
    culprits: list[str] = []
    if cmd.arg in w.items and w.items[cmd.arg].holder == play.player:
        reveals = play.mystery["item_reveals"].get(cmd.arg, [])
        what = the(w.items[cmd.arg].name)
    elif cmd.arg in play.notebook.clues:
        clue = play.notebook.clues[cmd.arg]
        rule = next((c for c in play.mystery["clues"] if c["id"] == cmd.arg), None)
        reveals = rule["reveals"] if rule else []
        culprits = [e["culprit"] for e in clue["evidence"]]
        what = clue["text"]
    else:
        raise CommandError("show an item you carry or a clue from your notebook")
    play.spend(Action("show", agent.id, duration=MINUTES["show"], activity=cmd.arg))
    for fact_id in reveals:
        w.learn_fact(agent, fact_id, play.player)
    lines = [f"You show {agent.name}: {what}"]
    watched = _law_reacts(play)
    if agent.id in play.rules.law:  # the clue itself is what the officer now knows
        for suspect in dict.fromkeys(culprits):
            if law.suspect_(w, play.rules, suspect, agent.id):
                watched.append(suspect)
    for suspect in dict.fromkeys(watched if agent.id in play.rules.law else []):
        lines.append(f"{agent.name}: This is serious. I'll watch {w.agents[suspect].name}.")
    return Outcome(lines, speaker=agent.id)


def prepare_warn(play: Play, look: Lookup, cmd: Command) -> Command:
    who = look.person(cmd.target)
    agent = play.person_here(who)
    about = look.person(cmd.arg)
    if about == who:
        raise CommandError(f"warn {agent.name} about someone else")
    return Command("warn", target=who, arg=about)


def run_warn(play: Play, cmd: Command) -> Outcome:
    w = play.world
    agent, other = w.agents[cmd.target], w.agents[cmd.arg]
    play.spend(Action("warn", agent.id, duration=MINUTES["warn"], activity=other.id))
    rel = agent.relationships.get(other.id)
    if rel is not None:
        rel.affinity = max(-1.0, rel.affinity - WARNING_COST)
    w.add_memory(agent, "conversation", f"{play.me.name} warned me that {other.name} is "
                 "dangerous", WARNING_IMPORTANCE, subject=other.id, predicate="warned",
                 obj=play.player, tags=(other.id, "warning"), valence=-0.8)
    lines = [f"You warn {agent.name} about {other.name}."]
    if agent.id in play.rules.law and not play.rules.is_watched(w, other.id):
        lines.append(f"{agent.name}: A warning is not a reason. Tell me what you know "
                     f"about {other.name}, or show me.")
    return Outcome(lines, speaker=agent.id)


def prepare_give(play: Play, look: Lookup, cmd: Command) -> Command:
    carried = [i.id for i in play.world.items.values() if i.holder == play.player]
    if not carried:
        raise CommandError("you carry nothing to give")
    item = look.item(cmd.target, carried, "item you carry")
    who = look.person(cmd.arg)
    play.person_here(who)
    return Command("give", target=item, arg=who)


def run_give(play: Play, cmd: Command) -> Outcome:
    w = play.world
    item, agent = w.items[cmd.target], w.agents[cmd.arg]
    play.spend(Action(GIVE, agent.id, item=item.id, duration=GIVE_MINUTES))
    return Outcome([f"You give {the(item.name)} to {agent.name}."], speaker=agent.id)
