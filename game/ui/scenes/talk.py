"""Talk: a portrait, a topic menu, and answers that type themselves out."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from game.session import Command
from game.ui import portraits, style
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dd_value, dim, dropdown, esc, gold, label, red, textbox

TOPICS = (("where", "Where were you…", "Ask where they were at a time (HH:MM or 'D HH:MM')"),
          ("person", "About a person", "What do they know or think of someone?"),
          ("thing", "About an item or fact", "Ask about a thing or something you know"),
          ("unusual", "Anything unusual?", "Has anything odd happened?"),
          ("tell", "Tell", "Tell them something you know; the law may act on it"),
          ("show", "Show", "Show an item you carry or a clue from your notebook"),
          ("warn", "Warn", "Warn them about someone"),
          ("stay", "Ask to stay", "Ask them to keep you company tonight"))


class TalkScene(Scene):
    name = "talk"
    hints = ("1-8 pick topic · Enter ask · click the box at the bottom to ask in your own "
             "words · Esc back to town")

    def __init__(self, app: Any, person: str) -> None:
        super().__init__(app)
        self.person = person
        self.topic = "where"
        self.log: list[str] = []
        self.answer_html = ""
        self.fresh = False
        self.waiting: Command | None = None  # a command an LLM mind is still answering
        self.streamed: tuple[int, str] = (-1, "")
        self.topic_buttons: dict[Any, str] = {}
        self.arg_menu: Any = None
        self.arg_entry: Any = None
        self.arg_text = "20:00"
        self.arg_pick = ""  # the option id the argument menu starts on

    @property
    def agent(self) -> dict[str, Any]:
        return dict(self.session.person(self.person))

    def present(self) -> bool:
        return any(p["id"] == self.person for p in self.session.visible_people()) and \
            self.session.status == "playing"

    def _options(self) -> list[tuple[str, str]]:
        s = self.session
        people = [(p["name"], p["id"]) for p in s.suspects() if p["id"] != self.person]
        items = {i["id"]: i["name"] for i in s.inventory() + s.items_here()}
        facts = [(f["text"][:60] + ("…" if len(f["text"]) > 60 else ""), "fact:" + f["id"])
                 for f in s.known_facts()]
        if self.topic == "person":
            return people
        if self.topic == "warn":
            return [p for p in people if p[1] != s.player]
        if self.topic == "thing":
            return [(n, "item:" + i) for i, n in items.items()] + facts
        if self.topic == "tell":
            return facts
        if self.topic == "show":
            inv = [(i["name"], i["id"]) for i in s.inventory()]
            clues = [(c["text"][:60] + ("…" if len(c["text"]) > 60 else ""), c["id"])
                     for c in s.notebook.clues.values()]
            return inv + clues
        return []

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        a = self.agent
        left = min(320, w // 4)
        pad = 16
        self.portrait_size = min(220, left - 2 * pad)
        label(self, (pad, pad + self.portrait_size + 10, left - 2 * pad, 32), a['name'], "@heading")
        label(self, (pad, pad + self.portrait_size + 42, left - 2 * pad, 24),
              a['role'].capitalize(), "@hint")
        status = "asleep" if a['asleep'] else (a['activity'] or "")
        label(self, (pad, pad + self.portrait_size + 66, left - 2 * pad, 24), status, "@hint")
        label(self, (pad, pad + self.portrait_size + 100, left - 2 * pad, 24),
              self.session.clock_text(), "@hint")
        x = left + pad
        iw = w - x - pad
        cols = 4
        bw = (iw - (cols - 1) * 6) // cols
        self.topic_buttons = {}
        here = self.present() and self.waiting is None
        for i, (key, text, tip) in enumerate(TOPICS):
            r, c = divmod(i, cols)
            b = button(self, (x + c * (bw + 6), pad + r * 40, bw, 34), f"{i + 1}. {text}", tip,
                       "@primary" if key == self.topic else "@tab", enabled=here)
            self.topic_buttons[b] = key
        y = pad + 2 * 40 + 6
        self.arg_menu = self.arg_entry = None
        opts = self._options()
        if self.topic == "where":
            label(self, (x, y, 150, 34), "At what time?", "")
            self.arg_entry = self.add(UITextEntryLine(pygame.Rect(x + 150, y, 200, 34),
                                                      self.app.manager))
            self.arg_entry.set_text(self.arg_text)
        elif self.topic in ("person", "thing", "tell", "show", "warn"):
            if opts:
                start = next((o for o in opts if o[1] == self.arg_pick), opts[0])
                self.arg_menu = dropdown(self, opts, start, (x, y, min(620, iw - 160), 34), 300)
            else:
                label(self, (x, y, iw - 160, 34), "You have nothing to use for this yet.", "@hint")
        self.ask = button(self, (x + iw - 150, y, 150, 34), "Ask (Enter)", "Costs game time",
                          "@primary", enabled=here and (self.topic in ("where", "unusual", "stay")
                                                        or bool(opts)))
        y += 46
        ah = 130
        self.answer = textbox(self, (x, y, iw, ah), self.answer_html or dim(
            f"{esc(a['name'])} waits for you to speak."))
        if self.fresh:
            self.answer.set_active_effect(pygame_gui.TEXT_EFFECT_TYPING_APPEAR,
                                          params={"time_per_letter": 0.008})
            self.fresh = False
        y += ah + 8
        placeholder = (f"Say anything to {a['name']}, then press Enter…"
                       if self.session.free_text else
                       "Ask in your own words: where were you at 8pm? what about the will? "
                       "anything unusual?")
        self.free = self.add(UITextEntryLine(pygame.Rect(x, h - 40, iw, 34), self.app.manager,
                                             placeholder_text=placeholder))
        if self.waiting is not None or not here:
            self.free.disable()
        fh = 44
        log = "<br>".join(reversed(self.log[-30:])) or dim("Your conversation so far.")
        textbox(self, (x, y, iw, max(60, h - y - fh - 10)), log)
        if not here and self.waiting is None:
            self.answer_html = self.answer_html or red(esc(f"{a['name']} is not with you."))

    def ask_now(self) -> None:
        topic = self.topic
        cmd: Command
        if topic == "where":
            self.arg_text = self.arg_entry.get_text().strip() if self.arg_entry else "20:00"
            cmd = Command("ask", target=self.person, topic="where", arg=self.arg_text)
        elif topic == "unusual":
            cmd = Command("ask", target=self.person, topic="unusual")
        elif topic == "stay":
            cmd = Command("stay", target=self.person)
        else:
            if self.arg_menu is None:
                return
            value = dd_value(self.arg_menu)
            if topic == "person":
                cmd = Command("ask", target=self.person, topic="person", arg=value)
            elif topic == "thing":
                kind, _, ident = value.partition(":")
                cmd = Command("ask", target=self.person, topic=kind, arg=ident)
            elif topic == "tell":
                cmd = Command("tell", target=self.person, arg=value.partition(":")[2])
            elif topic == "show":
                cmd = Command("show", target=self.person, arg=value)
            else:
                cmd = Command("warn", target=self.person, arg=value)
        self.run_command(cmd)

    def run_command(self, cmd: Command) -> None:
        """Do one talk command; with an LLM mind it runs on a worker and ``update`` streams
        the reply into the answer box until ``show_result`` takes over."""
        if self.session.mind_may_block:  # lay out the waiting state before the worker starts
            self.waiting = cmd
            self.streamed = (-1, "")
            self.answer_html = dim(esc(f"{self.agent['name']} considers your words…"))
            self.relayout()
        self.app.perform(cmd, lambda out, err: self.show_result(cmd, out, err))

    def show_result(self, cmd: Command, out: Any, err: Exception | None) -> None:
        """The answer, new clues and contradictions, typed out unless it already streamed."""
        s = self.session
        streamed = self.waiting is not None and bool(self.streamed[1])
        self.waiting = None
        if err is not None:
            text = str(err)
            self.answer_html = red(esc(text[:1].upper() + text[1:]))
            self.fresh = True
            self.relayout()
            return
        parts = []
        for line in out.lines:
            if line.startswith("Contradiction!"):
                parts.append(red(f"<b>{esc(line)}</b>"))
            else:
                parts.append(esc(line))
        for cid in out.new_clues:
            if cid in s.notebook.clues:
                parts.append(gold(f"<b>New clue {s.clue_number(cid)}</b> "
                                  f"({esc(s.clue_kind(cid))}): "
                                  f"{esc(s.notebook.clues[cid]['text'])}"))
        self.answer_html = "<br>".join(parts)
        self.log.append(f"{gold(esc(s.time_label(s.now)))} " + "<br>".join(parts))
        self.fresh = not streamed
        self.relayout()
        self.app.show_status_scene()

    def update(self, dt: float) -> None:
        runner = self.app.pending
        if self.waiting is None or runner is None:
            return
        version, text = runner.text()
        if version == self.streamed[0] or not text:
            return
        self.streamed = (version, text)
        said = esc(f"You: {self.waiting.arg}") if self.waiting.verb == "say" else ""
        self.answer_html = f"{said}<br>{esc(self.agent['name'])}: {esc(text)} …"
        self.answer.set_text(self.answer_html)

    def on_button(self, el: Any) -> bool:
        if el in self.topic_buttons:
            self.topic = self.topic_buttons[el]
            self.relayout()
        elif el is self.ask:
            self.ask_now()
        else:
            return False
        return True

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and \
                event.ui_element is self.arg_menu:
            self.arg_pick = dd_value(self.arg_menu)
            return True
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.arg_entry:
            self.ask_now()
            return True
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.free is not None \
                and event.ui_element is self.free:
            text = self.free.get_text().strip()
            if text:
                self.run_command(Command("say", target=self.person, arg=text))
            return True
        return super().handle_event(event)

    def on_key(self, key: int) -> bool:
        if pygame.K_1 <= key <= pygame.K_8:
            self.topic = TOPICS[key - pygame.K_1][0]
            self.relayout()
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.ask.is_enabled:
            self.ask_now()
            return True
        return super().on_key(key)

    def draw(self, surface: pygame.Surface) -> None:
        w = self.size[0]
        left = min(320, w // 4)
        pygame.draw.rect(surface, style.PANEL, (0, 0, left, content_height(self.app)))
        img = portraits.portrait(self.person, self.agent['name'], self.portrait_size,
                                 dim=self.agent['asleep'])
        surface.blit(img, (16, 16))
