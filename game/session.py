"""A game session: the one API every front end (desktop UI, text mode, tests) drives.

It owns the world, the mystery rules, the player's notebook and the timeline
tree. Every player action costs game time, is recorded as a plain ``Command``
and produces a snapshot node; ``history`` (the commands in order, rewinds
included) replays the whole game exactly from the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from game.engine.actions import GIVE, MOVE, TAKE, WAIT, Action
from game.engine.clock import MINUTES_PER_DAY, format_hhmm
from game.engine.world import InvalidAction, World
from game.minds.scripted import ScriptedMind
from game.mystery import testimony
from game.mystery.conditions import holds
from game.mystery.notebook import Notebook
from game.mystery.rules import MysteryRules
from game.scenario.build import build_spec, story_hash
from game.scenario.errors import StoryError
from game.scenario.loader import LoadResult, load_story
from game.timeline.tree import TimelineTree

DURATIONS = {"ask": 10, "tell": 10, "show": 10, "warn": 10, "stay": 5, "search": 20,
             "greet": 5, "take": 2, "give": 2, "accuse": 30}
VERBS = ("go", "greet", "ask", "say", "tell", "show", "warn", "stay", "search", "take",
         "give", "wait", "skip", "accuse", "rewind")
ASK_TOPICS = ("where", "person", "unusual", "item", "fact")
SKIP_KINDS = ("hours", "until", "tonight", "morning", "days", "event", "end")


class CommandError(ValueError):
    """The player asked for something impossible; the message says why."""


@dataclass
class Command:
    verb: str
    target: str = ""  # a person, place or item id
    topic: str = ""  # for ask: where/person/unusual/item/fact; for skip: the kind
    arg: str = ""  # person/item/fact/clue id, or a time
    minutes: int = 0
    extra: list[dict[str, str]] = field(default_factory=list)  # accusation entries

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, s: dict[str, Any]) -> Command:
        return cls(**s)


@dataclass
class Outcome:
    lines: list[str]
    new_clues: list[str] = field(default_factory=list)
    witnessed: list[str] = field(default_factory=list)
    speaker: str = ""
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    cancelled: bool = False


class GameSession:
    def __init__(self, story: str | Path | LoadResult, seed: int | None = None,
                 mind_factory: Callable[[], Any] | None = None) -> None:
        result = story if isinstance(story, LoadResult) else load_story(story)
        if not result.ok:
            raise StoryError(result.errors)
        self.story_result = result
        self.story = result.story
        assert self.story is not None
        self.content_hash = story_hash(result.text)
        self.spec = build_spec(self.story, self.content_hash)
        self.seed = self.story.scenario.seed if seed is None else seed
        self.mind_factory = mind_factory or ScriptedMind
        self.mind = self.mind_factory()
        self.player = self.story.scenario.player
        self.notebook = Notebook()
        self.tree = TimelineTree()
        self.history: list[dict[str, Any]] = []
        self.feed: list[tuple[int, str]] = []
        self.loop = 0
        self.status = "new"  # playing | dead | ended
        self.ending: dict[str, Any] | None = None
        self.world: World
        self.rules: MysteryRules
        self._seen_memory = 0

    # ----------------------------------------------------------------- lifecycle
    @property
    def scenario_id(self) -> str:
        return self.spec["scenario_id"]

    def start(self) -> None:
        self.rules = MysteryRules(self.spec["mystery"])
        self.world = World(self.spec, self.seed, self.mind, [self.rules])
        self.rules.state["loop_start"] = self.world.now
        self.loop = 1
        self.status = "playing"
        self._seen_memory = len(self.world.agents[self.player].memory)
        for fact_id in list(self.world.agents[self.player].known_facts):
            self._learn_fact(fact_id, "you have always known")
        self._snapshot(None, "The loop begins.")
        self._say(self.spec["mystery"]["intro"])

    @property
    def loop_end(self) -> int:
        start = self.rules.state["loop_start"] // MINUTES_PER_DAY
        return (start + self.spec["mystery"]["loop_days"]) * MINUTES_PER_DAY

    def _snapshot(self, command: dict[str, Any] | None, summary: str) -> int:
        state = {"world": self.world.snapshot(),
                 "session": {"loop": self.loop, "status": self.status}}
        node = self.tree.add(self.tree.head, command, self.world.now, summary, state,
                             self.world.log.digest)
        return node

    # ----------------------------------------------------------------- queries
    @property
    def me(self):
        return self.world.agents[self.player]

    def clock_text(self) -> str:
        return self.world.calendar.format(self.world.now)

    def here(self) -> str:
        return self.me.location or self.me.travel_to or self.me.home

    def visible_people(self) -> list[dict[str, Any]]:
        return [{"id": a.id, "name": a.name, "role": a.role, "activity": a.activity,
                 "asleep": a.asleep}
                for a in self.world.present(self.here(), exclude=self.player)]

    def locations(self) -> list[dict[str, Any]]:
        here = self.here()
        out = []
        for loc in self.world.locations.values():
            out.append({"id": loc.id, "name": loc.name, "pos": loc.pos, "kind": loc.kind,
                        "description": loc.description,
                        "open": self.world.may_enter(self.me, loc.id, self.world.now),
                        "travel": self.world.travel_time(here, loc.id), "here": loc.id == here})
        return out

    def connections(self) -> list[list[Any]]:
        return self.spec["connections"]

    def items_here(self) -> list[dict[str, str]]:
        return [{"id": i.id, "name": i.name} for i in self.world.items.values()
                if i.location == self.here() and i.holder is None]

    def inventory(self) -> list[dict[str, str]]:
        return [{"id": i.id, "name": i.name} for i in self.world.items.values()
                if i.holder == self.player]

    def known_facts(self) -> list[dict[str, str]]:
        return [{"id": f, "text": self.world.facts[f].text} for f in self.notebook.facts
                if f in self.world.facts]

    def loops(self) -> list[dict[str, Any]]:
        return list(self.notebook.deaths)

    def suspects(self) -> list[dict[str, str]]:
        return [{"id": a.id, "name": a.name} for a in self.world.order if a.id != self.player]

    # ----------------------------------------------------------------- actions
    def do(self, cmd: Command, on_text: Callable[[str], None] | None = None) -> Outcome:
        """Perform one player command. Raises CommandError if it is impossible now.

        ``on_text`` receives a free-text ("say") reply as it streams in from an LLM."""
        if cmd.verb == "rewind":
            return self.rewind(int(cmd.arg) if cmd.arg else None)
        if self.status != "playing":
            raise CommandError("the loop is over: rewind to play on")
        handler = getattr(self, f"_do_{cmd.verb}", None)
        if handler is None:
            raise CommandError(f"unknown action {cmd.verb!r}; try one of: {', '.join(VERBS)}")
        self.world.finish_travel(self.player)
        outcome: Outcome = handler(cmd, on_text) if cmd.verb == "say" else handler(cmd)
        self.history.append(cmd.to_state())
        outcome.witnessed += self._collect_witnessed()
        self._check_loop_state(outcome)
        self._snapshot(cmd.to_state(), outcome.lines[0] if outcome.lines else cmd.verb)
        return outcome

    def _spend(self, action: Action) -> int:
        try:
            minutes = self.world.perform(self.player, action)
        except InvalidAction as exc:
            raise CommandError(str(exc)) from None
        self._run_to(self.world.now + minutes)
        return minutes

    def _run_to(self, t: int, should_stop: Callable[[], bool] | None = None,
                progress: Callable[[int, int], None] | None = None) -> bool:
        me = self.me
        def stop():
            return (not me.alive or (should_stop is not None and should_stop()))
        t = min(t, self.loop_end)
        done = self.world.run_until(t, progress=progress, should_stop=stop)
        if me.alive:
            self.world.finish_travel(self.player)
        return done

    def _person(self, cmd: Command) -> str:
        target = cmd.target
        present = {p["id"] for p in self.visible_people()}
        if target not in present:
            name = self.world.agents[target].name if target in self.world.agents else target
            raise CommandError(f"{name} is not here")
        return target

    def _do_go(self, cmd: Command) -> Outcome:
        if cmd.target not in self.world.locations:
            raise CommandError(f"no such place: {cmd.target!r}")
        if cmd.target == self.here():
            raise CommandError("you are already there")
        minutes = self.world.travel_time(self.here(), cmd.target)
        loc = self.world.locations[cmd.target]
        if minutes is None:
            raise CommandError(f"there is no way to {loc.name} from here")
        if not self.world.may_enter(self.me, cmd.target, self.world.now + minutes):
            why = "private" if loc.kind == "private" else "closed at that hour"
            raise CommandError(f"{loc.name} is {why}")
        self._spend(Action(MOVE, cmd.target, duration=max(1, minutes or 1)))
        people = ", ".join(p["name"] for p in self.visible_people()) or "nobody"
        return Outcome([f"You walk to {loc.name} ({minutes} min). Here: {people}."])

    def _do_wait(self, cmd: Command) -> Outcome:
        minutes = max(5, min(cmd.minutes or 30, 12 * 60))
        self.world.perform(self.player, Action(WAIT, self.here(), duration=15))
        self._run_to(self.world.now + minutes)
        return Outcome([f"You wait {minutes} minutes."])

    def _do_greet(self, cmd: Command) -> Outcome:
        who = self._person(cmd)
        agent = self.world.agents[who]
        self._spend(Action("greet", who, duration=DURATIONS["greet"]))
        line = testimony.voice_line(self.world, agent, "greeting", "Hello.")
        return Outcome([f"{agent.name}: {line}"], speaker=who)

    def _do_ask(self, cmd: Command) -> Outcome:
        who = self._person(cmd)
        w, r = self.world, self.rules
        topic = cmd.topic
        if topic == "where":
            answer = testimony.ask_where(w, r, who, self._parse_time(cmd.arg))
        elif topic == "person":
            if cmd.arg not in w.agents:
                raise CommandError(f"no such person: {cmd.arg!r}")
            answer = testimony.ask_person(w, r, who, cmd.arg)
        elif topic == "unusual":
            answer = testimony.ask_unusual(w, r, who)
        elif topic == "item":
            if cmd.arg not in w.items:
                raise CommandError(f"no such item: {cmd.arg!r}")
            answer = testimony.ask_item(w, r, who, cmd.arg)
        elif topic == "fact":
            if cmd.arg not in w.facts:
                raise CommandError(f"no such fact: {cmd.arg!r}")
            answer = testimony.ask_fact(w, r, who, cmd.arg)
        else:
            raise CommandError(f"ask about one of: {', '.join(ASK_TOPICS)}")
        asked_at = w.now
        self._spend(Action("ask", who, duration=DURATIONS["ask"], activity=topic))
        name = w.agents[who].name
        out = Outcome([f"{name}: {answer.text}"], speaker=who)
        for fact_id in answer.facts:
            out.new_clues += self._learn_fact(fact_id, f"told by {name}")
        entry = {"loop": self.loop, "t": asked_at, "speaker": who, "topic": topic,
                 "arg": cmd.arg, "text": answer.text, "claims": answer.claims}
        found = self.notebook.add_testimony(entry)
        for c in found:
            liar = self._liar(c)
            if liar:
                clue_id = f"lie:{liar}"
                if self.notebook.add_clue(
                        clue_id, f"{w.agents[liar].name} lied about where they were "
                        f"({w.calendar.format(c['t'])}).", self.loop, w.now,
                        [{"culprit": liar, "kind": "opportunity"}], "contradiction"):
                    out.new_clues.append(clue_id)
            out.lines.append(f"Contradiction! {w.agents[c['subject']].name} was placed at "
                             f"{w.locations[c['a_says']].name} and at "
                             f"{w.locations[c['b_says']].name} at the same time.")
        out.contradictions = found
        return out

    def _liar(self, contradiction: dict[str, Any]) -> str:
        """Who lied: the subject, if one of the two claims is the subject's own."""
        subject = contradiction["subject"]
        for tid in (contradiction["a"], contradiction["b"]):
            if tid is None:
                continue
            t = self.notebook.testimonies[tid]
            if t["speaker"] == subject and t["topic"] == "where":
                return subject
        return ""

    @property
    def mind_may_block(self) -> bool:
        """True when the mind may wait on the network (an LLM): front ends should run
        commands off their UI thread."""
        return getattr(self.mind, "name", "scripted") != "scripted"

    @property
    def free_text(self) -> bool:
        """True when the mind can answer the player's own words (an LLM mind)."""
        return hasattr(self.mind, "answer_player")

    def _do_say(self, cmd: Command, on_text: Callable[[str], None] | None = None) -> Outcome:
        """Free conversation: the LLM answers in character, from what it may reveal."""
        if not self.free_text:
            raise CommandError("free conversation needs an LLM mind (Settings -> mind)")
        who = self._person(cmd)
        w, r = self.world, self.rules
        agent = w.agents[who]
        allowed = [f for f in agent.known_facts if not testimony.protected(w, r, who, f)
                   and not (w.facts[f].secret and who in w.facts[f].about)]
        answer = self.mind.answer_player(w, who, cmd.arg[:500], allowed, on_text=on_text)
        self._spend(Action("ask", who, duration=DURATIONS["ask"], activity="free"))
        out = Outcome([f"You: {cmd.arg[:500]}", f"{agent.name}: {answer.text}"], speaker=who)
        for fact_id in answer.cited:
            out.new_clues += self._learn_fact(fact_id, f"told by {agent.name}")
        self.notebook.add_testimony({"loop": self.loop, "t": w.now, "speaker": who,
                                     "topic": "free", "arg": cmd.arg[:500],
                                     "text": answer.text, "claims": []})
        return out

    def close(self) -> None:
        """Release the mind (LLM threads, a local model server)."""
        from game.minds.factory import close_mind

        close_mind(self.mind)

    def _do_tell(self, cmd: Command) -> Outcome:
        who = self._person(cmd)
        fact_id = cmd.arg
        if fact_id not in self.notebook.facts:
            raise CommandError("you can only tell what you know (see your notebook)")
        self._spend(Action("tell", who, duration=DURATIONS["tell"], activity=fact_id))
        agent = self.world.agents[who]
        fact = self.world.facts[fact_id]
        if self.world.learn_fact(agent, fact_id, self.player):
            self.world.add_memory(agent, "conversation", f"{self.me.name} told me: {fact.text}",
                                  fact.importance, subject=self.player, predicate="told",
                                  obj=fact_id, tags=(self.player, fact_id))
        lines = [f"You tell {agent.name}: {fact.text}"]
        if who in self.rules.law:
            for suspect in self.spec["mystery"]["incriminates"].get(fact_id, []):
                self.rules.watch(self.world, suspect, who)
                lines.append(f"{agent.name}: I'll keep an eye on "
                             f"{self.world.agents[suspect].name}.")
        return Outcome(lines, speaker=who)

    def _do_show(self, cmd: Command) -> Outcome:
        who = self._person(cmd)
        agent, w = self.world.agents[who], self.world
        reveals: list[str] = []
        culprits: list[str] = []
        if cmd.arg in w.items:
            if w.items[cmd.arg].holder != self.player:
                raise CommandError("you can only show what you carry")
            reveals = self.spec["mystery"]["item_reveals"].get(cmd.arg, [])
            what = w.items[cmd.arg].name
        elif cmd.arg in self.notebook.clues:
            clue = self.notebook.clues[cmd.arg]
            rule = next((c for c in self.spec["mystery"]["clues"] if c["id"] == cmd.arg), None)
            reveals = rule["reveals"] if rule else []
            culprits = [e["culprit"] for e in clue["evidence"]]
            what = clue["text"]
        else:
            raise CommandError("show an item you carry or a clue from your notebook")
        self._spend(Action("show", who, duration=DURATIONS["show"], activity=cmd.arg))
        for fact_id in reveals:
            w.learn_fact(agent, fact_id, self.player)
        lines = [f"You show {agent.name}: {what}"]
        if who in self.rules.law:
            for suspect in dict.fromkeys(culprits):
                self.rules.watch(w, suspect, who)
                lines.append(f"{agent.name}: This is serious. I'll watch "
                             f"{w.agents[suspect].name}.")
        return Outcome(lines, speaker=who)

    def _do_warn(self, cmd: Command) -> Outcome:
        who = self._person(cmd)
        about = cmd.arg
        if about not in self.world.agents or about in (who, self.player):
            raise CommandError("warn someone about another person")
        self._spend(Action("warn", who, duration=DURATIONS["warn"], activity=about))
        agent, other = self.world.agents[who], self.world.agents[about]
        rel = agent.relationships.get(about)
        if rel is not None:
            rel.affinity = max(-1.0, rel.affinity - 0.3)
        self.world.add_memory(agent, "conversation",
                              f"{self.me.name} warned me that {other.name} is dangerous", 7,
                              subject=about, predicate="warned", obj=self.player,
                              tags=(about, "warning"), valence=-0.8)
        lines = [f"You warn {agent.name} about {other.name}."]
        if who in self.rules.law:
            self.rules.watch(self.world, about, who)
            lines.append(f"{agent.name}: I'll watch {other.name}, then.")
        return Outcome(lines, speaker=who)

    def _do_stay(self, cmd: Command) -> Outcome:
        who = self._person(cmd)
        agent = self.world.agents[who]
        willing = agent.affinity(self.player) >= 0.2
        self._spend(Action("stay_request", who, duration=DURATIONS["stay"]))
        if not willing:
            line = testimony.voice_line(self.world, agent, "refuse", "I have my own affairs.")
            return Outcome([f"{agent.name}: {line}"], speaker=who)
        until = self.world.now + 14 * 60
        agent.intentions = [i for i in agent.intentions if i.get("source") != "stay"]
        agent.intentions.append({"follow": self.player, "until": until, "source": "stay",
                                 "priority": 2.5})
        line = testimony.voice_line(self.world, agent, "agree", "Of course. I'll stay close.")
        return Outcome([f"{agent.name}: {line}",
                        f"{agent.name} will keep you company until "
                        f"{self.world.calendar.format(until)}."], speaker=who)

    def _do_search(self, cmd: Command) -> Outcome:
        here = self.here()
        self._spend(Action("search", "", duration=DURATIONS["search"]))
        w = self.world
        lines = [f"You search {w.locations[here].name}."]
        found: list[str] = []
        for clue in self.spec["mystery"]["clues"]:
            if clue["location"] == here and holds(clue["when"], w, self.rules):
                if clue["id"] not in self.rules.state["found_clues"]:
                    self.rules.state["found_clues"].append(clue["id"])
                if self.notebook.add_clue(clue["id"], clue["text"], self.loop, w.now,
                                          clue["evidence"], "search"):
                    found.append(clue["id"])
                lines.append(f"Found: {clue['text']}")
                for fact_id in clue["reveals"]:
                    found += self._learn_fact(fact_id, "a clue")
        items = self.items_here()
        if items:
            lines.append("Items here: " + ", ".join(i["name"] for i in items))
        for body in (a for a in w.order if not a.alive and a.location == here):
            lines.append(f"The body of {body.name} lies here.")
        if len(lines) == 1:
            lines.append("Nothing of note.")
        return Outcome(lines, new_clues=found)

    def _do_take(self, cmd: Command) -> Outcome:
        item = self.world.items.get(cmd.target)
        if item is None or item.location != self.here() or item.holder is not None:
            raise CommandError("that item is not here")
        self._spend(Action(TAKE, item=item.id, duration=2))
        out = Outcome([f"You take the {item.name}."])
        for fact_id in self.spec["mystery"]["item_reveals"].get(item.id, []):
            out.new_clues += self._learn_fact(fact_id, f"the {item.name}")
        return out

    def _do_give(self, cmd: Command) -> Outcome:
        who = self._person(Command("give", target=cmd.arg))
        item = self.world.items.get(cmd.target)
        if item is None or item.holder != self.player:
            raise CommandError("you don't carry that")
        self._spend(Action(GIVE, who, item=item.id, duration=2))
        return Outcome([f"You give the {item.name} to {self.world.agents[who].name}."])

    def _do_accuse(self, cmd: Command) -> Outcome:
        verdict = self.judge(cmd.extra)
        self.world.perform(self.player, Action(WAIT, self.here(), duration=15))
        self._run_to(self.world.now + DURATIONS["accuse"])
        self.notebook.accusations.append({"loop": self.loop, "t": self.world.now,
                                          "entries": cmd.extra, "confirmed": verdict})
        if not verdict:
            return Outcome(["The magistrate hears you out, unconvinced. "
                            "Every culprit needs evidence of motive, means and opportunity."])
        names = []
        for entry in cmd.extra:
            self.rules.arrest(self.world, entry["culprit"])
            names.append(self.world.agents[entry["culprit"]].name)
        return Outcome([f"The magistrate is convinced. {', '.join(names)} "
                        f"{'is' if len(names) == 1 else 'are'} taken into custody."])

    def judge(self, entries: list[dict[str, str]]) -> bool:
        """True only if every named culprit has cited evidence for all three counts."""
        if not entries:
            return False
        for entry in entries:
            culprit = entry.get("culprit", "")
            for kind in ("motive", "means", "opportunity"):
                clue = self.notebook.clues.get(entry.get(kind, ""))
                if clue is None or {"culprit": culprit, "kind": kind} not in clue["evidence"]:
                    return False
        return True

    # ----------------------------------------------------------------- skipping
    def skip(self, kind: str, value: int = 0,
             progress: Callable[[int, int], None] | None = None,
             should_cancel: Callable[[], bool] | None = None) -> Outcome:
        """Let the town (and your own routine) run. Deterministic; cancellable."""
        if self.status != "playing":
            raise CommandError("the loop is over: rewind to play on")
        target = self.skip_target(kind, value)
        cmd = Command("skip", topic=kind, minutes=value)
        start_mem = len(self.me.memory)
        me = self.me

        def something_happened() -> bool:
            return any(n.importance >= 4 for n in me.memory.nodes[start_mem:]
                       if n.kind != "plan" and n.subject != self.player)

        stop = something_happened if kind == "event" else None
        self.world.set_controlled(self.player, False)
        cancelled = False
        try:
            def combined() -> bool:
                return (stop is not None and stop()) or (
                    should_cancel is not None and should_cancel())
            done = self._run_to(target, should_stop=combined, progress=progress)
            cancelled = not done and should_cancel is not None and should_cancel()
            while me.alive and me.location is None:
                self.world.run_until(self.world.next_decision_time() or self.world.now + 1)
        finally:
            if me.alive:
                self.world.set_controlled(self.player, True)
                self.world.finish_travel(self.player)
        if cancelled:
            cmd.minutes, cmd.topic = self.world.now, "until"  # replay stops where it was cut
        self.history.append(cmd.to_state())
        out = Outcome([f"Time passes... it is now {self.clock_text()}."], cancelled=cancelled)
        out.witnessed = self._collect_witnessed()
        self._check_loop_state(out)
        self._snapshot(cmd.to_state(), out.lines[-1])
        return out

    def skip_target(self, kind: str, value: int = 0) -> int:
        now = self.world.now
        day = now // MINUTES_PER_DAY
        if kind == "hours":
            return now + max(1, value) * 60
        if kind == "until":
            return max(now + 1, value)
        if kind == "tonight":
            t = day * MINUTES_PER_DAY + 21 * 60
            return t if t > now else t + MINUTES_PER_DAY
        if kind == "morning":
            return (day + 1) * MINUTES_PER_DAY + 7 * 60
        if kind == "days":
            return now + max(1, value) * MINUTES_PER_DAY
        if kind in ("event", "end"):
            return self.loop_end
        raise CommandError(f"skip to one of: {', '.join(SKIP_KINDS)}")

    # ----------------------------------------------------------------- loop
    def _check_loop_state(self, out: Outcome) -> None:
        if not self.me.alive:
            murder = self.rules.state["murders"][-1] if self.rules.state["murders"] else {}
            where = self.world.locations[murder.get("location", self.here())].name
            record = {"loop": self.loop, "t": self.world.now, "location": murder.get("location"),
                      "cause": murder.get("cause", "killed"),
                      "text": f"Loop {self.loop}: {murder.get('cause', 'killed')} at {where}, "
                              f"{self.world.calendar.format(murder.get('t', self.world.now))}."}
            self.notebook.deaths.append(record)
            clue_id = f"death:{murder.get('cause', 'killed')}"
            self.notebook.add_clue(clue_id, f"You were {murder.get('cause', 'killed')} "
                                   f"({where}).", self.loop, self.world.now, [], "death")
            self.status = "dead"
            out.lines.append(f"Darkness. You were {murder.get('cause', 'killed')} at {where}. "
                             "Rewind to try again: you will remember everything.")
            return
        if self.world.now >= self.loop_end:
            self.status = "ended"
            self.ending = self._ending()
            out.lines.append(f"{self.ending['title']}: {self.ending['text']}")

    def _ending(self) -> dict[str, Any]:
        for ending in self.spec["mystery"]["endings"]:
            if holds(ending["when"], self.world, self.rules):
                return ending
        return {"id": "loop", "title": "The loop closes",
                "text": "Nothing is settled. You wake again at the start.", "true_ending": False}

    def rewind(self, node_id: int | None = None) -> Outcome:
        """Go back to a snapshot (default: this loop's start). The notebook stays."""
        if node_id is None:
            node_id = self._loop_start_node()
        snap = self.tree.snapshot(node_id)
        # The mind is kept: its record of LLM answers spans every branch of the timeline.
        self.rules = MysteryRules(self.spec["mystery"])
        self.world = World.restore(snap["world"], self.mind, [self.rules])
        if hasattr(self.mind, "rewind"):
            self.mind.rewind(self.world.now)
        self.tree.head = node_id
        self.loop += 1
        self.status = "playing"
        self.ending = None
        self._seen_memory = len(self.me.memory)
        self.history.append(Command("rewind", arg=str(node_id)).to_state())
        self.feed.append((self.world.now, f"— Loop {self.loop} —"))
        return Outcome([f"You wake with a start. It is {self.clock_text()} (loop {self.loop})."])

    def _loop_start_node(self) -> int:
        path = self.tree.path_to(self.tree.head) if self.tree.head is not None else [0]
        return path[0]

    # ----------------------------------------------------------------- knowledge
    def _learn_fact(self, fact_id: str, source: str) -> list[str]:
        new: list[str] = []
        self.world.learn_fact(self.me, fact_id, source)
        if self.notebook.add_fact(fact_id):
            evidence = self.spec["mystery"]["fact_evidence"].get(fact_id, [])
            clue_id = f"fact:{fact_id}"
            if self.notebook.add_clue(clue_id, self.world.facts[fact_id].text, self.loop,
                                      self.world.now, evidence, source):
                new.append(clue_id)
        return new

    def _collect_witnessed(self) -> list[str]:
        """Turn the player's new memories into feed lines and emergent clues."""
        me, w = self.me, self.world
        lines: list[str] = []
        nodes = me.memory.nodes[self._seen_memory:]
        self._seen_memory = len(me.memory)
        means = {m for p in self.spec["mystery"]["plots"] for m in p["means"]}
        for node in nodes:
            if node.kind == "plan" or node.subject == self.player:
                continue
            if node.importance >= 2 or node.kind == "conversation":
                text = f"{w.calendar.short(node.created)} {node.text}"
                lines.append(text)
                self.feed.append((node.created, node.text))
            where = next((t for t in node.tags if t in w.locations), "")
            if node.kind == "observation" and where and node.subject in w.agents:
                self.notebook.add_sighting(self.loop, node.subject, where, node.created)
            if node.predicate == "take" and node.object in means:
                self.notebook.add_clue(
                    f"witness:take:{node.subject}:{node.object}",
                    f"You saw {w.agents[node.subject].name} take the "
                    f"{w.items[node.object].name}.", self.loop, node.created,
                    [{"culprit": node.subject, "kind": "means"}], "witnessed")
            elif node.predicate == "conspire":
                self.notebook.add_clue(
                    f"witness:conspire:{node.subject}", node.text + ".", self.loop, node.created,
                    [{"culprit": node.subject, "kind": "motive"}], "witnessed")
            if node.object in w.facts:
                self._learn_fact(node.object, "overheard")
        for fact_id in list(me.known_facts):
            if fact_id not in self.notebook.facts:
                self._learn_fact(fact_id, "heard")
        self.feed = self.feed[-200:]
        return lines

    def _parse_time(self, text: str) -> int:
        """'20:00' (today), '2 20:00' (loop day 2) or minutes as an int string."""
        parts = text.split()
        try:
            if len(parts) == 1 and ":" not in parts[0]:
                return int(parts[0])
            hh, mm = parts[-1].split(":")
            minute = int(hh) * 60 + int(mm)
            start_day = self.rules.state["loop_start"] // MINUTES_PER_DAY
            day = start_day + int(parts[0]) - 1 if len(parts) == 2 else self.world.day()
            return day * MINUTES_PER_DAY + minute
        except (ValueError, IndexError):
            raise CommandError(f"expected a time like '20:00' or '2 20:00', got {text!r}") from None

    def _say(self, text: str) -> None:
        self.feed.append((self.world.now, text))

    def time_label(self, t: int) -> str:
        return format_hhmm(t % MINUTES_PER_DAY)
