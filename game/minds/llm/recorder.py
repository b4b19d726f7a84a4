"""Record and replay of every LLM answer the simulation used.

Each answer is filed under (request hash, occurrence), where the hash covers the
request and the world minute it was made at: the n-th time the same request is
made at that minute, the n-th recorded answer comes back. Because the minute is
part of the key, a rewind only has to forget the occurrence counts from the
rewind point on (``rollback``) to get the same answers again. Scripted fallbacks are
recorded too ("fallback" with a reason), because the scripted mind draws from the
world RNG: replay must take the same path, not ask again and maybe succeed.

Modes:
- ``record``: answers already in the record are reused (a rewind never calls the
  model again); new requests go to the model and are appended.
- ``replay``: strictly offline; only the record answers. A request missing from
  the record falls back to scripted and is counted as a miss.
- ``off``: nothing kept.

The record is plain data (lists, dicts, strings) for the save file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

MODES = ("record", "replay", "off")


@dataclass
class Slot:
    key: str
    occurrence: int
    entry: dict[str, Any] | None  # an existing recorded answer, if any
    index: int | None  # where a new answer goes (record mode)


class Recorder:
    def __init__(self, mode: str = "record", state: dict[str, Any] | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"recorder mode must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self.entries: list[dict[str, Any] | None] = []
        self._index: dict[tuple[str, int], int] = {}
        self._seen: Counter[str] = Counter()
        self._seen_at: dict[str, int] = {}
        self.replayed = 0
        self.misses = 0
        if state:
            for entry in state.get("entries", []):
                self._add(dict(entry))

    def _add(self, entry: dict[str, Any]) -> None:
        self._index[(entry["key"], int(entry["n"]))] = len(self.entries)
        self.entries.append(entry)

    def reserve(self, key: str, kind: str, time: int = 0) -> Slot:
        """Claim the next occurrence of ``key`` (made at world ``time``), in a fixed order."""
        n = self._seen[key]
        self._seen[key] += 1
        self._seen_at[key] = time
        found = self._index.get((key, n))
        if found is not None and self.entries[found] is not None:
            self.replayed += 1
            return Slot(key, n, self.entries[found], None)
        if self.mode == "replay":
            self.misses += 1
            return Slot(key, n, None, None)
        if self.mode == "off":
            return Slot(key, n, None, None)
        self._index[(key, n)] = len(self.entries)
        self.entries.append(None)  # filled when the answer arrives
        return Slot(key, n, None, len(self.entries) - 1)

    def fill(self, slot: Slot, kind: str, *, answer: str | None = None,
             fallback: str | None = None) -> None:
        if slot.index is None or self.entries[slot.index] is not None:
            return  # not recording, or already recorded (answers are final)
        entry: dict[str, Any] = {"key": slot.key, "n": slot.occurrence, "kind": kind}
        if answer is not None:
            entry["answer"] = answer
        else:
            entry["fallback"] = fallback or "fallback"
        self.entries[slot.index] = entry

    def rollback(self, time: int) -> None:
        """Forget occurrences made at or after world ``time`` (the timeline was rewound)."""
        for key in [k for k, t in self._seen_at.items() if t >= time]:
            self._seen.pop(key, None)
            self._seen_at.pop(key, None)

    def to_state(self) -> dict[str, Any]:
        return {"version": 1, "entries": [dict(e) for e in self.entries if e is not None]}

    @property
    def fallbacks(self) -> int:
        return sum(1 for e in self.entries if e is not None and "fallback" in e)
