"""The town map: locations from the story's ``pos``, paths from its connections, and tokens.

``refresh`` copies what the player may see out of the session (so ``draw`` never
touches it); other places show no people at all.
"""

from __future__ import annotations

import math
from typing import Any

import pygame

from game.ui import portraits, style

NODE_R = 22


class MapView:
    def __init__(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.locs: list[dict[str, Any]] = []
        self.links: list[list[Any]] = []
        self.people: list[dict[str, Any]] = []
        self.player: dict[str, str] = {"id": "player", "name": "You"}
        self.here = ""
        self.hover = ""
        self.selected = ""
        self.t = 0.0
        self._screen: dict[str, tuple[int, int]] = {}

    def refresh(self, session: Any) -> None:
        """Copy the visible state (call after every action, never from draw)."""
        self.locs = [dict(loc) for loc in session.locations()]
        self.links = [list(c) for c in session.connections()]
        self.people = [dict(p) for p in session.visible_people()]
        me = session.me
        self.player = {"id": me.id, "name": me.name}
        self.here = session.here()
        self._layout()

    def set_view(self, here: str, people: list[dict[str, Any]]) -> None:
        """Move the tokens from a copied view (used while a skip runs on another thread)."""
        self.here = here
        self.people = people
        for loc in self.locs:
            loc["here"] = loc["id"] == here

    def set_rect(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self._layout()

    def _layout(self) -> None:
        if not self.locs:
            return
        xs = [loc["pos"][0] for loc in self.locs]
        ys = [loc["pos"][1] for loc in self.locs]
        minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
        pad = 70
        w = max(1.0, maxx - minx)
        h = max(1.0, maxy - miny)
        sc = min((self.rect.w - 2 * pad) / w, (self.rect.h - 2 * pad) / h)
        sc = max(0.05, sc)
        ox = self.rect.x + (self.rect.w - w * sc) / 2
        oy = self.rect.y + (self.rect.h - h * sc) / 2
        self._screen = {loc["id"]: (int(ox + (loc["pos"][0] - minx) * sc),
                                    int(oy + (loc["pos"][1] - miny) * sc)) for loc in self.locs}

    def loc_at(self, pos: tuple[int, int]) -> str:
        r = NODE_R * style.scale + 8
        for loc_id, (x, y) in self._screen.items():
            if (x - pos[0]) ** 2 + (y - pos[1]) ** 2 <= r * r:
                return loc_id
        return ""

    def loc(self, loc_id: str) -> dict[str, Any] | None:
        return next((loc for loc in self.locs if loc["id"] == loc_id), None)

    def screen_pos(self, loc_id: str) -> tuple[int, int] | None:
        return self._screen.get(loc_id)

    def draw(self, surface: pygame.Surface) -> None:
        pygame.draw.rect(surface, style.SEA, self.rect)
        self._draw_land(surface)
        for a, b, minutes in self.links:
            pa, pb = self._screen.get(a), self._screen.get(b)
            if pa and pb:
                pygame.draw.line(surface, (70, 64, 50), pa, pb, 7)
                pygame.draw.line(surface, style.PATH, pa, pb, 3)
                if self.rect.w > 400:
                    mid = ((pa[0] + pb[0]) // 2, (pa[1] + pb[1]) // 2)
                    lab = style.font(11).render(f"{minutes}m", True, (190, 180, 150))
                    surface.blit(lab, (mid[0] - lab.get_width() // 2, mid[1] - lab.get_height()))
        r = int(NODE_R * min(style.scale, 1.3)) if self.rect.w > 400 else 6
        for loc in self.locs:
            x, y = self._screen[loc["id"]]
            col = (70, 80, 100) if loc["kind"] == "private" else (96, 110, 86)
            if not loc["open"] and not loc["here"]:
                col = (55, 55, 62)
            pygame.draw.circle(surface, (12, 14, 20), (x + 2, y + 3), r)
            pygame.draw.circle(surface, col, (x, y), r)
            border = style.GOLD if loc["id"] in (self.hover, self.selected) else (30, 34, 44)
            pygame.draw.circle(surface, border, (x, y), r, 3 if border == style.GOLD else 2)
            if loc["here"]:
                pygame.draw.circle(surface, style.AMBER, (x, y), r + 6, 2)
            if self.rect.w > 400:
                label = style.font(14, bold=loc["here"]).render(
                    loc["name"], True, style.TEXT if loc["open"] or loc["here"] else style.DIM)
                bg = pygame.Rect(0, 0, label.get_width() + 10, label.get_height() + 2)
                bg.midtop = (x, y + r + 4)
                pygame.draw.rect(surface, (12, 14, 20), bg, border_radius=4)
                surface.blit(label, (bg.x + 5, bg.y + 1))
        self._draw_tokens(surface, r)

    def _draw_land(self, surface: pygame.Surface) -> None:
        if not self._screen:
            return
        for x, y in self._screen.values():
            rad = int(min(self.rect.w, self.rect.h) * 0.11) + 12
            pygame.draw.circle(surface, style.LAND, (x, y), rad)

    def _draw_tokens(self, surface: pygame.Surface, r: int) -> None:
        here = self._screen.get(self.here)
        if here is None:
            return
        size = max(10, int(r * 1.25))
        tokens = [self.player] + self.people
        n = len(tokens)
        for i, p in enumerate(tokens):
            # an arc above the place, so tokens never cover its name label
            ang = -math.pi / 2 if n == 1 else -math.pi * (0.92 - 0.84 * i / (n - 1))
            rad = 0 if n == 1 else r + size // 2 + 2 + max(0, n - 5) * size // 5
            tx = int(here[0] + rad * math.cos(ang)) - size // 2
            ty = int(here[1] + rad * math.sin(ang)) - size // 2
            img = portraits.portrait(p["id"], p["name"], size, dim=bool(p.get("asleep")))
            surface.blit(img, (tx, ty))
            if i == 0:
                pygame.draw.circle(surface, style.GOLD, (tx + size // 2, ty + size // 2),
                                   size // 2 + 1, 2)

    def tooltip_lines(self, loc_id: str) -> list[str]:
        """What hovering a place tells you: only what the player can actually see."""
        loc = self.loc(loc_id)
        if loc is None:
            return []
        lines = [loc["name"]]
        if loc["here"]:
            names = ", ".join(p["name"] for p in self.people) or "nobody else"
            lines.append(f"You are here. With you: {names}")
        else:
            travel = loc["travel"]
            lines.append(f"Walk: {travel} min" if travel is not None else "No path from here")
            lines.append("Who is there: unknown from here")
            if not loc["open"]:
                lines.append("Closed / private to you now")
        return lines

    def draw_tooltip(self, surface: pygame.Surface, loc_id: str, pos: tuple[int, int]) -> None:
        lines = self.tooltip_lines(loc_id)
        if not lines:
            return
        f = style.font(14)
        imgs = [style.font(15, bold=True).render(lines[0], True, style.GOLD)] + \
               [f.render(t, True, style.TEXT) for t in lines[1:]]
        w = max(i.get_width() for i in imgs) + 16
        h = sum(i.get_height() + 2 for i in imgs) + 12
        box = pygame.Rect(pos[0] + 16, pos[1] + 12, w, h)
        box.clamp_ip(surface.get_rect())
        pygame.draw.rect(surface, (12, 14, 20), box, border_radius=6)
        pygame.draw.rect(surface, style.AMBER, box, 1, border_radius=6)
        y = box.y + 6
        for img in imgs:
            surface.blit(img, (box.x + 8, y))
            y += img.get_height() + 2
