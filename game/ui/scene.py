"""Scene stack entries: only the top scene owns live widgets; draw() only reads state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

if TYPE_CHECKING:
    from game.ui.app import App

HINT_H = 28  # the hint bar along the bottom of the window


def content_height(app: App) -> int:
    """The window's height above the hint bar."""
    return int(app.screen.get_height()) - HINT_H


class Scene:
    """A screen, registered by name in ``game.ui.scenes`` and pushed with ``app.push(name)``;
    scenes never import each other. ``build`` creates widgets for the current window size;
    ``teardown`` kills them.

    The App calls ``enter`` when the scene becomes the top of the stack and ``leave`` when it
    stops being the top, so a resize or a pop simply rebuilds the widgets.
    """

    name = "scene"
    hints = "Esc back"

    def __init__(self, app: App) -> None:
        self.app = app
        self.elements: list[Any] = []

    # lifecycle
    def enter(self) -> None:
        self.build()

    def leave(self) -> None:
        self.teardown()

    def build(self) -> None:
        """Create widgets; subclasses add them with ``self.add``."""

    def teardown(self) -> None:
        for el in self.elements:
            el.kill()
        self.elements.clear()

    def relayout(self) -> None:
        self.teardown()
        self.build()

    def add(self, element: Any) -> Any:
        self.elements.append(element)
        return element

    # loop
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Return True when the event was used."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self.on_button(event.ui_element)
        if event.type == pygame.KEYDOWN and not self.app.typing():
            return self.on_key(event.key)
        return False

    def on_button(self, element: Any) -> bool:
        return False

    def on_key(self, key: int) -> bool:
        if key == pygame.K_ESCAPE:
            self.app.pop()
            return True
        return False

    def update(self, dt: float) -> None:
        """Advance animations and read back the results of background work."""

    def idle(self, seconds: float) -> None:
        """Use the frame's spare time after drawing (the skip scene simulates here)."""

    def busy(self) -> bool:
        """True while background work owns the session (a skip): no saving or quitting."""
        return False

    def stop(self) -> None:
        """End background work at once (the App is quitting)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw what pygame_gui doesn't. Must not change game state."""

    # helpers
    @property
    def size(self) -> tuple[int, int]:
        return self.app.screen.get_size()

    @property
    def session(self) -> Any:
        return self.app.session
