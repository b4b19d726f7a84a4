"""Replay viewer: re-run a saved history step by step; play, pause, speed, scrub.

Scrubbing to step k rebuilds the session from the seed and re-applies k entries, so
what you see is exactly what was played. The entries are applied in each frame's spare
time (``idle``), so a jump to the end of a long history never freezes the window.
"""

from __future__ import annotations

import time
from typing import Any

import pygame
import pygame_gui
from pygame_gui.elements import UIHorizontalSlider

from game.records.replay import Replayer
from game.ui import gameplay, style
from game.ui.mapview import MapView
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dim, esc, gold, label, textbox

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)


class ReplayScene(Scene):
    name = "replay"
    hints = "Space play/pause · ←/→ step · +/- speed · Home start · End finish · Esc back"

    def __init__(self, app: Any, source: Any) -> None:
        """``source`` is a ready ``Replayer`` (the load screen makes one on a worker) or a
        save's path; raises SaveError (one line) if that save cannot be replayed at all."""
        super().__init__(app)
        self.replayer = source if isinstance(source, Replayer) else gameplay.replayer(source)
        self.history = self.replayer.history
        self.playing = False
        self.target = 0  # the step a scrub is heading for (applied in idle time)
        self.speed_i = 1
        self.acc = 0.0
        self.map = MapView(pygame.Rect(0, 0, 10, 10))

    # the replay scene draws its own session, not the app's
    @property
    def session(self) -> Any:
        return self.replayer.session

    @property
    def view(self) -> Any:
        return self.replayer.session

    @property
    def step_i(self) -> int:
        return self.replayer.position

    @property
    def last(self) -> str:
        r = self.replayer
        return f"Stopped: {r.problem}" if r.problem else r.last

    def seek(self, k: int) -> None:
        k = max(0, min(len(self.history), k))
        if k < self.replayer.position:
            self.replayer.restart()
        self.target = k
        self._advance(0.0)  # one step at once (stepping feels immediate); the rest in idle
        self.relayout()

    @property
    def seeking(self) -> bool:
        r = self.replayer
        return self.target > r.position and not r.problem

    def idle(self, seconds: float) -> None:
        if self.seeking:
            self._advance(seconds)
            if not self.seeking:
                self.relayout()

    def _advance(self, seconds: float) -> None:
        """Apply entries toward ``target`` for about ``seconds`` (at least one)."""
        deadline = time.perf_counter() + seconds
        while self.seeking and self.replayer.step():
            if time.perf_counter() >= deadline:
                break
        if self.replayer.problem:
            self.playing = False

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        sw = min(400, max(320, w // 3))
        bottom = 96
        self.map.set_rect(pygame.Rect(0, 0, w - sw, h - bottom))
        self.map.refresh(self.view)
        x = w - sw + 12
        iw = sw - 24
        label(self, (x, 8, iw, 30), "Replay", "@heading")
        label(self, (x, 40, iw, 28), self.view.clock_text(), "@clock")
        step = f"Step {self.step_i}/{len(self.history)}"
        if self.seeking:
            step = f"Going to step {self.target}…"
        label(self, (x, 70, iw, 24), f"{step} · loop {self.view.loop} · {self.view.status}",
              "@hint")
        rows = [gold(esc(self.last))] if self.last else []
        for t, text in reversed(self.view.feed[-40:]):
            rows.append(f"{gold(esc(self.view.time_label(t)))} {esc(text)}")
        textbox(self, (x, 100, iw, h - 110), "<br>".join(rows) or dim("Press Space to play."))
        y = h - bottom + 10
        mw = w - sw - 24
        self.slider = self.add(UIHorizontalSlider(pygame.Rect(12, y, mw, 30), self.step_i,
                                                  (0, max(1, len(self.history))),
                                                  self.app.manager))
        y += 40
        bw = 120
        self.b_start = button(self, (12, y, bw, 36), "|< Start", "Home")
        self.b_prev = button(self, (12 + (bw + 6), y, bw, 36), "< Step", "Left arrow")
        self.b_play = button(self, (12 + 2 * (bw + 6), y, bw, 36),
                             "Pause" if self.playing else "Play", "Space", "@primary")
        self.b_next = button(self, (12 + 3 * (bw + 6), y, bw, 36), "Step >", "Right arrow")
        self.b_speed = button(self, (12 + 4 * (bw + 6), y, bw, 36),
                              f"Speed {SPEEDS[self.speed_i]:g}x", "+ / - (steps per second)")
        self.b_back = button(self, (12 + 5 * (bw + 6), y, bw, 36), "Back (Esc)")

    def on_button(self, el: Any) -> bool:
        actions = {self.b_start: lambda: self.seek(0),
                   self.b_prev: lambda: self.seek(self.step_i - 1),
                   self.b_next: lambda: self.seek(self.step_i + 1),
                   self.b_play: self.toggle, self.b_speed: self.faster,
                   self.b_back: self.app.pop}
        action: Any = actions.get(el)
        if action is not None:
            action()
            return True
        return False

    def toggle(self) -> None:
        self.playing = not self.playing
        if self.playing and self.step_i >= len(self.history):
            self.seek(0)
        self.relayout()

    def faster(self, d: int = 1) -> None:
        self.speed_i = (self.speed_i + d) % len(SPEEDS)
        self.relayout()

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider:
            self.seek(int(self.slider.get_current_value()))
            return True
        return super().handle_event(event)

    def on_key(self, key: int) -> bool:
        keys = {pygame.K_SPACE: self.toggle, pygame.K_RIGHT: lambda: self.seek(self.step_i + 1),
                pygame.K_LEFT: lambda: self.seek(self.step_i - 1),
                pygame.K_HOME: lambda: self.seek(0),
                pygame.K_END: lambda: self.seek(len(self.history)),
                pygame.K_PLUS: self.faster, pygame.K_EQUALS: self.faster,
                pygame.K_MINUS: lambda: self.faster(-1)}
        if key in keys:
            keys[key]()
            return True
        return super().on_key(key)

    def update(self, dt: float) -> None:
        self.map.t += dt
        if not self.playing:
            return
        self.acc += dt * SPEEDS[self.speed_i]
        if self.acc >= 1.0 and not self.seeking:
            self.acc = 0.0
            if self.step_i >= len(self.history) or self.replayer.problem:
                self.playing = False
                self.relayout()
            else:
                self.seek(self.step_i + 1)

    def draw(self, surface: pygame.Surface) -> None:
        self.map.draw(surface)
        w = self.size[0]
        pygame.draw.rect(surface, style.PANEL, (self.map.rect.right, 0, w - self.map.rect.right,
                                                 content_height(self.app)))
