"""The chronicle: everything that reached the player in this loop, day by day, complete."""

from __future__ import annotations

from typing import Any

from game.ui.chronicle_html import digest_html
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, label, textbox


class ChronicleScene(Scene):
    name = "chronicle"
    hints = "Esc back · scroll for earlier days"

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        pad = 16
        s = self.session
        label(self, (pad, 8, w - 2 * pad - 130, 36),
              f"Loop {s.loop}, as it reached you", "@heading")
        self.back = button(self, (w - pad - 110, 8, 110, 34), "Back (Esc)")
        textbox(self, (pad, 54, w - 2 * pad, h - 54 - pad),
                digest_html(s, s.loop_start, s.now))

    def on_button(self, el: Any) -> bool:
        if el is self.back:
            self.app.pop()
            return True
        return False
