"""The timeline tree: every snapshot as a node; select one to read it, rewind to branch."""

from __future__ import annotations

from typing import Any

import pygame

from game.session import Command, plural
from game.ui import style
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dim, esc, gold, label, textbox

SIDE = 360


class TimelineScene(Scene):
    name = "timeline"
    hints = ("Click a node · ←/→ parent/child · ↑/↓ sibling branch · Enter rewind here · "
             "wheel scroll · Esc back")

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        tree = self.session.tree
        self.selected = tree.head if tree.head is not None else 0
        self.scroll = 0
        self.pos: dict[int, tuple[int, int]] = {}
        self.rows: dict[int, int] = {}

    def _layout(self) -> None:
        """Depth → x, branch row → y (first child keeps its parent's row)."""
        tree = self.session.tree
        rows: dict[int, int] = {}
        next_row = 0
        stack: list[tuple[int, int | None]] = [(r, None) for r in reversed(tree.roots())]
        while stack:
            nid, row = stack.pop()
            if row is None:
                row = next_row
                next_row += 1
            rows[nid] = row
            kids = tree.children(nid)
            for i, k in reversed(list(enumerate(kids))):
                stack.append((k, row if i == 0 else None))
        self.rows = rows
        self.max_row = max(rows.values(), default=0)

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        self._layout()
        self.area = pygame.Rect(0, 50, w - SIDE, h - 50)
        tree = self.session.tree
        depth = max((tree.node(n).depth for n in self.rows), default=0)
        self.dx = max(14, min(70, (self.area.w - 80) // max(1, depth)))
        self.dy = max(36, min(64, (self.area.h - 60) // max(1, self.max_row + 1)))
        label(self, (16, 8, 500, 36), "Timeline", "@heading")
        x = w - SIDE + 12
        iw = SIDE - 24
        node = tree.node(self.selected)
        s = self.session
        info = [gold(f"<b>Node {node.id}</b>" + (" (you are here)" if node.id == tree.head
                                                   else "")),
                esc(s.when(node.time)), "", esc(node.summary)]
        if node.action:
            info.append(dim(esc(f"You: {s.describe_action(node.action)}")))
        branches = plural(len(tree.children(node.id)), "branch")
        info.append(dim(f"{branches[:1].upper()}{branches[1:]} from here"))
        textbox(self, (x, 56, iw, 240), "<br>".join(info))
        self.rewind_b = button(self, (x, 304, iw, 40), "Rewind here (Enter)",
                               "Go back to this moment; what you learned stays in the notebook",
                               "@primary")
        self.back = button(self, (x, 352, iw, 36), "Back (Esc)")
        label(self, (x, 396, iw, 24), f"{len(tree)} nodes · loop {s.loop}", "@hint")

    def _xy(self, nid: int) -> tuple[int, int]:
        node = self.session.tree.node(nid)
        return (self.area.x + 40 + node.depth * self.dx - self.scroll,
                self.area.y + 30 + self.rows.get(nid, 0) * self.dy)

    def node_at(self, pos: tuple[int, int]) -> int | None:
        for nid in self.rows:
            x, y = self._xy(nid)
            if (x - pos[0]) ** 2 + (y - pos[1]) ** 2 <= 100:
                return nid
        return None

    def select(self, nid: int | None) -> None:
        if nid is not None:
            self.selected = nid
            x, _ = self._xy(nid)
            if x > self.area.right - 40:
                self.scroll += x - (self.area.right - 80)
            elif x < self.area.x + 20:
                self.scroll = max(0, self.scroll - (self.area.x + 80 - x))
            self.relayout()

    def rewind(self) -> None:
        self.app.perform(Command("rewind", arg=str(self.selected)), self.rewound)

    def rewound(self, out: Any, err: Exception | None) -> None:
        if err is not None:
            self.app.message = str(err)
            return
        self.app.message = f"Rewound to node {self.selected}: loop {self.session.loop}"
        self.app.autosave()
        self.app.pop()

    def on_button(self, el: Any) -> bool:
        if el is self.rewind_b:
            self.rewind()
        elif el is self.back:
            self.app.pop()
        else:
            return False
        return True

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and \
                self.area.collidepoint(event.pos):
            hit = self.node_at(event.pos)
            if hit is not None:
                self.select(hit)
                return True
        if event.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, self.scroll - event.y * 40 - event.x * 40)
            return True
        return super().handle_event(event)

    def on_key(self, key: int) -> bool:
        tree = self.session.tree
        node = tree.node(self.selected)
        if key == pygame.K_LEFT and node.parent is not None:
            self.select(node.parent)
        elif key == pygame.K_RIGHT and tree.children(node.id):
            self.select(tree.children(node.id)[0])
        elif key in (pygame.K_UP, pygame.K_DOWN):
            same = sorted((n for n in self.rows if tree.node(n).depth == node.depth),
                          key=lambda n: self.rows[n])
            i = same.index(node.id) + (1 if key == pygame.K_DOWN else -1)
            if 0 <= i < len(same):
                self.select(same[i])
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.rewind()
        else:
            return super().on_key(key)
        return True

    def draw(self, surface: pygame.Surface) -> None:
        tree = self.session.tree
        w = self.size[0]
        pygame.draw.rect(surface, style.PANEL, (w - SIDE, 0, SIDE, self.area.bottom))
        clip = surface.get_clip()
        surface.set_clip(self.area)
        path = set(tree.path_to(tree.head)) if tree.head is not None else set()
        for nid in self.rows:
            node = tree.node(nid)
            if node.parent is not None and node.parent in self.rows:
                a, b = self._xy(node.parent), self._xy(nid)
                col = style.AMBER if nid in path else (80, 88, 108)
                if a[1] != b[1]:
                    pygame.draw.line(surface, col, a, (a[0], b[1]), 2)
                    pygame.draw.line(surface, col, (a[0], b[1]), b, 2)
                else:
                    pygame.draw.line(surface, col, a, b, 2)
        f = style.font(11)
        for nid in self.rows:
            x, y = self._xy(nid)
            if x < -20 or x > self.area.right + 20:
                continue
            node = tree.node(nid)
            col = style.GOLD if nid == tree.head else (
                style.AMBER if nid in path else (130, 140, 160))
            verb = (node.action or {}).get("verb", "start")
            if verb == "skip":
                col = (int(col[0] * 0.75), int(col[1] * 0.75), int(col[2] * 0.75))
            pygame.draw.circle(surface, col, (x, y), 7 if nid != tree.head else 9)
            if nid == self.selected:
                pygame.draw.circle(surface, (255, 255, 255), (x, y), 12, 2)
            if self.dx >= 40 or nid == self.selected:
                lab = f.render(verb, True, style.DIM)
                surface.blit(lab, (x - lab.get_width() // 2, y + 10))
                when = f.render(self.session.time_label(node.time), True, (110, 116, 130))
                surface.blit(when, (x - when.get_width() // 2, y + 10 + lab.get_height()))
        surface.set_clip(clip)
