"""Python's cyclic garbage collector, paused while a world simulates.

A world's memories and events are long-lived and append-only, and simulating makes no
cyclic garbage (``tests/test_engine_collector.py`` checks): reference counting frees
everything a step throws away. The cyclic collector does not know that, so as the
streams grow it rescans all of them again and again, finding nothing: an eighth of a
long run's time. So it is paused for the length of a run and put back as it was after,
however the run ends; garbage made meanwhile elsewhere (a model client, the UI thread)
is only collected a little later. Runs may nest or overlap on threads: the collector
comes back when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_runs = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _runs, _was_enabled
    with _lock:
        if _runs == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if _runs == 0 and _was_enabled:
                gc.enable()
