"""Skip ahead: pick a target, watch the town run in the frames' spare time, cancel, then
read what reached you, day by day and complete (the whole loop's chronicle is one key
away). A death during the skip ends it on the death screen, at once."""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.elements import UIHorizontalSlider, UIProgressBar

from game.ui import style
from game.ui.chronicle_html import digest_html
from game.ui.gameplay import SkipRunner
from game.ui.mapview import MapView
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dim, esc, gold, label, textbox

CHOICES = (("hours", 1, "1. One hour"), ("tonight", 0, "2. Until tonight (21:00)"),
           ("morning", 0, "3. Tomorrow morning (07:00)"), ("days", -1, "4. N days (slider)"),
           ("end", 0, "5. The murder night (loop end)"))


class SkipScene(Scene):
    name = "skip"
    hints = ("1-5 pick how far · Esc cancel while running · Enter continue when done · "
             "C the whole loop's chronicle")

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.map = MapView(pygame.Rect(0, 0, 10, 10))
        self.runner: SkipRunner | None = None
        self.days = 1
        self.phase = "pick"  # pick | running | done
        self.choice_buttons: dict[Any, tuple[str, int]] = {}
        self.pace = 0.0  # >0 slows the simulation down (screenshots, demos)

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        sw = min(420, max(320, w // 3))
        self.map.set_rect(pygame.Rect(0, 0, w - sw, h))
        running = self.phase == "running" and self.runner is not None
        if not running:  # while the worker runs, the session belongs to it
            self.map.refresh(self.session)
        clock = (self.runner.snapshot_view()["clock"] if self.runner is not None and running
                 else self.session.clock_text())
        x = w - sw + 12
        iw = sw - 24
        label(self, (x, 10, iw, 32), "Skip ahead", "@heading")
        self.clock = label(self, (x, 44, iw, 28), clock, "@clock")
        y = 84
        self.choice_buttons = {}
        self.slider = None
        self.cancel_b = self.cont = self.chron = None
        if self.phase == "pick":
            for kind, value, text in CHOICES:
                b = button(self, (x, y, iw, 38), text, "Time passes; you follow your routine",
                           "@primary" if kind == "end" else "")
                self.choice_buttons[b] = (kind, value)
                y += 44
                if kind == "days":
                    self.slider = self.add(UIHorizontalSlider(pygame.Rect(x, y, iw - 70, 28),
                                                              self.days, (1, 7),
                                                              self.app.manager))
                    self.days_label = label(self, (x + iw - 64, y, 64, 28), f"{self.days} d")
                    y += 36
            button(self, (x, y + 8, iw, 34), "Back (Esc)", "Return to the town")
        else:
            self.bar = self.add(UIProgressBar(pygame.Rect(x, y, iw, 30), self.app.manager))
            self.bar.status_text = lambda: f"{self.bar.current_progress:.0f}%"
            self.bar.set_current_progress(100 * (self.runner.fraction if self.runner else 0))
            y += 40
            if self.phase == "running":
                self.cancel_b = button(self, (x, y, iw, 36), "Cancel (Esc)",
                                       "Stop here; the time already passed stays passed",
                                       "@danger")
            else:
                half = (iw - 8) // 2
                self.cont = button(self, (x, y, half, 36), "Continue (Enter)", "", "@primary")
                self.chron = button(self, (x + half + 8, y, iw - half - 8, 36),
                                    "Chronicle (C)", "Everything that reached you this loop")
            y += 46
            textbox(self, (x, y, iw, max(80, h - y - 10)), self._summary())

    def _summary(self) -> str:
        r = self.runner
        if r is None:
            return ""
        if self.phase == "running":
            return dim("The town goes about its business…")
        s = self.session
        head = "Cancelled. " if r.cancelled else ""
        rows = [gold(f"<b>{head}It is now {esc(s.clock_text())}.</b>")]
        if r.error is not None:
            rows.append(esc(f"The skip stopped: {r.error}"))
        rows.append(digest_html(s, r.start, s.now))
        return "<br>".join(rows)

    def start(self, kind: str, value: int) -> None:
        if kind == "days":
            value = self.days
        self.runner = SkipRunner(self.session, kind, value, self.pace)
        self.phase = "running"
        self.relayout()

    def on_button(self, el: Any) -> bool:
        if el in self.choice_buttons:
            self.start(*self.choice_buttons[el])
        elif el is self.cancel_b and self.runner:
            self.runner.cancel()
        elif el is self.cont:
            self.finish()
        elif el is self.chron:
            self.app.push("chronicle")
        elif self.phase == "pick":
            self.app.pop()
        else:
            return False
        return True

    def finish(self) -> None:
        over = self.session.status in ("dead", "ended")
        self.app.pop(reveal=not over)  # a death goes straight to its screen
        self.app.show_status_scene()

    def handle_event(self, event: pygame.event.Event) -> bool:
        import pygame_gui
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider:
            self.days = int(self.slider.get_current_value())
            self.days_label.set_text(f"{self.days} d")
            return True
        return super().handle_event(event)

    def on_key(self, key: int) -> bool:
        if self.phase == "pick" and pygame.K_1 <= key <= pygame.K_5:
            kind, value, _ = CHOICES[key - pygame.K_1]
            self.start(kind, value)
            return True
        if self.phase == "running" and key in (pygame.K_ESCAPE, pygame.K_c) and self.runner:
            self.runner.cancel()
            return True
        if self.phase == "done" and key in (pygame.K_RETURN, pygame.K_KP_ENTER,
                                            pygame.K_ESCAPE):
            self.finish()
            return True
        if self.phase == "done" and key == pygame.K_c:
            self.app.push("chronicle")
            return True
        if self.phase == "pick":
            return super().on_key(key)
        return False

    def update(self, dt: float) -> None:
        self.map.t += dt
        r = self.runner
        if self.phase != "running" or r is None:
            return
        if r.done:
            self.phase = "done"
            if self.session.status == "dead":  # a death is its own screen, at once
                self.finish()
                return
            self.relayout()
            return
        view = r.snapshot_view()
        self.map.set_view(view["here"], view["people"])
        self.bar.set_current_progress(100 * r.fraction)
        if self.clock.text != view["clock"]:
            self.clock.set_text(view["clock"])

    def idle(self, seconds: float) -> None:
        if self.phase == "running" and self.runner is not None:
            self.runner.run_slice(seconds)

    def busy(self) -> bool:
        """True while the worker owns the session (the App must not save or quit under it)."""
        return self.phase == "running" and self.runner is not None and not self.runner.done

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
            self.runner.wait()

    def draw(self, surface: pygame.Surface) -> None:
        self.map.draw(surface)
        pygame.draw.rect(surface, style.PANEL, (self.map.rect.right, 0,
                                                 self.size[0] - self.map.rect.right,
                                                 self.map.rect.h))
        if self.phase == "running":
            f = style.font(28, bold=True)
            img = f.render("Time passes…", True, style.GOLD)
            surface.blit(img, (self.map.rect.centerx - img.get_width() // 2, 16))
