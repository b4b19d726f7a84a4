"""Map a path inside a TOML document to the line it was written on.

tomllib returns plain values without positions, so errors would lose their line
numbers. This scanner walks the text once, following table headers, array-of-
table counters, keys and multi-line arrays, and records the line of every path it
sees. An error path is then looked up by its longest recorded prefix.

Paths are stored in a trie, so a header of n dotted parts costs O(n) to record and
to look up (a 50,000-part header once took 30 s with tuple prefixes).
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


class _Node:
    """One path part: the line it was first seen on, and its array-of-tables counter."""

    __slots__ = ("children", "count", "line")

    def __init__(self) -> None:
        self.children: dict[str | int, _Node] = {}
        self.line: int | None = None
        self.count = -1  # index of the latest [[entry]] of an array of tables


class LineMap:
    def __init__(self, text: str) -> None:
        self._root = _Node()
        self.steps = 0  # trie nodes visited: the work done, for tests that count it
        self._scan(text)

    def _node(self, base: _Node, parts: Path, lineno: int | None = None) -> _Node:
        node = base
        for part in parts:
            self.steps += 1
            nxt = node.children.get(part)
            if nxt is None:
                nxt = node.children[part] = _Node()
            node = nxt
            if lineno is not None and node.line is None:
                node.line = lineno  # every prefix of a header starts on its line
        return node

    def _set(self, node: _Node, lineno: int) -> None:
        if node.line is None:
            node.line = lineno

    def _scan(self, text: str) -> None:
        prefix = self._root
        in_multiline_str: str | None = None
        array_stack: list[tuple[_Node, int]] = []  # open multi-line arrays: (node, index)
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
                node, index = array_stack[-1]
                if (
                    stripped.startswith("{")
                    or stripped.startswith("[")
                    or stripped[0] in "\"'-0123456789tf"
                ):
                    self._set(self._node(node, (index,)), lineno)
                    array_stack[-1] = (node, index + 1)
                if _closes_array(stripped):
                    array_stack.pop()
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                base = self._resolve(_split_key(header.group(2)), lineno)
                if header.group(1) == "[[":
                    base.count += 1
                    prefix = self._node(base, (base.count,))
                else:
                    prefix = base
                self._set(prefix, lineno)
                continue
            key = _KEY.match(line)
            if key:
                node = self._node(prefix, tuple(_split_key(key.group(1))), lineno)
                value = key.group(2).strip()
                for quote in ('"""', "'''"):
                    if value.startswith(quote) and value.count(quote) == 1:
                        in_multiline_str = quote
                if value.startswith("[") and not _balanced(value):
                    array_stack.append((node, 0))
                    inner = value[1:].strip()
                    if inner and not inner.startswith("#"):
                        self._set(self._node(node, (0,)), lineno)
                        array_stack[-1] = (node, inner.count("{") or 1)

    def _resolve(self, keys: list[str], lineno: int) -> _Node:
        """[[characters.routine]] means routine of the *latest* characters entry."""
        node = self._root
        for i, k in enumerate(keys):
            node = self._node(node, (k,), lineno)
            if i < len(keys) - 1 and node.count >= 0:
                node = self._node(node, (node.count,), lineno)
        return node

    def line_of(self, path: Path) -> int | None:
        """The line of the longest recorded prefix of ``path``."""
        node, found = self._root, self._root.line
        for part in path:
            self.steps += 1
            nxt = node.children.get(part)
            if nxt is None:
                break
            node = nxt
            if node.line is not None:
                found = node.line
        return found


MAX_KEY_PARTS = 32  # no story nests deeper; tomllib is quadratic in a key's parts


def too_deep_key(text: str) -> tuple[int, int] | None:
    """(line, parts) of the first table header or key with more than MAX_KEY_PARTS dotted
    parts, found in one pass before the TOML parser spends minutes on it."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.count(".") < MAX_KEY_PARTS:
            continue
        header = _HEADER.match(line)
        key = _KEY.match(line)
        found = key.group(1) if key else header.group(2) if header else ""
        parts = len(_split_key(found))
        if parts > MAX_KEY_PARTS:
            return lineno, parts
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
