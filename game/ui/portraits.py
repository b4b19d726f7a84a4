"""Generated portraits: a disc in a colour derived from the id, with initials. No art files."""

from __future__ import annotations

import colorsys
import hashlib

import pygame

from game.ui import style

_CACHE: dict[tuple[str, int, bool], pygame.Surface] = {}


def colour_for(ident: str) -> tuple[int, int, int]:
    """Deterministic: the same character has the same colour in every run and every screen."""
    h = int(hashlib.sha256(ident.encode()).hexdigest()[:8], 16)
    hue = (h % 360) / 360.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return int(r * 255), int(g * 255), int(b * 255)


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def portrait(ident: str, name: str, size: int, dim: bool = False) -> pygame.Surface:
    key = (ident, size, dim)
    if key in _CACHE:
        return _CACHE[key]
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    col = colour_for(ident)
    if dim:
        col = tuple(c // 2 for c in col)
    r = size // 2
    pygame.draw.circle(surf, (20, 22, 30), (r, r), r)
    pygame.draw.circle(surf, col, (r, r), r - max(1, size // 24))
    # a simple bust silhouette so the disc reads as a person at large sizes
    if size >= 64:
        shade = tuple(max(0, c - 40) for c in col)
        pygame.draw.circle(surf, shade, (r, int(r * 0.78)), int(r * 0.36))
        pygame.draw.ellipse(surf, shade, (int(r * 0.45), int(r * 1.2), int(r * 1.1), int(r * 0.9)))
        pygame.draw.circle(surf, (20, 22, 30), (r, r), r, max(2, size // 40))
    font = style.font(max(10, int(size * (0.24 if size >= 64 else 0.42))), bold=True)
    text = font.render(initials(name), True, (255, 250, 235))
    y = r - text.get_height() // 2 if size < 64 else int(size * 0.78) - text.get_height() // 2
    surf.blit(text, (r - text.get_width() // 2, y))
    _CACHE[key] = surf
    return surf
