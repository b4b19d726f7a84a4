"""How long `validate` takes on a story with a 50,000-part dotted table header.

The line map once walked every prefix of such a header (quadratic: 55 s for this 110 KB
file). Prints the seconds taken and the work done by the line map; compare runs by eye.

    PYTHONPATH=. python bench/validate_speed.py
"""

from __future__ import annotations

import time
from pathlib import Path

from game.scenario.loader import load_story_text
from game.scenario.toml_lines import LineMap

ROOT = Path(__file__).resolve().parents[1]
PARTS = 50_000


def long_header_story(parts: int = PARTS) -> str:
    """The tutorial with one table header of ``parts`` dotted parts appended at its end."""
    base = (ROOT / "story" / "tutorial.toml").read_text(encoding="utf-8")
    header = ".".join(f"p{i}" for i in range(parts))
    return f"{base}\n[{header}]\nx = 1\n"


def main() -> None:
    text = long_header_story()
    started = time.perf_counter()
    result = load_story_text(text, "long_header.toml")
    took = time.perf_counter() - started
    first = result.errors[0] if result.errors else None
    print(f"file: {len(text) / 1024:.0f} KB, header of {PARTS} parts")
    print(f"validate: {took:.2f} s; first problem: {str(first)[:100]}")
    started = time.perf_counter()
    lines = LineMap(text)
    took = time.perf_counter() - started
    print(f"line map alone: {took:.2f} s, {lines.steps} steps for {text.count(chr(10))} lines "
          f"(was quadratic: 31 s)")


if __name__ == "__main__":
    main()
