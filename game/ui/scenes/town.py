"""The town: the map, the clock, who is with you, travel, and the event feed."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui

from game.session import Command
from game.ui import heap, style
from game.ui.mapview import MapView
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dim, esc, gold, label, textbox

SIDEBAR = 520


class TownScene(Scene):
    name = "town"
    hints = ("Click/Tab pick place · Enter go · T/1-9 talk · F search · G take · W wait · S skip · "
             "N notebook · L timeline · Ctrl+S save · F5 reload story · Esc title")

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.map = MapView(pygame.Rect(0, 0, 10, 10))
        self.mouse = (0, 0)
        self.result: list[str] = []
        self.person_buttons: dict[Any, str] = {}
        self.take_buttons: dict[Any, str] = {}

    def enter(self) -> None:
        """A calm moment (after a skip, a rewind or a load): see game/ui/heap.py."""
        heap.settle()
        super().enter()

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        sw = min(SIDEBAR, max(360, int(w * 0.27)))
        self.map.set_rect(pygame.Rect(0, 0, w - sw, h))
        self.map.refresh(self.session)
        x = w - sw + 10
        iw = sw - 20
        s = self.session
        self.clock = label(self, (x, 8, iw, 30), s.clock_text(), "@clock")
        here = self.map.loc(self.map.here) or {"name": "", "description": ""}
        label(self, (x, 38, iw, 22), f"Loop {s.loop} · {here['name']}", "@hint")
        y = 64
        self.person_buttons = {}
        people = self.map.people
        if people:
            for i, p in enumerate(people[:6]):
                act = " (asleep)" if p["asleep"] else (f" — {p['activity']}" if p["activity"]
                                                        else "")
                b = button(self, (x, y, iw, 32), f"{i + 1}. Talk to {p['name']}{act}",
                           f"{p['role']}. Press {i + 1} or T.")
                self.person_buttons[b] = p["id"]
                y += 36
        else:
            label(self, (x, y, iw, 26), "Nobody else is here.", "@hint")
            y += 30
        self.take_buttons = {}
        for item in s.items_here()[:3]:
            b = button(self, (x, y, iw, 30), f"Take: {item['name']}"
                       + (" (G)" if not self.take_buttons else ""),
                       "Pick it up: items can be shown to people")
            self.take_buttons[b] = item["id"]
            y += 34
        y += 4
        sel = self.map.loc(self.map.selected)
        if sel and not sel["here"]:
            go_text = f"Go to {sel['name']} ({sel['travel']} min)"
        else:
            go_text = "Pick a place on the map to travel"
        self.go = button(self, (x, y, iw, 36), go_text, "Enter: walk there", "@primary",
                         enabled=bool(sel and not sel["here"]))
        y += 42
        bw = (iw - 10) // 3
        self.b_search = button(self, (x, y, bw, 32), "Search (F)", "Search this place: 20 min")
        self.b_wait = button(self, (x + bw + 5, y, bw, 32), "Wait (W)", "Wait 30 minutes")
        self.b_skip = button(self, (x + 2 * (bw + 5), y, bw, 32), "Skip (S)",
                             "Let time pass: an hour, tonight, morning, days, the end")
        y += 36
        self.b_note = button(self, (x, y, bw, 32), "Notebook (N)", "Clues, testimonies, accuse")
        self.b_tree = button(self, (x + bw + 5, y, bw, 32), "Timeline (L)",
                             "The branches of time; rewind")
        self.b_save = button(self, (x + 2 * (bw + 5), y, bw, 32), "Save",
                             "Save to the 'quicksave' slot (Ctrl+S)")
        y += 40
        res = "<br>".join(gold(esc(t)) if t.startswith(("Found", "New clue")) else esc(t)
                          for t in self.result[-6:]) or dim(esc(here["description"]))
        rh = max(96, min(180, h // 5))
        self.result_box = textbox(self, (x, y, iw, rh), res)
        y += rh + 4
        label(self, (x, y, iw, 30), "What you have seen", "@heading")
        y += 32
        self.feed_box = textbox(self, (x, y, iw, max(60, h - y - 8)), self._feed_html())

    def _feed_html(self) -> str:
        s = self.session
        rows = []
        for t, text in reversed(s.feed[-40:]):
            rows.append(f"{gold(esc(s.time_label(t)))} {esc(text)}")
        return "<br>".join(rows) or dim("Nothing yet.")

    # ------------------------------------------------------------ actions
    def act(self, cmd: Command) -> None:
        if self.session.mind_may_block:  # an LLM town: the command runs on a worker
            self.result = ["Time passes…"]
            self.relayout()
        self.app.perform(cmd, self.acted)

    def acted(self, out: Any, err: Exception | None) -> None:
        if err is not None:
            self.result = [f"Can't: {err}"]
            self.relayout()
            return
        self.result = list(out.lines)
        if out.new_clues:
            self.result.append(f"New clue{'s' if len(out.new_clues) > 1 else ''} in your "
                               "notebook!")
        self.relayout()
        self.app.show_status_scene()

    def reload_story(self) -> None:
        """F5, for writers: the edited story file at the same node, or why not."""
        problems = self.session.reload_story()
        if problems:
            self.result = ["The story was not reloaded; the old one goes on:", *problems]
        else:
            self.result = [f"Reloaded the story at {self.session.clock_text()}."]
        self.map.refresh(self.session)
        self.relayout()

    def travel(self) -> None:
        sel = self.map.loc(self.map.selected)
        if sel and not sel["here"]:
            self.map.selected = ""
            self.act(Command("go", target=sel["id"]))

    def talk(self, person: str) -> None:
        self.app.push("talk", person)

    def on_button(self, el: Any) -> bool:
        if el in self.person_buttons:
            self.talk(self.person_buttons[el])
        elif el in self.take_buttons:
            self.act(Command("take", target=self.take_buttons[el]))
        elif el is self.go:
            self.travel()
        elif el is self.b_search:
            self.act(Command("search"))
        elif el is self.b_wait:
            self.act(Command("wait", minutes=30))
        elif el is self.b_skip:
            self.app.push("skip")
        elif el is self.b_note:
            self.app.push("notebook")
        elif el is self.b_tree:
            self.app.push("timeline")
        elif el is self.b_save:
            self.app.autosave("quicksave")
        else:
            return False
        return True

    def on_key(self, key: int) -> bool:
        mods = pygame.key.get_mods()
        buttons = {pygame.K_f: self.b_search, pygame.K_w: self.b_wait, pygame.K_s: self.b_skip,
                   pygame.K_n: self.b_note, pygame.K_l: self.b_tree}
        if key == pygame.K_s and mods & pygame.KMOD_CTRL:
            return self.on_button(self.b_save)
        if key == pygame.K_F5:
            self.reload_story()
            return True
        if key in buttons:
            return self.on_button(buttons[key])
        if key == pygame.K_g and self.take_buttons:
            return self.on_button(next(iter(self.take_buttons)))
        people = self.map.people
        if key == pygame.K_t and people:
            self.talk(people[0]["id"])
            return True
        if pygame.K_1 <= key <= pygame.K_9 and key - pygame.K_1 < len(people):
            self.talk(people[key - pygame.K_1]["id"])
            return True
        if key == pygame.K_TAB:
            ids = [loc["id"] for loc in self.map.locs if not loc["here"]]
            if ids:
                i = ids.index(self.map.selected) + 1 if self.map.selected in ids else 0
                if mods & pygame.KMOD_SHIFT:
                    i = (ids.index(self.map.selected) - 1) if self.map.selected in ids else -1
                self.map.selected = ids[i % len(ids)]
                self.relayout()
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.travel()
            return True
        if key == pygame.K_ESCAPE:
            self.app.autosave()
            self.app.pop()
            return True
        return False

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
            self.map.hover = self.map.loc_at(event.pos) if self.map.rect.collidepoint(
                event.pos) else ""
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and \
                self.map.rect.collidepoint(event.pos):
            hit = self.map.loc_at(event.pos)
            if hit:
                if hit == self.map.selected:
                    self.travel()  # second click confirms
                else:
                    self.map.selected = hit
                    self.relayout()
                return True
        if event.type == pygame_gui.UI_BUTTON_PRESSED or event.type == pygame.KEYDOWN:
            return super().handle_event(event)
        return False

    def update(self, dt: float) -> None:
        self.map.t += dt

    def draw(self, surface: pygame.Surface) -> None:
        self.map.draw(surface)
        w = self.size[0]
        pygame.draw.rect(surface, style.PANEL, (self.map.rect.right, 0, w - self.map.rect.right,
                                                 self.map.rect.h))
        if self.map.hover:
            self.map.draw_tooltip(surface, self.map.hover, self.mouse)
