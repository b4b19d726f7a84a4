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
        col = (col[0] // 2, col[1] // 2, col[2] // 2)
    r = size // 2
    pygame.draw.circle(surf, (20, 22, 30), (r, r), r)
    pygame.draw.circle(surf, col, (r, r), r - max(1, size // 24))
    if size >= 64:
        # a head-and-shoulders silhouette, clipped to the disc, with the initials as a badge
        shade = tuple(max(0, c - 55) for c in col)
        bust = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.circle(bust, shade, (r, int(r * 0.80)), int(r * 0.34))
        pygame.draw.ellipse(bust, shade, (int(r * 0.30), int(r * 1.22), int(r * 1.4), int(r * 1.3)))
        mask = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.circle(mask, (255, 255, 255, 255), (r, r), r - max(1, size // 24))
        bust.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
        surf.blit(bust, (0, 0))
        pygame.draw.circle(surf, (20, 22, 30), (r, r), r, max(2, size // 40))
        font = style.font(max(10, int(size * 0.11)), bold=True)
        text = font.render(initials(name), True, (255, 250, 235))
        badge = pygame.Rect(0, 0, text.get_width() + 14, text.get_height() + 6)
        badge.center = (int(r * 1.62), int(r * 1.68))
        pygame.draw.ellipse(surf, (20, 22, 30), badge.inflate(6, 4))
        pygame.draw.ellipse(surf, col, badge)
        surf.blit(text, text.get_rect(center=badge.center))
    else:
        font = style.font(max(8, int(size * 0.42)), bold=True)
        text = font.render(initials(name), True, (255, 250, 235))
        surf.blit(text, text.get_rect(center=(r, r)))
    _CACHE[key] = surf
    return surf
