"""The window, the pygame_gui manager and the scene stack; ``step()`` is one frame.

Tests and the screenshot tool drive the game by posting events and calling ``step``;
``run`` is the real loop. The UI reaches the game only through ``GameSession`` and
``game.records`` (saves, replays); scenes are pushed by name from ``game.ui.scenes``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pygame_gui

from game.records import paths
from game.session import Command, CommandError, GameSession, Outcome
from game.ui import gameplay, style
from game.ui.scene import HINT_H, Scene, content_height
from game.ui.settings import Settings

__all__ = ["App", "content_height", "run"]

log = logging.getLogger("hindsight.ui")
THEME = Path(__file__).with_name("theme.json")
Done = Callable[[Outcome | None, Exception | None], None]
FRAME_SECONDS = 1 / 60
FRAME_MARGIN = 0.004  # a decision batch may overrun its slice by ~2 ms; tick needs slop too
BLOCKED_WHILE_PENDING = (pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT, pygame.MOUSEBUTTONDOWN,
                         pygame.MOUSEBUTTONUP)
MIN_IDLE = 0.004  # background work always gets this much, even when frames run long


def build_theme(scale: float) -> dict[str, Any]:
    """The theme JSON with every font size multiplied by the text-size setting."""
    theme = json.loads(THEME.read_text(encoding="utf-8"))
    for block in theme.values():
        f = block.get("font") if isinstance(block, dict) else None
        if f and "size" in f:
            f["size"] = str(max(8, round(int(f["size"]) * scale)))
        if f and f.get("name") == "dejavu":
            f.update({"regular_path": str(style.REGULAR), "bold_path": str(style.BOLD),
                      "italic_path": str(style.ITALIC),
                      "bold_italic_path": str(style.BOLD_ITALIC)})
    return theme


class App:
    def __init__(self, story: str | None = None, seed: int | None = None,
                 saves_dir: str | None = None, size: tuple[int, int] = (1280, 720),
                 fullscreen: bool = False, config_path: str | Path | None = None) -> None:
        pygame.init()
        self.config_path = Path(config_path) if config_path else None
        self.settings = Settings.load(self.config_path)
        self.saves_dir = paths.saves_dir(saves_dir)
        self.story = story
        self.seed = seed
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
        self.screen = pygame.display.set_mode(size, flags)
        pygame.display.set_caption("Hindsight")
        self.clock = pygame.time.Clock()
        self.manager = self._make_manager(self.screen.get_size())
        self.scenes: list[Scene] = []
        self.running = True
        self.session: GameSession | None = None
        self.story_path: str = story or ""
        self.message = ""  # a one-line status shown in the hint bar
        self.frames = 0
        self.saver = gameplay.SaveWriter()
        self.pending: gameplay.CommandRunner | None = None  # a command an LLM mind is on
        self._pending_done: Any = None

    # ----------------------------------------------------------- manager
    def _make_manager(self, size: tuple[int, int]) -> pygame_gui.UIManager:
        style.set_scale(self.settings.text_scale)
        manager = pygame_gui.UIManager(size, build_theme(self.settings.text_scale),
                                       enable_live_theme_updates=False)
        manager.add_font_paths("dejavu", str(style.REGULAR), str(style.BOLD),
                               str(style.ITALIC), str(style.BOLD_ITALIC))
        # pygame_gui's own tooltips and text boxes ask for bold Noto at 14 pt; load it up
        # front so it is not fetched mid-frame (and warned about) the first time.
        manager.preload_fonts([{"name": "noto_sans", "point_size": 14, "style": "bold",
                                "antialiased": "1"}])
        return manager

    def apply_settings(self) -> None:
        """Rebuild the manager (text size) and the top scene's widgets."""
        if self.scenes:
            self.scenes[-1].teardown()
        self.manager = self._make_manager(self.screen.get_size())
        from game.ui import portraits
        portraits._CACHE.clear()
        if self.scenes:
            self.scenes[-1].build()

    def set_window(self, size: tuple[int, int], fullscreen: bool) -> None:
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
        self.screen = pygame.display.set_mode(size, flags)
        self.resized()

    def resized(self) -> None:
        self.manager.set_window_resolution(self.screen.get_size())
        if self.scenes:
            self.scenes[-1].relayout()

    # ----------------------------------------------------------- scenes
    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def make(self, scene: Scene | str, *args: Any) -> Scene:
        """A scene by name (``"notebook"``, ``"talk", person``) or one already made."""
        if isinstance(scene, Scene):
            return scene
        from game.ui.scenes import SCENES

        return SCENES[scene](self, *args)

    def push(self, scene: Scene | str, *args: Any) -> Scene:
        made = self.make(scene, *args)
        if self.scenes:
            self.scenes[-1].leave()  # harmless for a scene that was never revealed
        self.scenes.append(made)
        made.enter()
        return made

    def pop(self, reveal: bool = True) -> Scene | None:
        """Drop the top scene. ``reveal=False`` when another scene is pushed right after,
        so the one underneath is not built for nothing."""
        if len(self.scenes) <= 1:
            return None
        old = self.scenes.pop()
        old.leave()
        if reveal:
            self.scenes[-1].enter()
        return old

    def replace(self, scene: Scene | str, *args: Any) -> Scene:
        made = self.make(scene, *args)
        if self.scenes:
            self.scenes.pop().leave()
        self.scenes.append(made)
        made.enter()
        return made

    def reset_to(self, *scenes: Scene | str) -> None:
        """Clear the stack (e.g. back to the title, or into a freshly loaded game)."""
        while self.scenes:
            self.scenes.pop().leave()
        for i, scene in enumerate(scenes):
            made = self.make(scene)
            self.scenes.append(made)
            if i == len(scenes) - 1:
                made.enter()

    def typing(self) -> bool:
        """True while a text box has focus, so letter hotkeys go to the text instead."""
        for el in self.manager.get_focus_set() or ():
            if isinstance(el, (pygame_gui.elements.UITextEntryLine,
                               pygame_gui.elements.UITextEntryBox)):
                return True
        return False

    # ----------------------------------------------------------- game
    def start_game(self, story: str, seed: int | None = None) -> None:
        factory, note = gameplay.mind_factory(self.settings)
        session = gameplay.new_session(story, seed, factory)
        if self.session is not None:
            self.session.close()
        self.session = session
        self.message = session.notice or note
        self.story_path = story
        self.reset_to("title", "town")

    def load_game(self, path: str | Path) -> None:
        """Load a save by replaying it, on this thread (the load screen uses a worker);
        raises SaveError with one line if it can't."""
        self.adopt_session(*gameplay.load(path))

    def adopt_session(self, session: GameSession, story_path: str) -> None:
        """Play on with a session a load built."""
        if self.session is not None:
            self.session.close()
        self.session, self.story_path = session, story_path
        if session.notice:
            self.message = session.notice  # e.g. what an older save no longer allowed
        self.reset_to("title", "town")
        self.show_status_scene()

    def title_scene(self) -> Scene:
        return self.make("title")

    def show_status_scene(self) -> None:
        """After any action: if the loop is over, show the death or ending screen."""
        s = self.session
        top = self.top
        if s is not None and s.status in ("dead", "ended") and \
                (top is None or top.name != "end"):
            self.autosave()
            self.push("end")

    def thumbnail(self) -> bytes | None:
        try:
            from game.ui.mapview import MapView
            surf = pygame.Surface((192, 108))
            view = MapView(surf.get_rect())
            view.refresh(self.session)
            view.draw(surf)
            return gameplay.png_bytes(surf)
        except (pygame.error, ValueError):
            return None

    def autosave(self, slot: str = paths.AUTOSAVE) -> Path | None:
        if self.session is None:
            return None
        try:
            p = gameplay.save(self.session, self.story_path, self.saves_dir, slot,
                              self.thumbnail(), writer=self.saver)
            self.message = f"Saved to {p.name}"
            return p
        except Exception as exc:  # noqa: BLE001 - a failed save must not crash the game
            self.message = f"Save failed: {exc}"
            return None

    # ----------------------------------------------------------- commands
    def perform(self, cmd: Command, done: Done) -> None:
        """Do a player command, then call ``done(outcome, error)``.

        With an LLM mind the command runs on a worker (the window keeps drawing, input
        waits, a "say" streams its reply); with the scripted mind it runs at once."""
        s = self.session
        if s is None:
            return
        if self.pending is not None:  # input waits while one runs; this is a safety net
            done(None, CommandError("the town is still answering your last action"))
            return
        if not s.mind_may_block:
            try:
                out = s.do(cmd)
            except CommandError as exc:
                done(None, exc)
                return
            except Exception as exc:  # noqa: BLE001 - a bug must not cost the player the game
                log.exception("command %r failed", cmd)
                done(None, CommandError(f"that went wrong inside the game "
                                        f"({type(exc).__name__}); your game goes on"))
                return
            done(out, None)
            return
        self.pending = gameplay.CommandRunner(s, cmd)
        self._pending_done = done

    def _finish_pending(self) -> None:
        runner, done = self.pending, self._pending_done
        if runner is None or not runner.done:
            return
        self.pending = self._pending_done = None
        done(runner.outcome, runner.error)

    def quit(self) -> None:
        if self.pending is not None:
            self.pending.wait()  # the LLM client's own deadlines bound this
            self._finish_pending()
        top = self.top
        if top is not None and top.busy():
            top.stop()  # cancel a running skip before the session is saved
        if self.session is not None and self.session.history:
            self.autosave()
        self.saver.flush()
        self.running = False

    # ----------------------------------------------------------- loop
    def step(self, dt: float | None = None) -> None:
        """One frame: events, update, draw, flip, then spare time for the top scene's
        background work (a skip's simulation). Tests call this directly."""
        if dt is None:
            dt = self.clock.tick(60) / 1000.0
        frame_start = time.perf_counter()
        for error in self.saver.take_errors():
            self.message = f"Save failed: {error}"
        self._finish_pending()
        for event in pygame.event.get():
            self.dispatch(event)
            if not self.running:
                return
        top = self.top
        if top is not None:
            top.update(dt)
        self.manager.update(dt)
        self.render(self.screen)
        pygame.display.flip()
        self.frames += 1
        if top is not None and top is self.top:
            spare = frame_start + FRAME_SECONDS - FRAME_MARGIN - time.perf_counter()
            top.idle(max(MIN_IDLE, spare))

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type == pygame.VIDEORESIZE:
            surface = pygame.display.get_surface()
            if surface is not None and not (surface.get_flags() & pygame.FULLSCREEN):
                self.screen = surface
            self.resized()
            return
        if self.pending is not None and event.type in BLOCKED_WHILE_PENDING:
            return  # one command at a time: the town is busy answering the last one
        self.manager.process_events(event)
        top = self.top
        if top is not None:
            top.handle_event(event)

    def render(self, surface: pygame.Surface) -> None:
        surface.fill(style.BG)
        top = self.top
        if top is not None:
            top.draw(surface)
        self.manager.draw_ui(surface)
        self._hint_bar(surface)

    def _hint_bar(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        bar = pygame.Rect(0, h - HINT_H, w, HINT_H)
        pygame.draw.rect(surface, (10, 12, 18), bar)
        pygame.draw.line(surface, (60, 68, 88), bar.topleft, bar.topright)
        f = style.font(14)
        hints = self.top.hints if self.top else ""
        if self.pending is not None:
            hints = "Waiting for the townsfolk…  (the model is thinking)"
        surface.blit(f.render(hints, True, style.DIM), (12, bar.y + (HINT_H - f.get_height()) // 2))
        if self.message:
            msg = f.render(self.message, True, style.GOLD)
            surface.blit(msg, (w - msg.get_width() - 12, bar.y + (HINT_H - f.get_height()) // 2))

    def run(self) -> int:
        """The real loop. A bug in one frame is logged and shown in one line; the game in
        progress goes on (tests call ``step`` directly, so there it still fails loudly)."""
        try:
            while self.running:
                try:
                    self.step()
                except Exception as exc:  # noqa: BLE001 - no traceback reaches a player
                    log.exception("frame failed")
                    self.message = (f"Something went wrong ({type(exc).__name__}); "
                                    "the game goes on")
        finally:
            self.saver.flush()
            if self.session is not None:
                self.session.close()
            pygame.quit()
        return 0

    def snapshot_state(self) -> Any:
        """Game state as plain data, for the 'draw never mutates' check."""
        s = self.session
        if s is None:
            return None
        return s.fingerprint()


def run(story: str | None = None, seed: int | None = None, saves_dir: str | None = None,
        size: tuple[int, int] = (1280, 720), fullscreen: bool = False) -> int:
    """Entry point for ``hindsight play``: open the title screen and run until quit."""
    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    app = App(story, seed, saves_dir, size, fullscreen)
    app.push(app.title_scene())
    return app.run()
