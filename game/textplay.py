"""The terminal front end: `hindsight play --text`, optionally fed from a command file.

It parses one line per command into a session ``Command`` and prints the outcome.
Names may be given as ids or as the first word of a name ("ask tess where 2 10:00").
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from typing import TextIO

from game.session import Command, CommandError, GameSession

HELP = """Commands (ids or first names):
  look | people | map | notebook | clues | help | quit
  go PLACE                      greet PERSON
  ask PERSON where [DAY] HH:MM  ask PERSON about PERSON|ITEM|FACT   ask PERSON unusual
  tell PERSON FACT              show PERSON ITEM|CLUE      warn PERSON ABOUT
  stay PERSON                   search     take ITEM       give ITEM PERSON
  wait MINUTES                  skip hours N | tonight | morning | days N | event | end
  accuse CULPRIT MOTIVE_CLUE MEANS_CLUE OPPORTUNITY_CLUE [; CULPRIT ...]
  rewind [NODE]                 save [SLOT]"""


class TextGame:
    def __init__(self, session: GameSession, out: TextIO, *, saving: bool = False,
                 saves_dir: str | None = None) -> None:
        self.s = session
        self.out = out
        self.saving = saving or saves_dir is not None
        self.saves_dir = saves_dir

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def resolve(self, word: str) -> str:
        w = word.lower()
        world = self.s.world
        for table in (world.agents, world.locations, world.items, world.facts):
            if w in table:
                return w
        for agent in world.agents.values():
            if agent.name.lower().split()[0] == w or agent.name.lower() == w:
                return agent.id
        for loc in world.locations.values():
            if loc.name.lower() == w or w in loc.name.lower().split():
                return loc.id
        return word

    def parse(self, line: str) -> Command | str | None:
        parts = shlex.split(line, comments=True)
        if not parts:
            return None
        verb, args = parts[0].lower(), parts[1:]
        r = self.resolve
        if verb in ("look", "people", "map", "notebook", "clues", "help", "quit"):
            return verb
        if verb == "save":
            return self.save(args[0] if args else "autosave")
        if verb == "go" and args:
            return Command("go", target=r(" ".join(args)) if len(args) > 1 else r(args[0]))
        if verb in ("greet", "stay") and args:
            return Command(verb, target=r(args[0]))
        if verb == "ask" and len(args) >= 2:
            who, topic = r(args[0]), args[1].lower()
            if topic == "where":
                return Command("ask", target=who, topic="where", arg=" ".join(args[2:]))
            if topic == "unusual":
                return Command("ask", target=who, topic="unusual")
            if topic == "about" and len(args) >= 3:
                thing = r(args[2])
                w = self.s.world
                kind = ("person" if thing in w.agents else "item" if thing in w.items
                        else "fact" if thing in w.facts else "")
                return Command("ask", target=who, topic=kind, arg=thing)
        if verb in ("tell", "show", "warn") and len(args) >= 2:
            return Command(verb, target=r(args[0]), arg=r(args[1]) if verb == "warn" else args[1])
        if verb == "search":
            return Command("search")
        if verb == "take" and args:
            return Command("take", target=r(args[0]))
        if verb == "give" and len(args) >= 2:
            return Command("give", target=r(args[0]), arg=r(args[1]))
        if verb == "wait":
            return Command("wait", minutes=int(args[0]) if args else 30)
        if verb == "skip" and args:
            value = 0
            if args[0] == "until":
                value = self.s._parse_time(" ".join(args[1:]))
            elif len(args) > 1:
                value = int(args[1])
            return Command("skip", topic=args[0], minutes=value)
        if verb == "accuse" and args:
            entries = []
            for chunk in " ".join(args).split(";"):
                words = chunk.split()
                if len(words) != 4:
                    return "accuse needs: CULPRIT MOTIVE_CLUE MEANS_CLUE OPPORTUNITY_CLUE"
                entries.append({"culprit": r(words[0]), "motive": words[1], "means": words[2],
                                "opportunity": words[3]})
            return Command("accuse", extra=entries)
        if verb == "rewind":
            return Command("rewind", arg=args[0] if args else "")
        return f"I don't understand {line!r}. Type 'help'."

    def run(self, lines: Iterable[str], echo: bool = False) -> int:
        self.say(f"== {self.s.story.scenario.title} ==")
        self.say(self.s.spec["mystery"]["intro"])
        self.look()
        for line in lines:
            if echo:
                self.say(f"> {line.rstrip()}")
            cmd = self.parse(line)
            if cmd is None:
                continue
            if cmd == "quit":
                break
            if isinstance(cmd, str):
                self.info(cmd)
                continue
            try:
                if cmd.verb == "skip":
                    outcome = self.s.skip(cmd.topic, cmd.minutes)
                else:
                    outcome = self.s.do(cmd)
            except CommandError as exc:
                self.say(f"! {exc}")
                continue
            for w in outcome.witnessed[-8:]:
                self.say(f"  · {w}")
            for text in outcome.lines:
                self.say(text)
            for clue in outcome.new_clues:
                self.say(f"  [new clue] {clue}: {self.s.notebook.clues[clue]['text']}")
            if self.s.status == "ended":
                self.say(f"*** ENDING: {self.s.ending['title']} ***")
        self.say(f"Final digest: {self.s.world.log.digest}")
        return 0

    def save(self, slot: str) -> str:
        """Write a named slot (or the autosave) into the saves folder."""
        from game.timeline.paths import saves_dir, slot_path
        from game.timeline.savefile import SaveError
        from game.timeline.saving import save_session

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

    def info(self, what: str) -> None:
        s = self.s
        if what == "help":
            self.say(HELP)
        elif what == "look":
            self.look()
        elif what == "people":
            for p in s.visible_people():
                self.say(f"  {p['id']}: {p['name']}, {p['role']} — {p['activity'] or 'idle'}")
        elif what == "map":
            for loc in s.locations():
                mark = "*" if loc["here"] else " "
                self.say(f" {mark} {loc['id']}: {loc['name']} ({loc['travel']} min)"
                         f"{'' if loc['open'] else ' [closed]'}")
        elif what in ("notebook", "clues"):
            for cid, clue in s.notebook.clues.items():
                self.say(f"  {cid}: {clue['text']}")
            for c in s.notebook.contradictions:
                self.say(f"  contradiction about {c['subject']}: {c['a_says']} vs {c['b_says']}")
            for d in s.notebook.deaths:
                self.say(f"  {d['text']}")
        else:
            self.say(what)

    def look(self) -> None:
        s = self.s
        loc = s.world.locations[s.here()]
        people = ", ".join(p["name"] for p in s.visible_people()) or "nobody"
        self.say(f"[{s.clock_text()}] {loc.name}. Here: {people}.")
