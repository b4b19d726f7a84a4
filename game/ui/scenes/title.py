"""Title: new game (pick a scenario), continue, load, replay, settings, quit."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui

from game.records.savefile import SaveError
from game.ui import gameplay, heap, style
from game.ui.scene import Scene
from game.ui.widgets import button, dd_value, dropdown, label


class TitleScene(Scene):
    name = "title"
    hints = "Enter new game · C continue · L load · R replay · O settings · Q quit"
    _stories: list[tuple[str, str]] | None = None

    def enter(self) -> None:
        """Nothing animates here, so a full garbage collection goes unseen."""
        self.app.saver.flush()  # "Continue" reads the autosave the game just wrote
        heap.reclaim()
        super().enter()

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        if TitleScene._stories is None:
            TitleScene._stories = gameplay.stories()
        self.stories = list(TitleScene._stories or [])
        wanted = app.story
        if wanted and not any(p.endswith(wanted) for p, _ in self.stories):
            self.stories = gameplay.story_entry(wanted) + self.stories
        self.choice = next((p for p, _ in self.stories if wanted and p.endswith(wanted)),
                           self.stories[0][0] if self.stories else "")
        self.error = ""

    def build(self) -> None:
        w, h = self.size
        cx = w // 2
        bw = 360
        x = cx - bw // 2
        label(self, (cx - 400, int(h * 0.10), 800, 64), "HINDSIGHT", "@title")
        label(self, (cx - 400, int(h * 0.10) + 62, 800, 28),
              "You are the victim. You remember. Find who kills you before it happens.", "@hint")
        y = int(h * 0.10) + 110
        self.resume = None
        if self.app.session is not None:
            self.resume = button(self, (x, y, bw, 40), "Resume", "Back to the town (Esc)",
                                 "@primary")
            y += 48
        titles = [(f"{t}  ({p.rsplit('/', 1)[-1]})", p) for p, t in self.stories]
        start = next((o for o in titles if o[1] == self.choice), titles[0] if titles else "")
        self.menu = dropdown(self, titles or ["no stories found"], start, (x, y, bw, 36))
        y += 42
        self.new = button(self, (x, y, bw, 40), "New game", "Start the chosen scenario (Enter)",
                          "@primary", enabled=bool(self.stories))
        y += 48
        auto = gameplay.latest_autosave(self.app.saves_dir)
        self.cont = button(self, (x, y, bw, 40), "Continue", "Load the latest autosave (C)",
                           enabled=auto is not None)
        y += 48
        self.load = button(self, (x, y, bw, 40), "Load game", "Pick a save slot (L)")
        y += 48
        self.replay = button(self, (x, y, bw, 40), "Replay a timeline",
                             "Watch a saved game play itself back (R)")
        y += 48
        self.settings = button(self, (x, y, bw, 40), "Settings", "Mind, text size, window (O)")
        y += 48
        self.quit = button(self, (x, y, bw, 40), "Quit", "Q", "@danger")
        y += 50
        if self.error:
            label(self, (cx - 400, y, 800, 26), self.error, "@hint")

    def on_button(self, el: Any) -> bool:
        if el is self.resume:
            self.app.pop() if len(self.app.scenes) > 1 else self._resume()
        elif el is self.new and self.choice:
            self.app.start_game(self.choice, self.app.seed)
        elif el is self.cont:
            auto = gameplay.latest_autosave(self.app.saves_dir)
            if auto is not None:
                try:
                    self.app.load_game(auto)
                except SaveError as exc:
                    self.error = str(exc)
                    self.relayout()
        elif el is self.load:
            self.app.push("load", "load")
        elif el is self.replay:
            self.app.push("load", "replay")
        elif el is self.settings:
            self.app.push("settings")
        elif el is self.quit:
            self.app.quit()
        else:
            return False
        return True

    def _resume(self) -> None:
        self.app.push("town")

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.menu:
            self.choice = dd_value(self.menu)
            return True
        return super().handle_event(event)

    def on_key(self, key: int) -> bool:
        keys = {pygame.K_RETURN: self.new, pygame.K_c: self.cont, pygame.K_l: self.load,
                pygame.K_r: self.replay, pygame.K_o: self.settings, pygame.K_q: self.quit}
        if key == pygame.K_ESCAPE and self.resume is not None:
            return self.on_button(self.resume)
        el = keys.get(key)
        if el is not None and el.is_enabled:
            return self.on_button(el)
        return False

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        # a lighthouse beam sweeping behind the menu: pure decoration
        import math
        t = pygame.time.get_ticks() / 1000.0
        cx, cy = int(w * 0.12), int(h * 0.78)
        ang = math.sin(t * 0.4) * 0.6 - 0.4
        beam = pygame.Surface((w, h), pygame.SRCALPHA)
        far = 2 * w
        p1 = (cx + far * math.cos(ang - 0.08), cy + far * math.sin(ang - 0.08))
        p2 = (cx + far * math.cos(ang + 0.08), cy + far * math.sin(ang + 0.08))
        pygame.draw.polygon(beam, (255, 209, 102, 28), [(cx, cy), p1, p2])
        surface.blit(beam, (0, 0))
        pygame.draw.rect(surface, (40, 44, 56), (cx - 12, cy, 24, h - cy))
        pygame.draw.circle(surface, style.GOLD, (cx, cy), 10)
