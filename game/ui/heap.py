"""Keep Python's cyclic garbage collector out of the frame budget.

A long game holds a large, long-lived heap (the timeline tree, memory streams, the
event log). An automatic full collection walks all of it, 50–100 ms on the main
mystery after a few loops: a visible hitch. Almost all of that heap is freed by
reference counting, never by the cyclic collector, so the UI freezes it out of the
collector's sight at calm moments (arriving in the town) and pauses automatic
collection while a skip runs. The title screen, where nothing animates, gives
everything back for one full collection.
"""

from __future__ import annotations

import gc
import threading

_pause_lock = threading.Lock()
_pauses = 0


def settle() -> None:
    """Collect the young generations, then move every surviving object out of the GC's
    sight: later automatic collections only walk what was made since."""
    gc.collect(1)
    gc.freeze()


def reclaim() -> None:
    """Unfreeze and collect everything, for when a long pause would not be seen."""
    gc.unfreeze()
    gc.collect()


def pause() -> None:
    """No automatic collections until ``resume``: a skip's short-lived cycles wait for the
    next ``settle``. Nested pauses are counted."""
    global _pauses
    with _pause_lock:
        _pauses += 1
        gc.disable()


def resume() -> None:
    global _pauses
    with _pause_lock:
        _pauses = max(0, _pauses - 1)
        if _pauses == 0:
            gc.enable()
