"""A game session: the one door every front end (desktop, text mode, CLI, replays) goes through.

It owns the loop's lifecycle: the world and its rules, the player's notebook (which
survives rewinds), the timeline tree and the history of canonical commands that replays the
whole game from the seed. ``do`` handles every verb, skip and rewind included: it looks the
verb up in ``game.mystery.verbs``, prepares it (names to ids, no time spent), runs it,
records it and snapshots. What front ends read comes from ``game.views``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from game import digest, views
from game.commands import Command, CommandError, Outcome, parse_time
from game.engine.clock import MINUTES_PER_DAY, format_hhmm
from game.engine.world import World
from game.minds.factory import close_mind, make_mind
from game.minds.scripted import ScriptedMind
from game.mystery.accusation import Verdict
from game.mystery.clues import known_from_start, learn_fact
from game.mystery.lookup import Lookup
from game.mystery.news import add_news_facts
from game.mystery.notebook import Notebook
from game.mystery.play import Hooks, Play, ProgressFn
from game.mystery.probe import PlotProbe, probe
from game.mystery.rules import MysteryRules
from game.mystery.verbs import VERBS, after_command, skip_target
from game.mystery.wording import plural
from game.scenario.build import build_spec, story_hash
from game.scenario.errors import StoryError, StoryProblem
from game.scenario.feasibility import Sighting, sightings
from game.scenario.loader import LoadResult, load_story, load_story_text, resolve_story_path
from game.scenario.schema import MAX_SEED
from game.timeline.tree import TimelineTree

__all__ = [
    "MAX_SEED", "MINUTES_PER_DAY", "Command", "CommandError", "GameSession", "LoadResult",
    "MindFactory", "PlotProbe", "Sighting", "Verdict", "format_hhmm", "sightings",
    "MindUnavailable", "Outcome", "ProgressFn", "StoryError", "StoryProblem", "TimelineTree",
    "close_mind", "load_story", "load_story_text", "make_mind", "open_mind", "parse_time",
    "plural", "resolve_story_path", "story_hash", "story_schema", "VERB_NAMES",
]
VERB_NAMES = frozenset([*VERBS, "rewind"])  # every verb a player (or a save) may use

FEED_LENGTH = 200
MindFactory = Callable[[], Any]


def story_schema() -> dict[str, Any]:
    """The story files' JSON Schema, for editors."""
    from game.scenario.schema import Story

    return Story.model_json_schema()


class MindUnavailable(Exception):
    """The mind asked for cannot start (no llama-cpp-python, no model file); one line."""


def open_mind(backend: str, *, base_url: str | None = None, model: str | None = None,
              gguf: str | None = None) -> MindFactory | None:
    """A factory for the mind a player asked for (None: the scripted default). The mind is
    made at once, so a local model server starts, or fails with one line, before play."""
    if backend == "scripted":
        return None
    try:
        mind = make_mind(backend, base_url=base_url, model=model, gguf=gguf)
    except Exception as exc:  # noqa: BLE001 - missing packages, bad files: one line each
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MindUnavailable(f"the {backend} mind cannot start: {reason}") from None
    return lambda: mind


class GameSession:
    def __init__(self, story: str | Path | LoadResult, seed: int | None = None,
                 mind_factory: MindFactory | None = None) -> None:
        result = story if isinstance(story, LoadResult) else load_story(story)
        if not result.ok:
            raise StoryError(result.errors)
        assert result.story is not None
        self.story_result = result
        self.story = result.story
        self.content_hash = story_hash(result.text)
        self.spec = build_spec(self.story, self.content_hash)
        add_news_facts(self.spec)
        self.seed = self.story.scenario.seed if seed is None else seed
        self.mind = (mind_factory or ScriptedMind)()
        self.mind_factory = mind_factory
        self.player: str = self.story.scenario.player
        self.notebook = Notebook()
        self.tree = TimelineTree()
        self.history: list[dict[str, Any]] = []
        self.feed: list[tuple[int, str]] = []
        self.loop = 0
        self.status = "new"  # playing | dead | ended
        self.ending: dict[str, Any] | None = None
        self.notice = ""  # one line for the player about the mind (e.g. an unreachable model)
        self.node_outcomes: dict[int, str] = {}  # timeline node -> "death" or the ending's title
        self.span: tuple[int, int] = (0, 0)  # world minutes the last command ran from and to
        self.play: Play

    # ----------------------------------------------------------------- lifecycle
    @property
    def scenario_id(self) -> str:
        return str(self.spec["scenario_id"])

    @property
    def world(self) -> World:
        return self.play.world

    @property
    def rules(self) -> MysteryRules:
        return self.play.rules

    @property
    def story_text(self) -> str:
        return self.story_result.text

    def start(self) -> None:
        rules = MysteryRules(self.spec["mystery"])
        world = World(self.spec, self.seed, self.mind, [rules])
        rules.state["loop_start"] = world.now
        self.loop = 1
        self.status = "playing"
        self.play = Play(world, rules, self.notebook, self.spec["mystery"], self.loop)
        for fact_id in list(self.play.me.known_facts):
            learn_fact(self.play, fact_id, known_from_start(self.play, fact_id))
        self.span = (world.now, world.now)
        self._snapshot(None, "The loop begins.")
        self.feed.append((world.now, self.spec["mystery"]["intro"]))
        probe = getattr(self.mind, "check_reachable", None)
        if callable(probe):
            self.notice = probe() or ""

    def reload_story(self) -> list[str]:
        """Read the story file again and replay this session's history on it, so play goes
        on at the same node of the new story. Returns the problems, one line each; when
        there are any, the running story is kept unchanged."""
        result = load_story(self.story_result.file)
        if not result.ok:
            return [str(p) for p in result.errors] or [f"{result.file}: cannot be used"]
        fresh = GameSession(result, seed=self.seed, mind_factory=lambda: self.mind)
        fresh.start()
        for i, entry in enumerate(self.history):
            command = Command.from_state(entry)
            try:
                fresh.do(command)
            except CommandError as exc:
                return [f"{result.file}: the story changed too much to replay command "
                        f"{i + 1} ({command.verb}): {exc}; kept the old story"]
        fresh.mind_factory = self.mind_factory
        self.__dict__.update(fresh.__dict__)
        return []

    def plot_probes(self) -> list[PlotProbe]:
        """What each plot waits for right now (a writer's `validate --explain`)."""
        return probe(self.world, self.rules)

    def close(self) -> None:
        """Release the mind: LLM threads, a local model server. Safe to call twice."""
        close_mind(self.mind)

    def __enter__(self) -> GameSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def loop_end(self) -> int:
        return self.play.loop_end

    def _snapshot(self, command: dict[str, Any] | None, summary: str) -> int:
        state = {"world": self.world.snapshot(),
                 "session": {"loop": self.loop, "status": self.status}}
        return self.tree.add(self.tree.head, command, self.world.now, summary, state,
                             self.world.log.digest)

    # ----------------------------------------------------------------- actions
    def do(self, cmd: Command, on_text: Callable[[str], None] | None = None,
           progress: ProgressFn | None = None,
           cancel: Callable[[], bool] | None = None) -> Outcome:
        """Perform one player command; raises CommandError, before any time passes, if it is
        impossible now. ``on_text`` receives a free-text reply as a model streams it;
        ``progress(now, target)`` and ``cancel()`` serve long skips."""
        verb = cmd.verb.strip().lower()
        if verb == "rewind":
            return self.rewind(self._rewind_node(cmd.arg))
        if self.status != "playing":
            raise CommandError("this loop is over: rewind to play on")
        entry = VERBS.get(verb)
        if entry is None:
            raise CommandError(f"unknown action {cmd.verb!r}; try one of: "
                               f"{', '.join([*VERBS, 'rewind'])}")
        play = self.play
        play.world.finish_travel(self.player)
        canonical = entry.prepare(play, Lookup(play.world, self.notebook, self.player),
                                  Command(verb, cmd.target, cmd.topic, cmd.arg, cmd.minutes,
                                          [dict(e) for e in cmd.extra]))
        play.hooks = Hooks(on_text, progress, cancel)
        began = play.world.now
        try:
            outcome = VERBS[canonical.verb].run(play, canonical)  # a 'say' may become an 'ask'
        finally:
            play.hooks = Hooks()
        self.history.append(canonical.to_state())
        self.span = (began, play.world.now)
        witnessed, clues = after_command(play)
        for t, text in witnessed:
            outcome.witnessed.append(f"{play.world.calendar.short(t)} {text}")
            self.feed.append((t, text))
        outcome.new_clues += [c for c in clues if c not in outcome.new_clues]
        self.feed = self.feed[-FEED_LENGTH:]
        self.status, self.ending, lines = play.settle()
        outcome.lines += lines
        summary = outcome.lines[-1] if verb == "skip" else (outcome.lines or [verb])[0]
        node = self._snapshot(canonical.to_state(), summary)
        if self.status == "dead":
            self.node_outcomes[node] = "death"
        elif self.status == "ended" and self.ending is not None:
            self.node_outcomes[node] = str(self.ending["title"])
        return outcome

    def skip(self, kind: str, value: int = 0, progress: ProgressFn | None = None,
             should_cancel: Callable[[], bool] | None = None) -> Outcome:
        """Shorthand for ``do(Command("skip", topic=kind, minutes=value))``."""
        return self.do(Command("skip", topic=kind, minutes=value), progress=progress,
                       cancel=should_cancel)

    def run_town_until(self, t: int, progress: ProgressFn | None = None) -> None:
        """Let the town go on past the loop's end or the player's death (a writer's headless
        run: ``hindsight simulate``). Nothing is recorded in the timeline."""
        self.world.run_until(t, progress=progress)

    def skip_target(self, kind: str, value: int = 0) -> int:
        """Where a skip would stop (for progress bars); the loop's end caps it."""
        return skip_target(self.play, kind, value)

    def rewind(self, node_id: int | None = None) -> Outcome:
        """Go back to a snapshot (default: this loop's start). The notebook stays."""
        if node_id is None:
            node_id = self.tree.path_to(self.tree.head)[0] if self.tree.head is not None else 0
        snap = self.tree.snapshot(node_id)
        # The mind is kept: its record of model answers spans every branch of the timeline.
        rules = MysteryRules(self.spec["mystery"])
        world = World.restore(snap["world"], self.mind, [rules])
        rewound = getattr(self.mind, "rewind", None)
        if callable(rewound):
            rewound(world.now)
        self.tree.head = node_id
        self.loop += 1
        self.status = "playing"
        self.ending = None
        self.play = Play(world, rules, self.notebook, self.spec["mystery"], self.loop)
        self.history.append(Command("rewind", arg=str(node_id)).to_state())
        self.feed.append((world.now, f"— Loop {self.loop} —"))
        return Outcome([f"You wake with a start. It is {self.clock_text()} (loop {self.loop})."])

    def _rewind_node(self, arg: str) -> int | None:
        text = arg.strip()
        if not text:
            return None
        if not text.lstrip("-").isdigit() or len(text) > 9:
            raise CommandError(f"rewind to a timeline node number (see 'timeline'), not "
                               f"{text!r}")
        node = int(text)
        if not 0 <= node < len(self.tree):
            raise CommandError(f"there is no timeline node {node}: nodes run from 0 to "
                               f"{len(self.tree) - 1}")
        return node

    def fingerprint(self) -> Any:
        """Everything a front end could change, as a deep copy (tests check that drawing a
        frame changes none of it)."""
        import copy

        return copy.deepcopy((self.world.snapshot(), self.notebook.to_state(), self.history,
                              self.status, self.loop, len(self.tree), self.feed))

    # ----------------------------------------------------------------- reading
    @property
    def me(self) -> Any:
        return self.play.me

    def here(self) -> str:
        return self.play.here()

    @property
    def now(self) -> int:
        """The world's minute (since midnight of the story's first day)."""
        return self.world.now

    def clock_text(self) -> str:
        return self.world.calendar.format(self.world.now)

    def time_label(self, t: int) -> str:
        return format_hhmm(t % MINUTES_PER_DAY)

    def when(self, t: int) -> str:
        """A world minute as the player reads it: 'Day 3 (Wed 4 Mar), 14:05'."""
        return self.world.calendar.format(t)

    def parse_time(self, text: str, prefer: str = "past") -> int:
        return self.play.parse_time(text, prefer)

    @property
    def mind_may_block(self) -> bool:
        """True when the mind may wait on the network (a model): run commands off the UI
        thread."""
        return getattr(self.mind, "name", "scripted") != "scripted"

    @property
    def free_text(self) -> bool:
        """True when a model answers the player's own words (the scripted minds understand
        only the menu questions, in plain words)."""
        return hasattr(self.mind, "answer_player")

    def visible_people(self) -> list[dict[str, Any]]:
        return views.people_here(self)

    def locations(self) -> list[dict[str, Any]]:
        return views.places(self)

    def connections(self) -> list[list[Any]]:
        return list(self.spec["connections"])

    def items_here(self) -> list[dict[str, str]]:
        return views.items_here(self)

    def inventory(self) -> list[dict[str, str]]:
        return views.inventory(self)

    def known_facts(self) -> list[dict[str, str]]:
        return views.known_facts(self)

    def suspects(self) -> list[dict[str, str]]:
        return views.suspects(self)

    def name_of(self, ident: str) -> str:
        """The name a player sees for a person, place or item id."""
        w = self.world
        for table in (w.agents, w.locations, w.items):
            if ident in table:
                return str(table[ident].name)
        return ident

    def fact_or_name(self, ident: str) -> str:
        """A fact's text in quotes, or the name of a person, place or item."""
        if ident in self.world.facts:
            return f"“{self.world.facts[ident].text}”"
        return self.name_of(ident)

    def person(self, agent_id: str) -> dict[str, Any]:
        """One person as the player may see them: name, role, activity, asleep, here."""
        return views.person(self, agent_id)

    def resolve(self, kind: str, text: str) -> str:
        """What the player typed -> an id: kind is person, place, item, fact or clue."""
        return Lookup(self.world, self.notebook, self.player).thing(text, (kind,)).id

    def examine(self, text: str) -> list[str]:
        """Look closely at an item here or carried, or a clue in the notebook (no time)."""
        return views.examine(self, text)

    def describe_action(self, action: dict[str, Any] | None) -> str:
        """A recorded command in the player's words (names, not ids)."""
        return views.describe_action(self, action)

    def timeline_rows(self) -> list[views.TimelineRow]:
        return views.timeline_rows(self)

    def judge(self, entries: list[dict[str, str]]) -> bool:
        from game.mystery.accusation import judge

        return judge(self.play, entries)

    def weigh(self, entries: list[dict[str, str]]) -> Verdict:
        """What the law would make of an accusation now, without making it (no time passes)."""
        from game.mystery.accusation import weigh

        return weigh(self.play, entries)

    def law_here(self) -> list[str]:
        """Names of the law who are with the player and could hear an accusation now."""
        from game.mystery.accusation import law_here

        return [a.name for a in law_here(self.play)]

    def digest(self, since: int | None = None, until: int | None = None
               ) -> list[digest.DigestDay]:
        """What reached the player between two world minutes, day by day (default: the
        last command's span). ``digest(loop_start)`` is this loop's full chronicle."""
        a, b = self.span
        return digest.digest(self, a if since is None else since, b if until is None else until)

    @property
    def loop_start(self) -> int:
        return int(self.rules.state["loop_start"])

    def clue_number(self, clue_id: str) -> int:
        return self.notebook.number(clue_id)

    def clue_kind(self, clue_id: str) -> str:
        """'testimony: Rosa Finch': the clue's kind and source, as the notebook shows them."""
        from game.mystery.evidence import describe

        return describe(self.notebook.clues[clue_id])
