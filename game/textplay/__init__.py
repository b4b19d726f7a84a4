"""The terminal front end: `hindsight play --text`, optionally fed from a command file.

One line is one command. Words become a session ``Command`` here; names, prefixes and ids
are resolved by the session, which also refuses anything impossible with one line and no
game time spent. Nothing a player types can end the program: every failure is one line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from game.records.paths import list_slots, saves_dir, slot_path
from game.records.replay import ReplayError
from game.records.savefile import SaveError
from game.records.saving import load_session, save_session
from game.session import Command, CommandError, GameSession

from . import pages

log = logging.getLogger("hindsight.textplay")

HELP = """Commands (names, or the start of a name, work for people, places and things):
  look                          where you are, who is here, what lies here
  people | map | inventory      who is here · the places and travel times · what you carry
  notebook | clues              your clues (numbered), their kind and source, deaths so far
  chronicle                     everything that reached you in this loop, day by day
  examine ITEM|CLUE             look closely at an item here or carried, or a clue (number)
  go PLACE                      walk somewhere (takes the travel time)
  greet PERSON                  say hello
  ask PERSON where TIME         where were they? TIME: 20:00, 8pm, tue 10:00, yesterday 21:30,
                                  or 2 20:00 (loop day 2)
  ask PERSON about THING        a person, an item or a fact you know
  ask PERSON unusual            has anything odd happened?
  say PERSON WORDS              speak freely (a model mind answers in its own words; the
                                  scripted minds understand the questions above in plain words)
  tell PERSON FACT              pass on something you know (the law may act on it)
  show PERSON ITEM|CLUE         show something you carry or a clue from your notebook
  warn PERSON about PERSON      warn someone about someone else
  stay PERSON                   ask someone to keep you company tonight
  search                        search this place (20 min)
  take ITEM                     pick up an item here
  give ITEM to PERSON           hand over an item you carry
  wait [MINUTES]                let time pass where you are (default 30, at most 720)
  skip hours N | days N         let the town run (you follow your routine)
  skip until TIME               ... until a time (see TIME above)
  skip tonight | morning        ... until 21:00, or 07:00 tomorrow
  skip event | end              ... until something happens to you, or to the loop's end
  accuse PERSON MOTIVE MEANS OPPORTUNITY [; PERSON ...]
                                to the law, in person: name each culprit and the number of
                                  a clue for each count (proof must hold in this loop)
  timeline                      the timeline's nodes: id, time, what you did, what came of it
  rewind [NODE]                 back to this loop's start, or to a timeline node
  save [SLOT] | load SLOT|FILE | saves    save, load, list saves
  reload                        read the story file again (after you edit it) and replay
                                  your commands on it; a story with errors is not loaded
  help | quit"""

INFO = ("look", "people", "map", "inventory", "notebook", "clues", "help", "timeline", "saves",
        "chronicle")
ASK_WORDS = ("where", "about", "unusual")
_UNITS = {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "h": 60, "hr": 60,
          "hrs": 60, "hour": 60, "hours": 60}
MAX_LINE = 2000
MAX_NAME_WORDS = 4
WITNESS_SHOWN = 12


class TextGame:
    def __init__(self, session: GameSession, out: TextIO, *, saving: bool = False,
                 saves_dir: str | None = None) -> None:
        self.s = session
        self.out = out
        self.saving = saving or saves_dir is not None
        self.saves_dir = saves_dir
        self.streamed = ""
        self.speaker = ""

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    # ----------------------------------------------------------------- parsing
    def parse(self, line: str) -> Command | Callable[[], None] | str | None:
        """A Command for the session, an info action to run, a message, or None (blank)."""
        text = line.strip()[:MAX_LINE]
        if not text or text.startswith("#"):
            return None
        words = text.split()
        verb, args = words[0].lower(), words[1:]
        rest = " ".join(args)
        if verb in ("quit", "exit", "q"):
            return "quit"
        if verb in INFO:
            return getattr(self, f"show_{'notebook' if verb == 'clues' else verb}")
        if verb in ("examine", "x", "inspect"):
            return lambda: self.examine(rest)
        if verb == "save":
            return lambda: self.say(self.save(rest or "quicksave"))
        if verb == "load":
            return lambda: self.load(rest)
        if verb == "reload":
            return self.reload
        if verb == "go":
            return Command("go", target=_strip_to(rest))
        if verb in ("greet", "stay", "search", "take"):
            return Command(verb, target=rest)
        if verb == "ask":
            return self._ask(args)
        if verb in ("say", "tell", "show"):
            who, what = self._person_and_rest(args)
            return Command(verb, target=who, arg=what)
        if verb == "warn":
            who, what = self._person_and_rest(args)
            return Command("warn", target=who, arg=re.sub(r"^about\s+", "", what))
        if verb == "give":
            item, _, who = rest.rpartition(" to ")
            if not item:
                item, who = self._split_give(args)
            return Command("give", target=item, arg=who)
        if verb == "wait":
            return Command("wait", minutes=_duration(args) if args else 0)
        if verb == "skip":
            return self._skip(args)
        if verb == "accuse":
            return self._accuse(rest)
        if verb == "rewind":
            return Command("rewind", arg=rest)
        return f"I don't understand {text[:60]!r}. Type 'help' for the commands."

    def _ask(self, args: list[str]) -> Command:
        lowered = [a.lower() for a in args]
        for i, word in enumerate(lowered):
            if i and word in ASK_WORDS:
                who = " ".join(args[:i])
                tail = " ".join(args[i + 1:])
                if word == "where":
                    tail = re.sub(r"^(?:were you|was|at|on)\s+", "", tail)
                return Command("ask", target=who, topic=word, arg=tail)
        raise CommandError("ask PERSON where TIME, ask PERSON about THING, or "
                           "ask PERSON unusual")

    def _person_and_rest(self, args: list[str]) -> tuple[str, str]:
        """The longest run of leading words that names a person, and the words after it."""
        if not args:
            raise CommandError("name a person first")
        for k in range(min(MAX_NAME_WORDS, len(args)), 0, -1):
            name = " ".join(args[:k]).rstrip(",:")
            try:
                self.s.resolve("person", re.sub(r"^to\s+", "", name))
            except CommandError:
                continue
            return re.sub(r"^to\s+", "", name), " ".join(args[k:]).lstrip(",: ")
        return args[0].rstrip(",:"), " ".join(args[1:])

    def _split_give(self, args: list[str]) -> tuple[str, str]:
        for k in range(len(args) - 1, 0, -1):
            try:
                self.s.resolve("person", " ".join(args[k:]))
            except CommandError:
                continue
            return " ".join(args[:k]), " ".join(args[k:])
        raise CommandError("give ITEM to PERSON")

    def _skip(self, args: list[str]) -> Command:
        if not args:
            raise CommandError("skip hours N, days N, until TIME, tonight, morning, event "
                               "or end")
        kind = args[0].lower()
        if len(args) == 2 and args[1].lower() in ("hours", "hour", "h", "days", "day", "d"):
            kind, args = args[1].lower(), [args[1], args[0]]  # 'skip 2 hours'
        kind = {"hour": "hours", "h": "hours", "day": "days", "d": "days", "to": "until",
                "night": "tonight", "evening": "tonight", "dawn": "morning"}.get(kind, kind)
        return Command("skip", topic=kind, arg=" ".join(args[1:]))

    def _accuse(self, rest: str) -> Command:
        entries = []
        for chunk in rest.split(";"):
            words = chunk.split()
            if len(words) < 4:
                raise CommandError("accuse PERSON MOTIVE MEANS OPPORTUNITY: a clue number from "
                                   "your notebook for each")
            entries.append({"culprit": " ".join(words[:-3]), "motive": words[-3],
                            "means": words[-2], "opportunity": words[-1]})
        return Command("accuse", extra=entries)

    # ----------------------------------------------------------------- running
    def run(self, lines: Iterable[str], echo: bool = False) -> int:
        self.say(f"== {self.s.story.scenario.title} ==")
        if self.s.notice:
            self.say(f"! {self.s.notice}")
        self.say(self.s.spec["mystery"]["intro"])
        self.show_look()
        for line in lines:
            if echo:
                self.say(f"> {line.rstrip()}")
            if self.handle(line) == "quit":
                break
        return 0

    def handle(self, line: str) -> str:
        """One line of input; returns 'quit' to stop. Never raises."""
        try:
            parsed = self.parse(line)
            if parsed is None:
                return ""
            if parsed == "quit":
                return "quit"
            if isinstance(parsed, str):
                self.say(parsed)
            elif isinstance(parsed, Command):
                self.perform(parsed)
            else:
                parsed()
        except CommandError as exc:
            self.say(f"! {exc}")
        except Exception as exc:  # noqa: BLE001 - a bug must not cost the player the game
            log.debug("command %r failed", line, exc_info=True)
            self.say(f"! that went wrong inside the game ({type(exc).__name__}); "
                     "your game goes on")
        return ""

    def perform(self, cmd: Command) -> None:
        self.streamed = ""
        self.speaker = ""
        if cmd.verb == "say" and self.s.free_text:
            self.speaker = self.s.name_of(self.s.resolve("person", cmd.target))
        outcome = self.s.do(cmd, on_text=self._stream if self.s.free_text else None)
        if self.streamed:
            self.say()
        skipped = cmd.verb == "skip"
        if skipped:  # a skip reads as a digest, day by day, complete
            pages.digest(self.s, self.say)
        else:
            witnessed = outcome.witnessed
            if len(witnessed) > WITNESS_SHOWN:
                self.say(f"  · ({len(witnessed) - WITNESS_SHOWN} earlier lines: 'chronicle')")
            for w in witnessed[-WITNESS_SHOWN:]:
                self.say(f"  · {w}")
        for text in outcome.lines:
            if not (self.streamed and text.endswith(self.streamed)):
                self.say(text)
        if not skipped:
            for clue in outcome.new_clues:
                pages.new_clue(self.s, clue, self.say)
        if self.s.status == "dead":
            pages.death(self.s, self.say)
        if self.s.status == "ended" and self.s.ending is not None:
            self.say(f"*** ENDING: {self.s.ending['title']} ***")

    def _stream(self, text: str) -> None:
        """A model's reply as it arrives: print only what is new."""
        if not self.streamed:
            print(f"{self.speaker}: ", end="", file=self.out)
        if text.startswith(self.streamed):
            print(text[len(self.streamed):], end="", file=self.out, flush=True)
        self.streamed = text

    # ----------------------------------------------------------------- saves
    def save(self, slot: str) -> str:
        """Write a named slot into the saves folder; one line says where or why not."""
        if not self.saving:
            return "saving is off in scripted playthroughs (pass --saves-dir)"
        try:
            folder = saves_dir(self.saves_dir)
            folder.mkdir(parents=True, exist_ok=True)
            path = slot_path(folder, slot)
            save_session(self.s, path)
        except (SaveError, ValueError, OSError) as exc:
            return f"! could not save: {exc}"
        return f"saved to {path}"

    def load(self, what: str) -> None:
        if not what:
            raise CommandError("load SLOT or load FILE (see 'saves')")
        path = Path(what).expanduser()
        if not (path.suffix == ".hsav" and path.is_file()):
            try:
                path = slot_path(saves_dir(self.saves_dir), what)
            except SaveError as exc:
                raise CommandError(str(exc)) from None
        if not path.is_file():
            raise CommandError(f"no save called {what!r} (see 'saves')")
        try:
            loaded = load_session(path)
        except (ReplayError, SaveError) as exc:
            raise CommandError(f"could not load {path.name}: {exc}") from None
        self.s.close()
        self.s = loaded
        self.say(f"Loaded {path.name}: {loaded.story.scenario.title}, loop {loaded.loop}.")
        if loaded.notice:
            self.say(f"! {loaded.notice}")
        self.show_look()

    def reload(self) -> None:
        """The writer's hot reload: the edited story, at the same node, or its errors."""
        problems = self.s.reload_story()
        if problems:
            self.say("The story was not reloaded; the old one goes on:")
            for line in problems:
                self.say(f"  {line}")
            return
        self.say(f"Reloaded {self.s.story.scenario.title}: {self.s.clock_text()}, "
                 f"loop {self.s.loop}.")

    def show_saves(self) -> None:
        slots = list_slots(saves_dir(self.saves_dir))
        if not slots:
            self.say(f"  no saves yet in {saves_dir(self.saves_dir)}")
        for slot in slots:
            if slot.header is None:
                self.say(f"  {slot.slot}: unreadable ({slot.error})")
            else:
                h = slot.header
                self.say(f"  {slot.slot}: {h.scenario_id} — {h.summary} "
                         f"(saved {h.created[:16].replace('T', ' ')})")

    # ----------------------------------------------------------------- information
    def show_help(self) -> None:
        self.say(HELP)

    def show_look(self) -> None:
        pages.look(self.s, self.say)

    def show_people(self) -> None:
        pages.people(self.s, self.say)

    def show_map(self) -> None:
        pages.town_map(self.s, self.say)

    def show_inventory(self) -> None:
        pages.inventory(self.s, self.say)

    def show_notebook(self) -> None:
        pages.notebook(self.s, self.say)

    def show_timeline(self) -> None:
        pages.timeline(self.s, self.say)

    def show_chronicle(self) -> None:
        pages.digest(self.s, self.say, self.s.loop_start, self.s.now,
                     heading=f"Loop {self.s.loop}, as it reached you")

    def examine(self, what: str) -> None:
        if not what:
            raise CommandError("examine what? an item here or carried, or a clue id")
        for line in self.s.examine(what):
            self.say(line)


def _strip_to(text: str) -> str:
    return re.sub(r"^to\s+", "", text.strip(), flags=re.IGNORECASE)


def _duration(args: list[str]) -> int:
    """'45', '45 minutes', '2h', '1 hour' -> minutes. Raises CommandError."""
    text = " ".join(args).lower().replace(" ", "")
    m = re.fullmatch(r"([+-]?\d{1,6})([a-z]*)", text)
    if m is None or (m.group(2) and m.group(2) not in _UNITS):
        raise CommandError(f"wait how long? a number of minutes, like 'wait 45' or "
                           f"'wait 2 hours', not {' '.join(args)!r}")
    value = int(m.group(1)) * _UNITS.get(m.group(2) or "m", 1)
    if value <= 0:
        raise CommandError("wait a positive number of minutes")
    return value
