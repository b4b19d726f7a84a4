"""Save slots: time, scenario, loop and a thumbnail; pick one to load or to replay.

Loading replays the save on a worker (``loading.SaveLoader``): this screen shows its
progress and a Cancel, and shows any failure as one line and stays.
"""

from __future__ import annotations

import io
from typing import Any

import pygame
from pygame_gui.elements import UIImage, UIProgressBar, UIScrollingContainer

from game.records import paths
from game.ui.loading import SaveLoader
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, esc, label, textbox


class LoadScene(Scene):
    name = "load"
    hints = "1-9 pick a slot · Esc back"

    def __init__(self, app: Any, mode: str = "load", path: Any = None) -> None:
        super().__init__(app)
        self.mode = mode
        self.error = ""
        self.slot_buttons: dict[Any, Any] = {}
        self.loader: SaveLoader | None = None
        self.dropped: list[SaveLoader] = []  # cancelled loads, closed once they stop
        self.bar: UIProgressBar | None = None
        self.cancel_button: Any = None
        if path is not None:
            self.start(path)

    def build(self) -> None:
        if self.loader is not None:
            self._build_progress()
            return
        self.app.saver.flush()  # list the slots as they are on disk after pending saves
        w, _ = self.size
        h = content_height(self.app)
        cw = min(900, w - 60)
        x = (w - cw) // 2
        title = "Load a game" if self.mode == "load" else "Replay a saved timeline"
        label(self, (x, 12, cw, 40), title, "@heading")
        self.back = button(self, (x + cw - 120, 14, 120, 34), "Back (Esc)")
        self.slots = paths.list_slots(self.app.saves_dir)
        box = self.add(UIScrollingContainer(pygame.Rect(x, 60, cw, h - 140), self.app.manager,
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
            textbox(self, (x, h - 74, cw, 64), esc(self.error))

    def _thumb(self, data: bytes | None) -> pygame.Surface:
        if data:
            try:
                return pygame.image.load(io.BytesIO(data), "t.png")
            except (pygame.error, ValueError):
                pass
        surf = pygame.Surface((171, 96))
        surf.fill((40, 44, 56))
        return surf

    def _build_progress(self) -> None:
        assert self.loader is not None
        w, _ = self.size
        h = content_height(self.app)
        cw = min(700, w - 60)
        x, y = (w - cw) // 2, h // 2 - 80
        verb = "Loading" if self.mode == "load" else "Preparing the replay of"
        textbox(self, (x, y, cw, 44), esc(f"{verb} {self.loader.path.name[:80]}"))
        self.bar = self.add(UIProgressBar(pygame.Rect(x, y + 50, cw, 30), self.app.manager))
        self._show_progress()
        self.cancel_button = button(self, (x + cw // 2 - 80, y + 100, 160, 36),
                                    "Cancel (Esc)")

    def _show_progress(self) -> None:
        if self.bar is not None and self.loader is not None:
            done, total = self.loader.progress
            self.bar.set_current_progress(100.0 * done / total if total else 0.0)

    def start(self, path: Any) -> None:
        """Begin loading ``path`` on a worker; ``update`` picks up the result."""
        if self.loader is not None:
            return
        self.error = ""
        self.loader = SaveLoader(path, self.mode).start()
        if self.elements:
            self.relayout()

    def cancel(self) -> None:
        if self.loader is not None:
            self.loader.cancel()
            self.dropped.append(self.loader)
            self.loader = None
            self.error = "Loading cancelled."
            self.relayout()

    def update(self, dt: float) -> None:
        for old in [d for d in self.dropped if d.done]:
            self.dropped.remove(old)
            old.discard()
        loader = self.loader
        if loader is None:
            return
        if not loader.done:
            self._show_progress()
            return
        self.loader = None
        found = loader.take()
        if found is None:
            self.error = loader.error
            self.relayout()
            return
        try:
            if self.mode == "load":
                self.app.adopt_session(found, loader.story_path)
            else:
                self.app.push("replay", found)
        except Exception as exc:  # noqa: BLE001 - no save may take the game down with it
            self.error = f"{loader.path.name}: this save cannot be used ({type(exc).__name__})"
            self.relayout()

    def open(self, slot: Any) -> None:
        self.start(slot.path)

    def on_button(self, el: Any) -> bool:
        if el is self.cancel_button and self.loader is not None:
            self.cancel()
        elif el in self.slot_buttons and self.loader is None:
            self.open(self.slot_buttons[el])
        elif el is self.back:
            self.app.pop()
        else:
            return False
        return True

    def on_key(self, key: int) -> bool:
        if self.loader is not None:
            if key == pygame.K_ESCAPE:
                self.cancel()
            return True
        if pygame.K_1 <= key <= pygame.K_9:
            i = key - pygame.K_1
            if i < len(self.slots) and self.slots[i].header is not None:
                self.open(self.slots[i])
            return True
        return super().on_key(key)
