"""A response cache keyed by the sha256 of the canonical request.

Identical requests (same model, messages, schema, limits) get the same answer
without another call. The key is also what the recorder files answers under.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any


def request_key(request: dict[str, Any]) -> str:
    """sha256 of the request as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class ResponseCache:
    """In-memory LRU of answer texts; plain data in and out."""

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()  # answers arrive on the client's loop thread
        self.hits = 0

    def get(self, key: str) -> str | None:
        with self._lock:
            text = self._data.get(key)
            if text is None:
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return text

    def put(self, key: str, text: str) -> None:
        with self._lock:
            self._data[key] = text
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
