"""The player's day-by-day digest as the desktop shows it (skip summary, death screen, the
chronicle page): every day, every line, nothing the player could not know."""

from __future__ import annotations

from typing import Any

from game.ui.widgets import dim, esc, gold, red

KIND_STYLE = {"clue": gold, "death": red, "news": gold}


def digest_html(session: Any, since: int | None = None, until: int | None = None) -> str:
    """The session's digest of a span (default: the last command's) as pygame_gui HTML."""
    rows: list[str] = []
    for day in session.digest(since, until):
        rows.append(f"<b>{esc(day.title)}</b>")
        if not day.lines:
            rows.append(dim("&nbsp;&nbsp;Nothing out of the ordinary reached you."))
        for line in day.lines:
            style = KIND_STYLE.get(line.kind)
            text = esc(line.text)
            rows.append(f"&nbsp;&nbsp;{dim(line.time)}&nbsp;&nbsp;"
                        f"{style(text) if style else text}")
    return "<br>".join(rows) or dim("Nothing reached you.")
