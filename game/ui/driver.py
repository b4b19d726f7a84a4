"""Drive the real UI from code: post the same events a player makes, then pump frames.

Used by the tests and by ``python -m game.ui.screenshots``.
"""

from __future__ import annotations

import time
from typing import Any

import pygame

from game.ui.app import App


def pump(app: App, frames: int = 2, dt: float = 1 / 60) -> None:
    """Step ``frames`` frames back to back. The real loop's clock leaves the rest of each
    frame to other threads; here, while a command's worker runs, each frame hands over
    the GIL instead, so a test pumping flat out does not starve the worker."""
    for _ in range(frames):
        app.step(dt)
        if app.pending is not None:
            time.sleep(0.001)


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


def top(app: App) -> Any:
    """The top scene, typed loosely: drivers poke at each scene's own attributes."""
    scene = app.top
    assert scene is not None, "no scene on the stack"
    return scene


def button_with(app: App, text: str) -> Any:
    """The top scene's button whose label contains ``text``."""
    for el in top(app).elements:
        if hasattr(el, "text") and text.lower() in str(el.text).lower() and \
                type(el).__name__ == "UIButton":
            return el
    raise LookupError(f"no button containing {text!r} on {top(app).name}")


def run_until(app: App, cond: Any, limit: int = 2000, seconds: float = 60.0) -> int:
    """Step frames until ``cond()``; at least ``limit`` frames and up to ``seconds`` of wall
    time, so a skip's worker thread gets to finish even on a busy machine."""
    deadline = time.monotonic() + seconds
    i = 0
    while i < limit or time.monotonic() < deadline:
        if cond():
            return i
        app.step(1 / 60)
        time.sleep(0.001)  # hand the GIL to the worker thread
        i += 1
    raise TimeoutError("condition never became true")
