"""The notebook: clues (numbered, with their kind and source), people, testimonies
(contradictions marked), deaths, and the accusation board, which works only in front of
the law."""

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
        """What a testimony answered, in words: 'where, at Day 2, 20:00'."""
        s = self.session
        topic, arg = t["topic"], t["arg"]
        if topic == "where":
            return f"where, at {s.when(int(arg))}" if str(arg).isdigit() else "where"
        if topic == "unusual":
            return "anything unusual"
        if topic == "free":
            return "in your own words"
        return f"about {s.fact_or_name(arg)}"

    def _clues(self) -> str:
        s = self.session
        rows = []
        for c in s.notebook.clues.values():
            ev = ", ".join(f"{e['kind']} ({self._name(e['culprit'])})" for e in c["evidence"])
            head = f"{s.clue_number(c['id'])}. {c['text']}"
            rows.append(f"{gold('<b>' + esc(head) + '</b>')}<br>"
                        + esc(s.clue_kind(c["id"])) + dim(esc(
                            f" · {'points to ' + ev if ev else 'a lead'} · loop {c['loop']}, "
                            f"{s.when(c['t'])}")))
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
                line += " " + red(f"<b>Caught in {plural(len(lies), 'lie')}.</b>")
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
            rows.insert(0, red(f"<b>Caught lying:</b> {esc(self._name(c['subject']))} claimed "
                               f"{esc(self._name(c['b_says']))} but was seen at "
                               f"{esc(self._name(c['a_says']))} ({esc(s.when(c['t']))})."))
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
        law = s.law_here()
        label(self, (x, y, w, 26), "Name each culprit and cite a clue for motive, means and "
              "opportunity, proved in this loop. " + (f"{' and '.join(law)} will hear you."
                                                     if law else "The law must be with you."),
              "@hint")
        y += 34
        people = [(p["name"], p["id"]) for p in s.suspects()]
        clues = [(self._short(c), c["id"]) for c in s.notebook.clues.values()] \
            or [("(no clues yet)", "")]
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
                             "Takes 30 minutes, in front of the law. Wrong accusations get "
                             "about.", "@danger", enabled=s.status == "playing" and bool(law))
        y += 46
        textbox(self, (x, y, w, max(60, h - (y - rect[1]))), self.verdict or dim(
            "Proof must hold now, in this loop: what you saw, found, read or were told by "
            "someone who knows it first-hand. Hearsay is a lead, never proof. A caught lie "
            "counts as opportunity."))

    def _short(self, clue: dict[str, Any]) -> str:
        text = f"{self.session.clue_number(clue['id'])}. {clue['text']}"
        return text[:70] + ("…" if len(text) > 70 else "")

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
            if self.accuse.is_enabled:
                self.do_accuse()
            else:
                self.verdict = red(esc("An accusation is made to the law in person: go to "
                                       "them, or ask them to stay with you."))
                self.picks = self._read_picks()
                self.relayout()
            return True
        return super().on_key(key)
