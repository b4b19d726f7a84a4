"""Shared colours and fonts for what pygame draws directly (map, tree, hint bar)."""

from __future__ import annotations

from pathlib import Path

import pygame

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "assets" / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ITALIC = FONT_DIR / "DejaVuSans-Oblique.ttf"
BOLD_ITALIC = FONT_DIR / "DejaVuSans-BoldOblique.ttf"

BG = (16, 19, 27)
PANEL = (21, 25, 34)
SEA = (22, 38, 54)
LAND = (42, 52, 44)
PATH = (120, 108, 84)
TEXT = (236, 230, 214)
DIM = (150, 156, 172)
GOLD = (255, 209, 102)
AMBER = (201, 139, 43)
RED = (210, 80, 70)
GREEN = (120, 190, 120)

_FONTS: dict[tuple[int, bool], pygame.font.Font] = {}
scale = 1.0


def font(size: int, bold: bool = False) -> pygame.font.Font:
    """A cached DejaVu font at ``size`` scaled by the text-size setting."""
    px = max(8, int(size * scale))
    key = (px, bold)
    if key not in _FONTS:
        path = BOLD if bold else REGULAR
        try:
            _FONTS[key] = pygame.font.Font(str(path), px)
        except (OSError, FileNotFoundError):
            _FONTS[key] = pygame.font.Font(None, px + 4)
    return _FONTS[key]


def set_scale(value: float) -> None:
    global scale
    scale = value
    _FONTS.clear()
