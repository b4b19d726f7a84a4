"""Death and ending screens: what happened, what reached you on the way, and what this loop
taught you. A death that ends a skip lands here at once, with the skip's digest."""

from __future__ import annotations

from typing import Any

import pygame

from game.session import Command
from game.ui import style
from game.ui.chronicle_html import digest_html
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dim, esc, gold, label, textbox


class EndScene(Scene):
    name = "end"
    hints = "R rewind to the loop start · N notebook · C chronicle · L timeline · Esc title"

    def build(self) -> None:
        s = self.session
        w, _ = self.size
        h = content_height(self.app)
        self.kind = "death" if s.status == "dead" else "ending"
        cw = min(900, w - 80)
        x = (w - cw) // 2
        if self.kind == "death":
            title = "You died"
            d = s.notebook.deaths[-1] if s.notebook.deaths else {"text": ""}
            sub = d["text"]
        else:
            e = s.ending or {"title": "The loop closes", "text": ""}
            title = e["title"]
            sub = e["text"]
        label(self, (x, 40, cw, 60), title, "@title")
        y = 110
        body = [gold(f"<b>{esc(sub)}</b>")]
        if self.kind == "ending":
            true_end = bool((s.ending or {}).get("true_ending"))
            body.append(gold("This is the true ending. The loop is broken.") if true_end else
                        dim("This is not the true ending. Rewind and dig deeper."))
        if self.kind == "death":
            body += ["", "<b>What reached you before the end:</b>", digest_html(s)]
        loop_clues = [c for c in s.notebook.clues.values() if c["loop"] == s.loop]
        body.append("")
        count = "one clue" if len(loop_clues) == 1 else f"{len(loop_clues)} clues"
        body.append(f"<b>What you learned this loop ({count}):</b>")
        body += [esc(f"• {s.clue_number(c['id'])}. {c['text']} ({s.clue_kind(c['id'])})")
                 for c in loop_clues] or [dim("Nothing new.")]
        body.append("")
        body.append(f"<b>Deaths so far ({len(s.notebook.deaths)}):</b>")
        body += [esc("• " + d["text"]) for d in s.notebook.deaths] or [dim("None.")]
        body.append("")
        body.append(dim(f"All {len(s.notebook.clues)} clues stay in your notebook when you "
                        "rewind."))
        textbox(self, (x, y, cw, max(120, h - y - 70)), "<br>".join(body))
        bw = (cw - 40) // 5
        by = h - 56
        self.rewind = button(self, (x, by, bw, 42), "Rewind (R)", "Wake at the loop's start",
                             "@primary")
        self.note = button(self, (x + bw + 10, by, bw, 42), "Notebook (N)")
        self.chron = button(self, (x + 2 * (bw + 10), by, bw, 42), "Chronicle (C)",
                            "Everything that reached you this loop, day by day")
        self.tree = button(self, (x + 3 * (bw + 10), by, bw, 42), "Timeline (L)",
                           "Rewind to any earlier moment")
        self.title = button(self, (x + 4 * (bw + 10), by, bw, 42), "Title (Esc)")

    def on_button(self, el: Any) -> bool:
        if el is self.rewind:
            self.app.perform(Command("rewind"), self.rewound)
        elif el is self.note:
            self.app.push("notebook")
        elif el is self.chron:
            self.app.push("chronicle")
        elif el is self.tree:
            self.app.push("timeline")
        elif el is self.title:
            self.app.autosave()
            self.app.reset_to(self.app.title_scene())
        else:
            return False
        return True

    def rewound(self, out: Any, err: Exception | None) -> None:
        if err is not None:
            self.app.message = str(err)
            return
        self.app.pop()
        self.app.message = f"Loop {self.session.loop} begins."

    def enter(self) -> None:
        if self.session.status == "playing":  # rewound from the timeline screen
            self.app.pop()
            return
        super().enter()

    def on_key(self, key: int) -> bool:
        keys = {pygame.K_r: self.rewind, pygame.K_n: self.note, pygame.K_c: self.chron,
                pygame.K_l: self.tree, pygame.K_ESCAPE: self.title}
        if key in keys:
            return self.on_button(keys[key])
        return False

    def draw(self, surface: pygame.Surface) -> None:
        col = (60, 16, 20) if self.session.status == "dead" else (20, 40, 52)
        w, h = surface.get_size()
        pygame.draw.rect(surface, col, (0, 0, w, h))
        pygame.draw.circle(surface, style.BG, (w // 2, h + int(h * 0.9)), int(h * 1.5))
