"""The game in progress as the player's verbs see it: one world, its rules, the notebook.

``Play`` is what every verb in ``verbs.py`` receives. It spends the player's game time,
runs the town for as long as that takes (never past the loop's end or the player's
death), and settles the loop afterwards: a death or an ending. It knows nothing of the
timeline or of front ends; the session wraps it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from game.commands import CommandError, parse_time
from game.engine.actions import Action
from game.engine.clock import MINUTES_PER_DAY
from game.engine.model import Agent
from game.engine.world import InvalidAction, World

from .conditions import holds
from .notebook import Notebook
from .rules import LoopKnowledge, MysteryRules

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
TextFn = Callable[[str], None]
NO_ENDING = {"id": "loop", "title": "The loop closes",
             "text": "Nothing is settled. You wake again at the start.", "true_ending": False}


@dataclass
class Hooks:
    """What a front end passes in for one command: streamed text, progress, a cancel check."""

    on_text: TextFn | None = None
    progress: ProgressFn | None = None
    cancel: CancelFn | None = None


class Play:
    def __init__(self, world: World, rules: MysteryRules, notebook: Notebook,
                 mystery: dict[str, Any], loop: int) -> None:
        self.world = world
        self.rules = rules
        self.notebook = notebook
        self.mystery = mystery
        self.player: str = mystery["player"]
        self.loop = loop
        self.hooks = Hooks()
        self.seen_memory = len(self.me.memory)
        rules.knowledge = LoopKnowledge(notebook.clues, notebook.deaths, loop)

    # ----------------------------------------------------------------- queries
    @property
    def me(self) -> Agent:
        return self.world.agents[self.player]

    def here(self) -> str:
        me = self.me
        return me.location or me.travel_to or me.home

    @property
    def loop_end(self) -> int:
        start = self.rules.state["loop_start"] // MINUTES_PER_DAY
        return (start + self.mystery["loop_days"]) * MINUTES_PER_DAY

    def loop_start_day(self) -> int:
        return self.rules.state["loop_start"] // MINUTES_PER_DAY

    def parse_time(self, text: str, prefer: str = "past") -> int:
        """A time the player typed, as a world minute (see ``game.commands.parse_time``)."""
        w = self.world
        return parse_time(text, now=w.now, loop_start_day=self.loop_start_day(),
                          weekday_of_day0=w.calendar.start_date.weekday(), prefer=prefer)

    def person_here(self, agent_id: str) -> Agent:
        """The agent, if they are alive and with the player; else a CommandError."""
        agent = self.world.agents.get(agent_id)
        if agent is None or agent_id == self.player:
            raise CommandError(f"there is nobody called {agent_id!r}")
        if not agent.alive or agent.location != self.here():
            raise CommandError(f"{agent.name} is not here")
        return agent

    # ----------------------------------------------------------------- time
    def spend(self, action: Action) -> int:
        """The player performs ``action``; the town runs for as long as it takes."""
        try:
            minutes = self.world.perform(self.player, action)
        except InvalidAction as exc:
            raise CommandError(str(exc)) from None
        self.run_to(self.world.now + minutes)
        return minutes

    def run_to(self, t: int, should_stop: CancelFn | None = None) -> bool:
        """Run the town to ``t`` (capped at the loop's end). False if stopped early."""
        me = self.me

        def stop() -> bool:
            return not me.alive or (should_stop is not None and should_stop())

        done = self.world.run_until(min(t, self.loop_end), progress=self.hooks.progress,
                                    should_stop=stop)
        if me.alive:
            self.world.finish_travel(self.player)
        return done

    # ----------------------------------------------------------------- the loop
    def settle(self) -> tuple[str, dict[str, Any] | None, list[str]]:
        """After a command: ('dead', None, lines), ('ended', ending, lines) or ('playing', …)."""
        w = self.world
        if not self.me.alive:
            murders = self.rules.state["murders"]
            murder = murders[-1] if murders else {}
            where = w.locations[murder.get("location") or self.here()].name
            cause = murder.get("cause", "killed")
            when = w.calendar.format(murder.get("t", w.now))
            self.notebook.deaths.append({"loop": self.loop, "t": w.now,
                                         "location": murder.get("location"), "cause": cause,
                                         "text": f"Loop {self.loop}: {cause} at {where}, "
                                                 f"{when}."})
            self.notebook.add_clue(f"death:{cause}", f"You were {cause} ({where}).", self.loop,
                                   w.now, [], "your own death", "witnessed", self.player)
            return "dead", None, [f"Darkness. You were {cause} at {where}. "
                                  "Rewind to try again: you will remember everything."]
        if w.now >= self.loop_end:
            ending = next((e for e in self.mystery["endings"] if holds(e["when"], w, self.rules)),
                          NO_ENDING)
            return "ended", ending, [f"{ending['title']}: {ending['text']}"]
        return "playing", None, []
