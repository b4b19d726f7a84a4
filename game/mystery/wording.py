"""Small pieces of English the verbs share, so an article or a plural is decided once."""

from __future__ import annotations

from game.engine.naming import ARTICLES, the

__all__ = ["ARTICLES", "capitalised", "plural", "the"]


def plural(count: int, noun: str, nouns: str = "") -> str:
    """'1 clue', '3 clues', 'no clues': never '(s)' on a player's screen."""
    many = nouns or (noun + "es" if noun.endswith(("s", "sh", "ch", "x")) else noun + "s")
    if count == 0:
        return f"no {many}"
    return f"{count} {noun if count == 1 else many}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
