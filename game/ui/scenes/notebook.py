"""The notebook: clues, people, testimonies (contradictions marked), deaths, accusation board."""

from __future__ import annotations

from typing import Any

import pygame

from game.session import Command, Outcome, plural
from game.ui.scene import Scene, content_height
from game.ui.widgets import button, dd_value, dim, dropdown, esc, gold, label, red, textbox

TABS = (("clues", "1. Clues"), ("people", "2. People"), ("testimony", "3. Testimonies"),
        ("deaths", "4. Deaths"), ("accuse", "5. Accuse"))
KINDS = ("motive", "means", "opportunity")


class NotebookScene(Scene):
    name = "notebook"
    hints = "1-5 tabs · Tab next tab · Enter accuse (on the board) · Esc back"

    def __init__(self, app: Any, tab: str = "clues") -> None:
        super().__init__(app)
        self.tab = tab
        self.rows = 1
        self.verdict = ""
        self.tab_buttons: dict[Any, str] = {}
        self.menus: list[dict[str, Any]] = []
        self.picks: list[dict[str, str]] = []

    def build(self) -> None:
        w, _ = self.size
        h = content_height(self.app)
        pad = 16
        label(self, (pad, 8, 300, 36), "Notebook", "@heading")
        bw = min(170, (w - 2 * pad - 320 - 130) // len(TABS) - 6)
        self.tab_buttons = {}
        for i, (key, text) in enumerate(TABS):
            b = button(self, (320 + i * (bw + 6), 8, bw, 34), text, "",
                       "@primary" if key == self.tab else "@tab")
            self.tab_buttons[b] = key
        self.back = button(self, (w - pad - 110, 8, 110, 34), "Back (Esc)")
        y = 54
        rect = (pad, y, w - 2 * pad, h - y - pad)
        if self.tab == "accuse":
            self._build_board(rect)
        else:
            textbox(self, rect, getattr(self, f"_{self.tab}")())

    # ----------------------------------------------------------- pages
    def _name(self, ident: str) -> str:
        return str(self.session.name_of(ident))

    def _asked(self, t: dict[str, Any]) -> str:
        """What a testimony answered, in words: 'where they were, Day 2, 20:00'."""
        s = self.session
        topic, arg = t["topic"], t["arg"]
        if topic == "where":
            return f"where they were, {s.when(int(arg))}" if str(arg).isdigit() else \
                "where they were"
        if topic == "unusual":
            return "anything unusual"
        if topic == "free":
            return "in your own words"
        return f"about {s.fact_or_name(arg)}"

    def _clues(self) -> str:
        s = self.session
        rows = []
        for c in s.notebook.clues.values():
            ev = ", ".join(f"{e['kind']} → {self._name(e['culprit'])}" for e in c["evidence"])
            rows.append(f"{gold('<b>' + esc(c['text']) + '</b>')}<br>"
                        + dim(esc(f"loop {c['loop']} · {s.when(c['t'])} · "
                                  f"{c['source']}" + (f" · evidence: {ev}" if ev else ""))))
        return "<br><br>".join(rows) or dim("No clues yet. Talk to people, search places, "
                                            "and watch.")

    def _people(self) -> str:
        s = self.session
        nb = s.notebook
        rows = []
        for p in s.suspects():
            pid = p["id"]
            said = sum(1 for t in nb.testimonies if t["speaker"] == pid)
            about = [c for c in nb.clues.values() if any(e["culprit"] == pid
                                                          for e in c["evidence"])]
            lies = [c for c in nb.contradictions if c["subject"] == pid]
            spoke = f"Spoke to you {plural(said, 'time')}." if said else "Has not spoken to you."
            line = f"<b>{esc(p['name'])}</b> — {esc(p['role'])}. {spoke}"
            if lies:
                line += " " + red(f"<b>Caught in {plural(len(lies), 'contradiction')}.</b>")
            if about:
                line += "<br>" + "<br>".join(gold("• " + esc(c["text"])) for c in about)
            rows.append(line)
        return "<br><br>".join(rows) or dim("Nobody yet.")

    def _testimony(self) -> str:
        s = self.session
        nb = s.notebook
        bad = {c["a"] for c in nb.contradictions} | {c["b"] for c in nb.contradictions}
        rows = []
        for t in reversed(nb.testimonies):
            head = (f"{esc(self._name(t['speaker']))} (loop {t['loop']}, {esc(s.when(t['t']))}, "
                    f"{esc(self._asked(t))})")
            text = esc(t["text"])
            if t["id"] in bad:
                rows.append(red(f"<b>CONTRADICTED</b> {head}") + f"<br>{text}")
            else:
                rows.append(dim(head) + f"<br>{text}")
        for c in nb.contradictions:
            rows.insert(0, red(f"<b>Contradiction:</b> {esc(self._name(c['subject']))} placed at "
                               f"{esc(self._name(c['a_says']))} and at "
                               f"{esc(self._name(c['b_says']))} ({esc(s.when(c['t']))})."))
        return "<br><br>".join(rows) or dim("Nobody has told you anything yet.")

    def _deaths(self) -> str:
        nb = self.session.notebook
        rows = [esc(d["text"]) for d in nb.deaths]
        for a in nb.accusations:
            rows.append(dim(f"Loop {a['loop']}: you accused "
                            f"{esc(', '.join(self._name(e['culprit']) for e in a['entries']))}"
                            f" — {'confirmed' if a['confirmed'] else 'not believed'}."))
        return "<br>".join(rows) or dim("You have not died yet. You will.")

    # ----------------------------------------------------------- board
    def _build_board(self, rect: tuple[int, int, int, int]) -> None:
        s = self.session
        x, y, w, h = rect
        label(self, (x, y, w, 26), "Name each culprit and cite one clue for each count. "
              "The magistrate needs all three.", "@hint")
        y += 34
        people = [(p["name"], p["id"]) for p in s.suspects()]
        clues = [(c["text"][:70] + ("…" if len(c["text"]) > 70 else ""), c["id"])
                 for c in s.notebook.clues.values()] or [("(no clues yet)", "")]
        self.menus = []
        cw = (w - 20) // 4
        for i in range(self.rows):
            pick = self.picks[i] if i < len(self.picks) else {}
            row: dict[str, Any] = {}
            for j, field in enumerate(("culprit",) + KINDS):
                label(self, (x + j * (cw + 6), y, cw, 22), field.capitalize(), "@hint")
                opts = people if field == "culprit" else clues
                start = next((o for o in opts if o[1] == pick.get(field)), opts[0])
                row[field] = dropdown(self, opts, start, (x + j * (cw + 6), y + 22, cw, 34),
                                      260)
            self.menus.append(row)
            y += 66
        self.add_row = button(self, (x, y, 200, 34), "+ Another culprit",
                              "For a conspiracy", enabled=self.rows < 3)
        self.accuse = button(self, (x + 210, y, 260, 34), "Accuse (Enter)",
                             "Takes 30 minutes. Wrong accusations are remembered.", "@danger",
                             enabled=s.status == "playing")
        y += 46
        textbox(self, (x, y, w, max(60, h - (y - rect[1]))), self.verdict or dim(
            "Tip: a contradiction in testimony counts as opportunity; "
            "what you see someone take can count as means."))

    def _read_picks(self) -> list[dict[str, str]]:
        return [{k: dd_value(m) for k, m in row.items()} for row in self.menus]

    def do_accuse(self) -> None:
        """Through ``App.perform`` like every command, so a model mind never freezes the
        window while the town answers."""
        entries = self._read_picks()
        self.picks = entries
        self.app.perform(Command("accuse", extra=entries), self.accused)

    def accused(self, out: Outcome | None, err: Exception | None) -> None:
        if err is not None or out is None:
            self.verdict = red(esc(str(err)))
        else:
            ok = self.session.notebook.accusations[-1]["confirmed"]
            self.verdict = (gold if ok else red)("<br>".join(esc(t) for t in out.lines))
        self.relayout()
        self.app.show_status_scene()

    def on_button(self, el: Any) -> bool:
        if el in self.tab_buttons:
            self.picks = self._read_picks() if self.tab == "accuse" else self.picks
            self.tab = self.tab_buttons[el]
            self.relayout()
        elif el is self.back:
            self.app.pop()
        elif self.tab == "accuse" and el is self.add_row:
            self.picks = self._read_picks()
            self.rows += 1
            self.relayout()
        elif self.tab == "accuse" and el is self.accuse:
            self.do_accuse()
        else:
            return False
        return True

    def on_key(self, key: int) -> bool:
        if pygame.K_1 <= key <= pygame.K_5:
            self.tab = TABS[key - pygame.K_1][0]
            self.relayout()
            return True
        if key == pygame.K_TAB:
            keys = [t[0] for t in TABS]
            self.tab = keys[(keys.index(self.tab) + 1) % len(keys)]
            self.relayout()
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.tab == "accuse":
            self.do_accuse()
            return True
        return super().on_key(key)
