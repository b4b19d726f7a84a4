"""Map a path inside a TOML document to the line it was written on.

tomllib returns plain values without positions, so errors would lose their line
numbers. This scanner walks the text once, following table headers, array-of-
table counters, keys and multi-line arrays, and records the line of every path it
sees. An error path is then looked up by its longest recorded prefix.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"^\s*((?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*'))*)\s*=\s*(.*)$"
)


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+", key)
    return [p[1:-1] if p[0] in "\"'" else p for p in parts]


class LineMap:
    def __init__(self, text: str) -> None:
        self.lines: dict[Path, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        counters: dict[Path, int] = {}
        prefix: Path = ()
        in_multiline_str: str | None = None
        array_stack: list[tuple[Path, int]] = []  # open multi-line arrays: (path, index)
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw
            if in_multiline_str:
                if in_multiline_str in line:
                    in_multiline_str = None
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if array_stack:
                path, index = array_stack[-1]
                if (
                    stripped.startswith("{")
                    or stripped.startswith("[")
                    or stripped[0] in "\"'-0123456789tf"
                ):
                    self.lines.setdefault(path + (index,), lineno)
                    array_stack[-1] = (path, index + 1)
                if _closes_array(stripped):
                    array_stack.pop()
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                keys = tuple(_split_key(header.group(2)))
                base = self._resolve(keys, counters)
                if header.group(1) == "[[":
                    self.lines.setdefault(base, lineno)  # the array itself: its first entry
                    index = counters.get(base, -1) + 1
                    counters[base] = index
                    prefix = base + (index,)
                else:
                    prefix = base
                self.lines.setdefault(prefix, lineno)
                continue
            key = _KEY.match(line)
            if key:
                path = prefix + tuple(_split_key(key.group(1)))
                self.lines.setdefault(path, lineno)
                value = key.group(2).strip()
                for quote in ('"""', "'''"):
                    if value.startswith(quote) and value.count(quote) == 1:
                        in_multiline_str = quote
                if value.startswith("[") and not _balanced(value):
                    array_stack.append((path, 0))
                    inner = value[1:].strip()
                    if inner and not inner.startswith("#"):
                        self.lines.setdefault(path + (0,), lineno)
                        array_stack[-1] = (path, inner.count("{") or 1)

    @staticmethod
    def _resolve(keys: tuple[str, ...], counters: dict[Path, int]) -> Path:
        """[[characters.routine]] means routine of the *latest* characters entry."""
        out: Path = ()
        for i, k in enumerate(keys):
            out = out + (k,)
            if i < len(keys) - 1 and out in counters:
                out = out + (counters[out],)
        return out

    def line_of(self, path: Path) -> int | None:
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def _balanced(value: str) -> bool:
    depth = 0
    in_str: str | None = None
    for ch in value:
        if in_str:
            if ch == in_str:
                in_str = None
        elif ch in "\"'":
            in_str = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth <= 0


def _closes_array(stripped: str) -> bool:
    code = stripped.split("#", 1)[0].rstrip()
    return code.endswith("]") and not code.endswith("],") or code == "]"
