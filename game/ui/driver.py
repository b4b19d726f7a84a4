"""Drive the real UI from code: post the same events a player makes, then pump frames.

Used by the tests and by ``python -m game.ui.screenshots``.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.app import App


def pump(app: App, frames: int = 2, dt: float = 1 / 60) -> None:
    for _ in range(frames):
        app.step(dt)


def key(app: App, k: int, mod: int = 0, frames: int = 2) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="",
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode="", scancode=0))
    pump(app, frames)


def click_at(app: App, pos: tuple[int, int], frames: int = 2) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0),
                                         touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))
    pump(app, frames)


def click(app: App, element: Any, frames: int = 2) -> None:
    """A real mouse click in the middle of a widget (it goes through pygame_gui)."""
    pump(app, 1)  # let hover state settle
    click_at(app, element.rect.center, frames)


def hover(app: App, pos: tuple[int, int], frames: int = 2) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0),
                                         touch=False))
    pump(app, frames)


def button_with(app: App, text: str) -> Any:
    """The top scene's button whose label contains ``text``."""
    for el in app.top.elements:
        if hasattr(el, "text") and text.lower() in str(el.text).lower() and \
                type(el).__name__ == "UIButton":
            return el
    raise LookupError(f"no button containing {text!r} on {app.top.name}")


def run_until(app: App, cond: Any, limit: int = 2000) -> int:
    for i in range(limit):
        if cond():
            return i
        app.step(1 / 60)
    raise TimeoutError("condition never became true")
