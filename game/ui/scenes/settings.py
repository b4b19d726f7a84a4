"""Settings: the mind backend, text size, window size/fullscreen, volume; saved as JSON."""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.elements import UIHorizontalSlider, UITextEntryLine

from game.ui.scene import Scene
from game.ui.settings import MINDS, TEXT_SIZES, WINDOW_SIZES
from game.ui.widgets import button, dd_value, dropdown, label

MIND_NAMES = {"scripted": "Scripted (built in, offline)",
              "openai": "OpenAI-compatible server (URL + model)",
              "local": "Bundled local model"}


class SettingsScene(Scene):
    name = "settings"
    hints = "Click a field to edit · Ctrl+Enter save · Esc back without saving"

    def build(self) -> None:
        st = self.app.settings
        w, _ = self.size
        cw = min(760, w - 60)
        x = (w - cw) // 2
        lw = 220
        fx, fw = x + lw, cw - lw
        label(self, (x, 16, cw, 40), "Settings", "@heading")
        y = 70

        def row(text: str) -> int:
            nonlocal y
            label(self, (x, y, lw - 10, 34), text)
            y += 46
            return y - 46

        mopts = [(MIND_NAMES[m], m) for m in MINDS]
        self.mind = dropdown(self, mopts, next(o for o in mopts if o[1] == st.mind),
                             (fx, row("Mind backend"), fw, 34))
        self.url = self.add(UITextEntryLine(pygame.Rect(fx, row("Server URL"), fw, 34),
                                            self.app.manager))
        self.url.set_text(st.api_url)
        self.model = self.add(UITextEntryLine(pygame.Rect(fx, row("Model"), fw, 34),
                                              self.app.manager))
        self.model.set_text(st.model)
        topts = [(k.capitalize(), k) for k in TEXT_SIZES]
        self.text = dropdown(self, topts, next(o for o in topts if o[1] == st.text_size),
                             (fx, row("Text size"), fw, 34))
        wopts = list(dict.fromkeys([st.window, *WINDOW_SIZES]))
        self.window = dropdown(self, wopts, st.window, (fx, row("Window size"), fw, 34))
        fy = row("Fullscreen")
        self.full = button(self, (fx, fy, 160, 34), "On" if st.fullscreen else "Off",
                           "Toggle fullscreen (F11 in game)")
        self.full_value = st.fullscreen
        vy = row("Volume")
        self.volume = self.add(UIHorizontalSlider(pygame.Rect(fx, vy, fw, 30), st.volume * 100,
                                                  (0, 100), self.app.manager))
        label(self, (x, y, cw, 26), "The game has no sound yet; the volume is kept for later.",
              "@hint")
        y += 30
        label(self, (x, y, cw, 26), "API keys are read from the environment, never stored here.",
              "@hint")
        y += 40
        self.save_b = button(self, (x, y, 200, 40), "Save", "Ctrl+Enter", "@primary")
        self.back = button(self, (x + 210, y, 200, 40), "Cancel (Esc)")

    def save(self) -> None:
        st = self.app.settings
        old_text, old_window, old_full = st.text_size, st.window, st.fullscreen
        st.mind = dd_value(self.mind)
        st.api_url = self.url.get_text().strip()
        st.model = self.model.get_text().strip()
        st.text_size = dd_value(self.text)
        st.window = dd_value(self.window)
        st.fullscreen = self.full_value
        st.volume = round(self.volume.get_current_value() / 100.0, 2)
        path = st.save(self.app.config_path)
        self.app.message = f"Settings saved to {path}"
        self.app.pop()
        if (st.window, st.fullscreen) != (old_window, old_full):
            self.app.set_window(st.window_size, st.fullscreen)
        if st.text_size != old_text:
            self.app.apply_settings()

    def on_button(self, el: Any) -> bool:
        if el is self.full:
            self.full_value = not self.full_value
            self.full.set_text("On" if self.full_value else "Off")
        elif el is self.save_b:
            self.save()
        elif el is self.back:
            self.app.pop()
        else:
            return False
        return True

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) \
                and event.mod & pygame.KMOD_CTRL:
            self.save()
            return True
        return super().handle_event(event)
