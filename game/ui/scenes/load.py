"""Save slots: time, scenario, loop and a thumbnail; pick one to load or to replay."""

from __future__ import annotations

import io
from typing import Any

import pygame
from pygame_gui.elements import UIImage, UIScrollingContainer

from game.records import paths
from game.records.savefile import SaveError
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, label


class LoadScene(Scene):
    name = "load"
    hints = "1-9 pick a slot · Esc back"

    def __init__(self, app: Any, mode: str = "load") -> None:
        super().__init__(app)
        self.mode = mode
        self.error = ""
        self.slot_buttons: dict[Any, Any] = {}

    def build(self) -> None:
        self.app.saver.flush()  # list the slots as they are on disk after pending saves
        w, _ = self.size
        h = content_height(self.app)
        cw = min(900, w - 60)
        x = (w - cw) // 2
        title = "Load a game" if self.mode == "load" else "Replay a saved timeline"
        label(self, (x, 12, cw, 40), title, "@heading")
        self.back = button(self, (x + cw - 120, 14, 120, 34), "Back (Esc)")
        self.slots = paths.list_slots(self.app.saves_dir)
        box = self.add(UIScrollingContainer(pygame.Rect(x, 60, cw, h - 110), self.app.manager,
                                            allow_scroll_x=False))
        row_h = 104
        box.set_scrollable_area_dimensions((cw - 20, max(h - 120, row_h * len(self.slots))))
        self.slot_buttons = {}
        for i, slot in enumerate(self.slots):
            y = i * row_h
            hd = slot.header
            thumb = self._thumb(hd.thumbnail if hd else None)
            self.add(UIImage(pygame.Rect(0, y + 4, 171, 96), thumb, self.app.manager,
                             container=box))
            if hd is not None:
                text = (f"{i + 1}. {slot.slot} — {hd.scenario_id} — {hd.summary} — "
                        f"saved {hd.created.replace('T', ' ')[:16]}")
            else:
                text = f"{i + 1}. {slot.slot} — unreadable: {slot.error}"[:160]
            b = button(self, (180, y + 4, cw - 200, 96), text,
                       "Load and continue" if self.mode == "load" else "Watch it play back",
                       enabled=hd is not None, container=box)
            self.slot_buttons[b] = slot
        if not self.slots:
            label(self, (x, 80, cw, 30), f"No saves yet in {self.app.saves_dir}", "@hint")
        if self.error:
            label(self, (x, h - 44, cw, 30), self.error, "@hint")

    def _thumb(self, data: bytes | None) -> pygame.Surface:
        if data:
            try:
                return pygame.image.load(io.BytesIO(data), "t.png")
            except (pygame.error, ValueError):
                pass
        surf = pygame.Surface((171, 96))
        surf.fill((40, 44, 56))
        return surf

    def open(self, slot: Any) -> None:
        try:
            if self.mode == "load":
                self.app.load_game(slot.path)
            else:
                self.app.push("replay", slot.path)
        except SaveError as exc:
            self.error = str(exc)
            self.relayout()
        except Exception as exc:  # noqa: BLE001 - no save may take the game down with it
            self.error = f"{slot.slot}: this save cannot be used ({type(exc).__name__})"
            self.relayout()

    def on_button(self, el: Any) -> bool:
        if el in self.slot_buttons:
            self.open(self.slot_buttons[el])
        elif el is self.back:
            self.app.pop()
        else:
            return False
        return True

    def on_key(self, key: int) -> bool:
        if pygame.K_1 <= key <= pygame.K_9:
            i = key - pygame.K_1
            if i < len(self.slots) and self.slots[i].header is not None:
                self.open(self.slots[i])
            return True
        return super().on_key(key)
