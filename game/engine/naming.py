"""How a thing's name takes an article, decided once for the engine and every layer above.

Writers name items "pilgrim's dagger", "the pilgrim's dagger" or "Doreen's knife"; all
must read right after "took", never "took the the pilgrim's dagger".
"""

from __future__ import annotations

ARTICLES = ("the", "a", "an")


def the(name: str) -> str:
    """'the gate log' for 'gate log'; 'the dagger' for 'The dagger'; 'Doreen's knife' as is."""
    first, _, rest = name.partition(" ")
    if first.lower() == "the" and rest:
        return f"the {rest}"
    if first.lower() in ARTICLES or name[:1].isupper():
        return name
    return f"the {name}"
