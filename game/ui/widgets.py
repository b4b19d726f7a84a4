"""Small helpers around pygame_gui so every screen builds widgets the same way."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UITextBox

Option = str | tuple[str, str]  # shown text, or (shown text, id)


def esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def button(scene: Any, rect: tuple[int, int, int, int], text: str, tip: str = "",
           cls: str = "", enabled: bool = True, container: Any = None) -> UIButton:
    b = UIButton(pygame.Rect(rect), text, scene.app.manager, container=container,
                 tool_tip_text=tip or None,
                 object_id=ObjectID(class_id=cls) if cls else None)
    if not enabled:
        b.disable()
    return scene.add(b)


def dropdown(scene: Any, options: Sequence[Option], start: Option,
             rect: tuple[int, int, int, int], height_limit: int | None = None) -> Any:
    """A drop-down menu of (text, id) options; ``dd_value`` reads the chosen id."""
    menu = UIDropDownMenu(list(options), start, pygame.Rect(rect), scene.app.manager,
                          expansion_height_limit=height_limit)
    return scene.add(menu)


def label(scene: Any, rect: tuple[int, int, int, int], text: str, cls: str = "",
          container: Any = None) -> UILabel:
    return scene.add(UILabel(pygame.Rect(rect), text, scene.app.manager, container=container,
                             object_id=ObjectID(class_id=cls) if cls else None))


def textbox(scene: Any, rect: tuple[int, int, int, int], html_text: str,
            container: Any = None) -> UITextBox:
    return scene.add(UITextBox(html_text, pygame.Rect(rect), scene.app.manager,
                               container=container))


def gold(text: str) -> str:
    return f"<font color='#ffd166'>{text}</font>"


def dim(text: str) -> str:
    return f"<font color='#9aa0b0'>{text}</font>"


def red(text: str) -> str:
    return f"<font color='#ff7b6b'>{text}</font>"


def dd_value(menu: Any) -> str:
    """The id of a UIDropDownMenu's current option (options are (text, id) pairs)."""
    opt = menu.selected_option
    return opt[1] if isinstance(opt, tuple) else str(opt)
